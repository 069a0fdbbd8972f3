/**
 * Node-only helpers for pinning a client verification to things the caller holds (docs/security.md): a local
 * circuit artifacts directory (vk + metadata, hash-checked) and the caller's own input encoded to tensors.
 */
import type { CircuitView } from '../api/wire.js';
import { loadArtifacts } from '../zkml/artifacts/index.js';
import type { CircuitMetadata } from '../zkml/format/metadata.js';

export interface LocalCircuit { circuit: Pick<CircuitView, 'id' | 'name' | 'inputs' | 'outputs' | 'public_layout'>; vk: Record<string, unknown>; metadata: CircuitMetadata }

/** The circuit description and vk of a local artifacts directory (checked by loadArtifacts). */
export async function localCircuit(dir: string): Promise<LocalCircuit> {
  const a = await loadArtifacts(dir, { need: ['vk'] });
  const t = (x: CircuitMetadata['inputs'][number]) => ({ name: x.name, shape: x.shape, scale_bits: x.scaleBits, range_bits: x.rangeBits });
  const md = a.metadata;
  return { circuit: { id: md.id, name: md.name, inputs: md.inputs.map(t), outputs: md.outputs.map(t), public_layout: md.publicLayout }, vk: a.vk, metadata: md };
}

/**
 * The caller's own input as circuit tensors, encoded locally: zoo models (whose input object is not their
 * tensors) through the shipped model's adapter; undefined when the input is already keyed by tensor name.
 */
export async function zooTensorsOf(meta: { name: string; inputs: ReadonlyArray<{ name: string }> }, input: unknown): Promise<Record<string, number[]> | undefined> {
  const { zooModelAdapter } = await import('../api/zoo-models.js');
  const adapter = zooModelAdapter(meta as Pick<CircuitMetadata, 'name' | 'inputs'>); // it reads only the names
  if (!adapter) return undefined;
  const parsed = adapter.schema.safeParse(input);
  return parsed.success ? adapter.encode(parsed.data) : undefined;
}
