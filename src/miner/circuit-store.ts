import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadArtifacts, type LoadedArtifacts } from '../zkml/artifacts/index.js';
import { devPtauPathOf } from '../zkml/setup/dev-ptau.js';
import { CompileSourceError, readCompileSource, sourceToWire, type CompileSource } from '../zkml/source.js';
import { SynapseParsingError } from '../protocol/errors.js';
import { PriorityGate } from '../protocol/priority-gate.js';

/** One served circuit: hash-checked artifacts and its proving capacity. */
export interface ServedCircuit {
  id: string;
  artifacts: LoadedArtifacts;
  /** Concurrent proofs of this circuit (the compute units advertised in QueryForCapacities); follows the live workers with a proving fleet. */
  capacity: number;
  /** Per-circuit admission: `capacity` proving at once, a bounded queue, 503 beyond. */
  gate: PriorityGate;
}

/** The miner's circuits by id (= sha256 of the canonical vk). Artifacts are hash-checked before use. */
export class CircuitStore {
  private readonly byId = new Map<string, ServedCircuit>();

  /** Load an artifacts directory (loadArtifacts checks every file's sha256 and the id). */
  async add(dir: string, opts: { capacity?: number; queue?: number } = {}): Promise<ServedCircuit> {
    const artifacts = await loadArtifacts(dir);
    const capacity = Math.max(1, opts.capacity ?? 1);
    const c: ServedCircuit = { id: artifacts.metadata.id, artifacts, capacity, gate: new PriorityGate(capacity, opts.queue ?? 32) };
    this.byId.set(c.id, c);
    return c;
  }

  /** Set a circuit's capacity and its gate's concurrency (a proving fleet's live workers, docs/scale-out.md). */
  setCapacity(id: string, capacity: number): void {
    const c = this.byId.get(id);
    if (!c || c.capacity === capacity) return;
    c.capacity = capacity;
    c.gate.resize(capacity);
  }

  get(id: string): ServedCircuit | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  all(): ServedCircuit[] {
    return [...this.byId.values()];
  }

  capacities(): Record<string, number> {
    return Object.fromEntries(this.all().map((c) => [c.id, c.capacity]));
  }
}

/**
 * A served circuit's metadata and vk for the CompetitionArtifacts synapse (docs/competitions.md); with
 * `includeSource`, what a validator audits: `<dir>/source/`, the zkey, and the dev ptau of an INSECURE-DEV key.
 */
export async function servedArtifacts(store: CircuitStore, circuitId: string, includeSource = false): Promise<{ metadata: string; verification_key: string; source?: string; zkey?: string; ptau?: string }> {
  const c = store.get(circuitId);
  if (!c) throw new SynapseParsingError(`unknown circuit_id ${circuitId || '(empty)'}: this miner serves ${store.ids().join(', ') || 'no circuits'}`);
  const base = { metadata: JSON.stringify(c.artifacts.metadata), verification_key: JSON.stringify(c.artifacts.vk) };
  if (!includeSource) return base;
  let source: CompileSource | undefined;
  try {
    source = await readCompileSource(c.artifacts.dir, c.artifacts.metadata.modelSha256);
  } catch (e) {
    // served as is, the source would fail the validator's audit-by-recompile (docs/competitions.md)
    if (e instanceof CompileSourceError) throw new SynapseParsingError(`circuit ${circuitId.slice(0, 16)}…: ${e.message}; recompile it with zkinfer compile to submit it`, { cause: e });
    throw e;
  }
  if (!source) throw new SynapseParsingError(`circuit ${circuitId.slice(0, 16)}… has no source/ (compiled before zkinfer kept sources): recompile it with zkinfer compile to submit it`);
  const devPtau = c.artifacts.metadata.security === 'INSECURE-DEV' ? devPtauPathOf(c.artifacts.metadata.ptau.source) : undefined;
  return {
    ...base,
    source: sourceToWire(source),
    zkey: (await readFile(c.artifacts.paths.zkey)).toString('base64'),
    ...(devPtau && existsSync(devPtau) ? { ptau: (await readFile(devPtau)).toString('base64') } : {}),
  };
}
