import type { z } from 'zod';
import { loadArtifacts, type LoadedArtifacts } from '../zkml/artifacts/index.js';
import { solidityVerifierSource } from '../zkml/format/solidity.js';
import { inputSchemaFromMetadata } from './input-schema.js';
import type { CircuitCatalog, CircuitEntry } from './service.js';

/** How a model of the zoo presents its input: its own schema and the transform to circuit tensors. */
export interface ModelInputAdapter {
  schema: z.ZodType;
  encode(input: unknown): Record<string, number[]>;
  example?: unknown;
  /** One readable line about a decoded output (e.g. "predicted staking duration: 41 days"). */
  describe?(output: Record<string, number[]>): string;
}

/** An all-zero input of the metadata's tensor shapes. */
export function zeroInput(meta: Pick<LoadedArtifacts['metadata'], 'inputs'>): Record<string, unknown> {
  const zeros = (shape: number[]): unknown => (shape.length === 0 ? 0 : Array.from({ length: shape[0]! }, () => zeros(shape.slice(1))));
  return Object.fromEntries(meta.inputs.map((t) => [t.name, zeros(t.shape)]));
}

/** Flatten nested arrays of numbers (row-major). */
export function flatten(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap((x) => flatten(x)) : [v as number];
}

/** A catalog entry for one loaded artifacts directory. */
export function entryFromArtifacts(a: LoadedArtifacts, opts: { aliases?: string[]; model?: ModelInputAdapter } = {}): CircuitEntry {
  const schema = opts.model?.schema ?? inputSchemaFromMetadata(a.metadata);
  const encode =
    opts.model?.encode ?? ((input: unknown) => Object.fromEntries(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k, flatten(v)])));
  let sol: Promise<string> | undefined;
  return {
    metadata: a.metadata,
    aliases: [...new Set([a.metadata.name, ...(opts.aliases ?? [])])],
    inputSchema: schema,
    encode,
    example: opts.model ? opts.model.example : zeroInput(a.metadata),
    ...(opts.model?.describe ? { describe: opts.model.describe } : {}),
    vk: async () => a.vk,
    verifierSol: () => {
      sol ??= solidityVerifierSource(a.paths.zkey, a.metadata);
      return sol;
    },
  };
}

/** A catalog over a fixed set of entries; resolves ids and aliases (model names). */
export class StaticCatalog implements CircuitCatalog {
  constructor(private readonly entries: CircuitEntry[]) {}
  list(): CircuitEntry[] {
    return this.entries;
  }
  resolve(idOrName: string): CircuitEntry | undefined {
    return this.entries.find((e) => e.metadata.id === idOrName) ?? this.entries.find((e) => e.aliases.includes(idOrName));
  }
}

/** Load artifacts directories (hash-checked; zkey needed for the Solidity verifier) into a catalog. */
export async function loadCatalog(dirs: Array<string | { dir: string; aliases?: string[]; model?: ModelInputAdapter }>): Promise<StaticCatalog> {
  const entries: CircuitEntry[] = [];
  for (const d of dirs) {
    const spec = typeof d === 'string' ? { dir: d } : d;
    const a = await loadArtifacts(spec.dir, { need: ['vk', 'zkey'] });
    entries.push(entryFromArtifacts(a, spec));
  }
  return new StaticCatalog(entries);
}
