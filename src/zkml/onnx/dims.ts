import { InvalidInputError } from '../../errors/base.js';
import { MAX_TENSOR_ELEMENTS } from '../ir/tensor.js';

/**
 * Parse `--dim NAME=N` values (repeatable) into symbolic-dimension sizes for the importer
 * (docs/zkml-compile.md, "Symbolic dimensions").
 */
export function parseDimOptions(values: readonly string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=\s]+)=(\d+)$/.exec(v.trim());
    const n = m ? Number(m[2]) : NaN;
    if (!m || !(n >= 1 && Number.isSafeInteger(n))) {
      throw new InvalidInputError(`--dim "${v}" is not NAME=N with N a positive integer`, { hint: 'e.g. --dim batch_size=1 --dim seq_len=5' });
    }
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new InvalidInputError(`--dim "${v}": ${m[2]} is over the limit of ${MAX_TENSOR_ELEMENTS} elements a tensor may hold (docs/zkml-compile.md "Size limit")`, { hint: 'e.g. --dim batch_size=1 --dim seq_len=5' });
    }
    dims[m[1]!] = n;
  }
  return dims;
}
