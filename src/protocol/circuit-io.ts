import type { CircuitMetadata } from '../zkml/format/metadata.js';
import { decodeOutputs as decodeOutputTensors, inputDataFromNamed, outputsByName } from '../zkml/format/layout.js';
import { quantizeInputs, type InputData } from '../zkml/witness/inputs.js';

/**
 * Between the wire's real-valued inputs (tensor name → flattened numbers, QueryZkProof.public_inputs) and the
 * zkML engine's EZKL-style input_data (one flat array per graph input, in graph order). The layout itself is the
 * circuit format's (src/zkml/format, docs/security.md).
 */

/** Real inputs by circuit input tensor name, flattened row-major. */
export type RealInputs = Record<string, number[]>;
type Format = Pick<CircuitMetadata, 'inputs' | 'outputs' | 'publicLayout' | 'name'>;

/** Order named inputs as the engine's input_data; unknown or missing names are clear errors. */
export function toInputData(meta: Format, inputs: RealInputs): InputData {
  return { input_data: inputDataFromNamed(meta, inputs) };
}

/** Witness-generator input (signal → field elements), range- and shape-checked by the engine. */
export function encodeInputs(meta: Format, inputs: RealInputs): Record<string, string[]> {
  return quantizeInputs(meta, toInputData(meta, inputs)).signals;
}

/** Decode the output tensors (real numbers) from verified public signals, by output name. */
export function decodeOutputs(meta: Pick<CircuitMetadata, 'inputs' | 'outputs' | 'publicLayout'>, publicSignals: readonly string[]): Record<string, number[]> {
  return outputsByName(meta, decodeOutputTensors(meta, publicSignals));
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
