import type { CircuitMetadata } from '../artifacts/metadata.js';
import { decodeReal } from '../fixed-point.js';

/** Decode the output tensors (floats, one array per output in metadata.outputs order) from public signals. */
export function decodeOutputs(metadata: Pick<CircuitMetadata, 'outputs' | 'publicLayout'>, publicSignals: readonly string[]): number[][] {
  return metadata.outputs.map((spec) => {
    const at = metadata.publicLayout.outputs.find((o) => o.name === spec.name);
    if (!at) throw new RangeError(`metadata.publicLayout has no output "${spec.name}"`);
    return publicSignals.slice(at.offset, at.offset + at.length).map((f) => decodeReal(f, spec.scaleBits));
  });
}
