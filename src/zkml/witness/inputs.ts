import { z } from 'zod';
import type { CircuitMetadata, TensorSpec } from '../artifacts/metadata.js';
import { toField, toFixed } from '../fixed-point.js';
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

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Quantize one value for an input tensor: round(v·2^scaleBits), refusing NaN/∞ and values whose magnitude
 * reaches 2^rangeBits (the circuit's range check would reject them — better a clear error than no proof).
 */
export function quantizeInputValue(v: number, spec: TensorSpec, index: number): bigint {
  if (!Number.isFinite(v)) {
    throw new WitnessInputError('INPUT_NOT_FINITE', `input "${spec.name}"[${index}] is ${v}`, { hint: 'inputs must be finite numbers' });
  }
  const q = toFixed(v, spec.scaleBits);
  const bound = 1n << BigInt(spec.rangeBits);
  if (q >= bound || -q >= bound) {
    const maxAbs = Number(bound - 1n) / 2 ** spec.scaleBits;
    throw new WitnessInputError('INPUT_OUT_OF_RANGE', `input "${spec.name}"[${index}] = ${v} is out of the circuit's range (|v| must be < ${maxAbs})`, {
      hint: `the circuit was compiled for |round(v·2^${spec.scaleBits})| < 2^${spec.rangeBits}; scale the input or recompile with a larger range`,
      details: { input: spec.name, index, value: v, scaleBits: spec.scaleBits, rangeBits: spec.rangeBits },
    });
  }
  return q;
}

export interface QuantizedInputs {
  /** Circom input object: signal name → field elements (decimal strings), flattened row-major. */
  signals: Record<string, string[]>;
  /** Per input tensor (metadata.inputs order): field elements as they appear in the public signals. */
  fields: string[][];
}

/** Turn EZKL-style input data into the circuit's fixed-point field elements, checking count, length and range. */
export function quantizeInputs(metadata: Pick<CircuitMetadata, 'inputs'>, data: InputData): QuantizedInputs {
  const specs = metadata.inputs;
  if (data.input_data.length !== specs.length) {
    throw new WitnessInputError('INPUT_SHAPE', `the circuit has ${specs.length} input(s) (${specs.map((s) => s.name).join(', ')}), input_data has ${data.input_data.length}`, {
      hint: 'give one flat array per model input, in the order of metadata.json "inputs"',
    });
  }
  const signals: Record<string, string[]> = {};
  const fields: string[][] = [];
  specs.forEach((spec, k) => {
    const values = data.input_data[k]!;
    const n = sizeOf(spec.shape);
    if (values.length !== n) {
      throw new WitnessInputError('INPUT_SHAPE', `input "${spec.name}" needs ${n} values (shape [${spec.shape.join(', ')}]), got ${values.length}`, {
        hint: 'flatten the tensor row-major into one array',
      });
    }
    const f = values.map((v, i) => toField(quantizeInputValue(v, spec, i)).toString());
    signals[spec.signal] = f;
    fields.push(f);
  });
  return { signals, fields };
}
