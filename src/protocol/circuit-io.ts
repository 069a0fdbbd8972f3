import type { CircuitMetadata } from '../zkml/artifacts/metadata.js';
import { decodeOutputs as decodeOutputTensors } from '../zkml/prove/decode.js';
import { quantizeInputs, type InputData } from '../zkml/witness/inputs.js';
import { InvalidInputError } from '../errors/base.js';

/**
 * Between the wire's real-valued inputs (tensor name → flattened numbers, QueryZkProof.public_inputs) and the
 * zkML engine's EZKL-style input_data (one flat array per circuit input, in metadata order).
 */

/** Real inputs by circuit input tensor name, flattened row-major. */
export type RealInputs = Record<string, number[]>;

/** Order named inputs as the engine's input_data; unknown or missing names are clear errors. */
export function toInputData(meta: Pick<CircuitMetadata, 'inputs' | 'name'>, inputs: RealInputs): InputData {
  const expected = meta.inputs.map((t) => t.name);
  for (const name of Object.keys(inputs)) {
    if (!expected.includes(name)) throw new InvalidInputError(`unknown input "${name}" for circuit ${meta.name}`, { hint: `inputs are: ${expected.join(', ')}` });
  }
  return {
    input_data: meta.inputs.map((t) => {
      const v = inputs[t.name];
      if (!v) throw new InvalidInputError(`missing input "${t.name}" for circuit ${meta.name}`, { hint: `send ${t.shape.reduce((a, b) => a * b, 1)} numbers (shape [${t.shape.join(', ')}])` });
      return v;
    }),
  };
}

/** Witness-generator input (signal → field elements), range- and shape-checked by the engine. */
export function encodeInputs(meta: Pick<CircuitMetadata, 'inputs' | 'name' | 'publicLayout'>, inputs: RealInputs): Record<string, string[]> {
  return quantizeInputs(meta, toInputData(meta, inputs)).signals;
}

/** Decode the output tensors (real numbers) from verified public signals, by output name. */
export function decodeOutputs(meta: Pick<CircuitMetadata, 'outputs' | 'publicLayout'>, publicSignals: readonly string[]): Record<string, number[]> {
  const values = decodeOutputTensors(meta, publicSignals);
  return Object.fromEntries(meta.outputs.map((t, i) => [t.name, values[i]!]));
}

/** Seeded uniform random inputs within a fraction of each input's range (generic benchmark generator). */
export function randomInputs(meta: Pick<CircuitMetadata, 'inputs'>, rand: () => number, fraction = 0.5): RealInputs {
  const out: RealInputs = {};
  for (const t of meta.inputs) {
    const bound = Math.min(2 ** (t.rangeBits - t.scaleBits) * fraction, 8);
    const q = 2 ** t.scaleBits;
    out[t.name] = Array.from({ length: t.shape.reduce((a, b) => a * b, 1) }, () => Math.round((rand() * 2 - 1) * bound * q) / q);
  }
  return out;
}
