import { ZkinferError } from '../../errors/base.js';

/** A dense tensor with a static shape, row-major. Integer tensors (shapes, indices) are stored as exact doubles. */
export interface Tensor {
  shape: number[];
  data: Float64Array;
  /**
   * When set, the ascending indices of every element of `data` that is not ±0 (a listed element may be 0 too): a
   * kernel may read only those. Set on a lowering probe for the call it is passed to (src/zkml/quantize/affine-probe.ts),
   * so that a probe of a reduction over n elements costs its few nonzeros, not a scan of all n.
   */
  nonzeros?: Int32Array;
}

/**
 * The most elements any one tensor may hold: graph inputs, initializers, folded constants and every intermediate
 * (docs/zkml-compile.md "Size limit"). 2^24 = 16,777,216 elements (128 MiB as float64) — a 4096×4096 weight matrix
 * fits, and a computed tensor that large would need far more constraints than the largest benchmarked circuit (2^22).
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 24;

/**
 * A tensor would hold more than MAX_TENSOR_ELEMENTS elements (docs/zkml-compile.md "Size limit"). `subject` names
 * it (`tensor "y"`, `graph input "x"`), or names a count bounded the same way (`the multiply-adds of …`); `where` names the node.
 */
export class TensorLimitError extends ZkinferError {
  override readonly name = 'TensorLimitError';
  constructor(readonly elements: number, readonly subject?: string, readonly shape?: readonly number[], readonly where?: string) {
    const n = Number.isFinite(elements) ? elements.toLocaleString('en-US') : String(elements);
    const isTensor = !subject?.startsWith('the ');
    super('TENSOR_TOO_LARGE', `${subject ?? 'a tensor'}${shape ? ` of shape [${shape.join(', ')}]` : ''}${where ? ` at ${where}` : ''} would ${isTensor ? `hold ${n} elements` : `be ${n}`}, over the limit of ${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} elements (docs/zkml-compile.md "Size limit")`, {
      hint: 'each tensor of a model may hold at most 2^24 elements; check the model\'s shapes (and any --dim)',
      details: { elements, limit: MAX_TENSOR_ELEMENTS, ...(subject ? { subject } : {}), ...(shape ? { shape: [...shape] } : {}), ...(where ? { where } : {}) },
    });
  }
}

/**
 * The most elements one model's tensors may hold all together, counted as the importer allocates them (initializers,
 * constants, graph inputs, every computed tensor) with each op's multiply-adds and window taps (docs/zkml-compile.md
 * "Size limit"): 2^26 = 67,108,864 (512 MiB as float64). Each tensor's own bound leaves a model of many tensors
 * just under it unbounded in total.
 */
export const MAX_MODEL_ELEMENTS = 2 ** 26;

/** A model's tensors and op work would exceed MAX_MODEL_ELEMENTS in total (docs/zkml-compile.md "Size limit"). */
export class ModelSizeLimitError extends ZkinferError {
  override readonly name = 'ModelSizeLimitError';
  constructor(readonly elements: number, readonly subject: string, readonly where?: string) {
    super('MODEL_TOO_LARGE', `${subject}${where ? ` at ${where}` : ''} would bring the model's tensors and op work to ${elements.toLocaleString('en-US')} elements in total, over the limit of ${MAX_MODEL_ELEMENTS.toLocaleString('en-US')} (docs/zkml-compile.md "Size limit")`, {
      hint: 'the tensors of a model (weights, constants, inputs, every computed tensor) and the multiply-adds of its ops may hold at most 2^26 elements together',
      details: { elements, limit: MAX_MODEL_ELEMENTS, subject, ...(where ? { where } : {}) },
    });
  }
}

/** The running total of the model being imported (withModelBudget), undefined outside an import. */
let budget: { used: number } | undefined;

/** Run `f` (synchronous: no other import interleaves) counting every tensor and op's work against MAX_MODEL_ELEMENTS. */
export function withModelBudget<T>(f: () => T): T {
  const outer = budget;
  budget = { used: 0 };
  try {
    return f();
  } finally {
    budget = outer;
  }
}

/** Count `n` elements of `subject` against the model's total, before they are allocated (ModelSizeLimitError past it). */
export function chargeModel(n: number, subject: string): void {
  if (!budget) return;
  budget.used += n;
  if (budget.used > MAX_MODEL_ELEMENTS) throw new ModelSizeLimitError(budget.used, subject);
}

/**
 * A kernel cannot run a node as configured (a bad attribute or shape, an unsupported variant); the importer names the
 * node and model. `unsupported`: the op variant is valid ONNX that zkinfer does not implement (else the model is wrong).
 */
export class KernelError extends Error {
  constructor(message: string, readonly unsupported = true) {
    super(message);
  }
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The element count of `shape`, checked before anything is allocated: every dimension a non-negative integer
 * (KernelError) and the count within MAX_TENSOR_ELEMENTS (TensorLimitError, naming `name` if given).
 */
export function checkedSize(shape: readonly number[], name?: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new KernelError(`invalid shape [${shape.join(', ')}]: dimension ${d} is not a non-negative integer`, false);
    n *= d;
  }
  if (n > MAX_TENSOR_ELEMENTS) throw new TensorLimitError(n, name, shape);
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** A tensor of `shape` (zeros, or `data`), its size checked first (checkedSize). */
export function tensor(shape: number[], data?: ArrayLike<number>): Tensor {
  const n = checkedSize(shape);
  chargeModel(n, `a tensor of shape [${shape.join(', ')}]`);
  const d = new Float64Array(n);
  if (data) {
    if (data.length !== n) throw new KernelError(`tensor data has ${data.length} values, shape [${shape}] needs ${n}`, false);
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
