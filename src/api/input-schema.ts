import { z } from 'zod';
import type { CircuitMetadata, TensorSpec } from '../zkml/format/metadata.js';
import { BadRequestError } from './errors.js';
import { issuesOf } from '../client/input-check.js';

export { fieldPath } from '../client/input-check.js';

/** zod schema of one real number that fits the tensor's fixed-point range. */
function element(t: TensorSpec): z.ZodType<number> {
  const max = 2 ** (t.rangeBits - t.scaleBits);
  return z
    .number({ error: 'expected a finite number' })
    .refine((v) => Math.abs(Math.round(v * 2 ** t.scaleBits)) < 2 ** t.rangeBits, { message: `out of range: |value| must be below ${max}` })
    .meta({ description: `fixed-point, ${t.scaleBits} fractional bits, |value| < ${max}` });
}

/** zod schema of a tensor: nested arrays of exactly its shape (row-major). */
export function tensorSchema(t: TensorSpec): z.ZodType {
  let s: z.ZodType = element(t);
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const n = t.shape[i]!;
    s = z.array(s).length(n, { message: `expected exactly ${n} items` });
  }
  return s;
}

/**
 * The input schema a circuit's metadata implies: an object with one key per input tensor, each a nested
 * array of its shape, values within the circuit's fixed-point range. Used when the model zoo gives none.
 */
export function inputSchemaFromMetadata(meta: Pick<CircuitMetadata, 'inputs'>): z.ZodType {
  return z.strictObject(Object.fromEntries(meta.inputs.map((t) => [t.name, tensorSchema(t).describe(`${t.name}: shape [${t.shape.join(', ')}]`)])));
}

/** Parse with `schema` or throw a 400 whose message names the first offending field (all issues in `issues`). */
export function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = issuesOf(r.error, root);
  const first = issues[0]!;
  throw new BadRequestError(`${first.field}: ${first.message}`, { field: first.field, details: { issues } });
}
