import { ZkinferError } from '../../errors/base.js';
import type { CircuitMetadata } from '../format/metadata.js';
import { sizeOf } from '../ir/tensor.js';
import { toFixed } from '../fixed-point.js';

/** A prover input is outside what the circuit accepts (wrong length, not finite, or beyond the range check). */
export class InputRangeError extends ZkinferError {
  override readonly name = 'InputRangeError';
  constructor(message: string, opts: { hint?: string; details?: Record<string, unknown> } = {}) {
    super('INPUT_RANGE', message, opts);
  }
}

/**
 * Check inputs (one flat float array per input tensor, as in EZKL `input_data`) against the circuit's in-circuit
 * range checks before proving: |round(v·2^scaleBits)| < 2^rangeBits for every value. Throws InputRangeError.
 */
export function checkInputRange(metadata: Pick<CircuitMetadata, 'inputs' | 'name'>, inputs: ArrayLike<number>[]): void {
  if (inputs.length !== metadata.inputs.length) {
    throw new InputRangeError(`circuit "${metadata.name}" takes ${metadata.inputs.length} input tensor(s), got ${inputs.length}`, {
      hint: 'pass input_data with one flat array per model input',
    });
  }
  metadata.inputs.forEach((spec, t) => {
    const xs = inputs[t]!, n = sizeOf(spec.shape);
    if (xs.length !== n) throw new InputRangeError(`input "${spec.name}" needs ${n} values (shape [${spec.shape}]), got ${xs.length}`);
    const lim = 2 ** (spec.rangeBits - spec.scaleBits);
    for (let i = 0; i < n; i++) {
      const v = xs[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputRangeError(`input "${spec.name}"[${i}] is not a finite number`);
      const q = toFixed(v, spec.scaleBits);
      if (q >= 1n << BigInt(spec.rangeBits) || -q >= 1n << BigInt(spec.rangeBits)) {
        throw new InputRangeError(`input "${spec.name}"[${i}] = ${v} is outside the circuit's range |x| < ${lim}`, {
          hint: `the circuit range-checks inputs; recompile with a --calibration file covering such values to widen it`,
          details: { tensor: spec.name, index: i, value: v, limit: lim },
        });
      }
    }
  });
}
