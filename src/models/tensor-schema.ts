import { z } from 'zod';

/** zod schema of a nested number array of exactly `shape` (row-major), e.g. [5,1,8]. */
export function tensorArraySchema(shape: readonly number[]): z.ZodType<unknown> {
  let s: z.ZodType<unknown> = z.number().finite();
  for (let i = shape.length - 1; i >= 0; i--) s = z.array(s).length(shape[i]!);
  return s;
}

/** Flatten a nested array row-major. */
export function flattenNested(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flattenNested) : [x as number];
}

/** Reshape flat values into a nested array of `shape`. */
export function nest(values: readonly number[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n! }, (_, i) => nest(values.slice(i * size, (i + 1) * size), rest));
}
