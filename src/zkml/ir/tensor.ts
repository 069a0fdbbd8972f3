/** A dense tensor with a static shape, row-major. Integer tensors (shapes, indices) are stored as exact doubles. */
export interface Tensor {
  shape: number[];
  data: Float64Array;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

export function tensor(shape: number[], data?: ArrayLike<number>): Tensor {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  if (data) {
    if (data.length !== n) throw new RangeError(`tensor data has ${data.length} values, shape [${shape}] needs ${n}`);
    d.set(data);
  }
  return { shape: [...shape], data: d };
}

/** A tensor whose elements are their own flat indices (used to derive index maps of shape-only ops). */
export function iota(shape: number[], offset = 0): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = i + offset;
  return t;
}
