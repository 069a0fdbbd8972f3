import { z } from 'zod';
import type { CircuitMetadata } from '../format/metadata.js';
import { circuitInputSignals, encodeInputFields } from '../format/layout.js';
import { checkInputRange } from '../quantize/input-range.js';
import { WitnessInputError } from './errors.js';

/** EZKL-style input file: one flat array of floats per model input, in metadata.inputs order. */
export const InputDataSchema = z.object({
  input_data: z.array(z.array(z.number())),
});
export type InputData = z.infer<typeof InputDataSchema>;

/** Parse an untrusted input JSON value with a clear error. */
export function parseInputData(json: unknown): InputData {
  const r = InputDataSchema.safeParse(json);
  if (!r.success) {
    throw new WitnessInputError('INPUT_FORMAT', `input is not {"input_data": [[...numbers], ...]}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      hint: 'give one flat array of numbers per model input, e.g. {"input_data": [[0.1, -0.5, 2]]}',
    });
  }
  return r.data;
}

export interface QuantizedInputs {
  /** Circom input object: signal name → field elements (decimal strings), flattened row-major. */
  signals: Record<string, string[]>;
  /** Per input tensor (metadata.inputs order): field elements as they appear in the public signals. */
  fields: string[][];
}

/**
 * Turn EZKL-style input data into the circuit's fixed-point field elements. Count, length, finiteness and
 * the in-circuit range (|round(v·2^scaleBits)| < 2^rangeBits) are checked first by the compiler's
 * checkInputRange, so a bad input gets a clear InputRangeError instead of a failed witness.
 */
export function quantizeInputs(metadata: Pick<CircuitMetadata, 'inputs' | 'outputs' | 'publicLayout' | 'name'>, data: InputData): QuantizedInputs {
  checkInputRange(metadata, data.input_data);
  const fields = encodeInputFields(metadata, data.input_data);
  // every graph input goes to its place in the main component's input signal (docs/security.md: layout)
  return { signals: circuitInputSignals(metadata, fields), fields };
}
