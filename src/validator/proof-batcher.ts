/**
 * Collects the validator's proof checks per circuit and verifies each group as one batch (docs/network.md,
 * batch verification): a check waits at most `windowMs` for others of its circuit (or until `maxBatch` are
 * waiting), then the group goes through one randomised multi-pairing, falling back to bisection so that
 * exactly the bad answers fail. Each caller gets its own answer's result.
 */
import type { LoadedArtifacts } from '../zkml/artifacts/index.js';
import { verifyMinerProofs, type MinerAnswer, type MinerProofCheck } from './verify-proof.js';

interface Waiting { answer: MinerAnswer; resolve: (c: MinerProofCheck) => void; reject: (e: unknown) => void }
interface Group { artifacts: LoadedArtifacts; waiting: Waiting[]; timer: NodeJS.Timeout | undefined }

export interface ProofBatcherOptions {
  /** Longest a check waits for others of its circuit, ms (default 50; 0 verifies each alone). */
  windowMs?: number;
  /** Largest batch (default 128). */
  maxBatch?: number;
}

export interface BatchStats { batches: number; proofs: number }

export class ProofBatcher {
  readonly stats: BatchStats = { batches: 0, proofs: 0 };
  private readonly groups = new Map<string, Group>();
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(opts: ProofBatcherOptions = {}) {
    this.windowMs = opts.windowMs ?? 50;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 128);
  }

  /** Queue one miner answer of `artifacts`' circuit; resolves with its own check when its batch ran. */
  verify(artifacts: LoadedArtifacts, answer: MinerAnswer): Promise<MinerProofCheck> {
    const id = artifacts.metadata.id;
    let g = this.groups.get(id);
    if (!g) {
      g = { artifacts, waiting: [], timer: undefined };
      this.groups.set(id, g);
    }
    const p = new Promise<MinerProofCheck>((resolve, reject) => g.waiting.push({ answer, resolve, reject }));
    if (g.waiting.length >= this.maxBatch || this.windowMs <= 0) this.flush(id);
    else g.timer ??= setTimeout(() => this.flush(id), this.windowMs);
    return p;
  }

  /** Verify everything waiting now (stop() calls it so no check is left hanging). */
  flushAll(): void {
    for (const id of [...this.groups.keys()]) this.flush(id);
  }

  private flush(id: string): void {
    const g = this.groups.get(id);
    if (!g) return;
    this.groups.delete(id);
    if (g.timer) clearTimeout(g.timer);
    const waiting = g.waiting;
    this.stats.batches++;
    this.stats.proofs += waiting.length;
    verifyMinerProofs(g.artifacts, waiting.map((w) => w.answer)).then(
      (checks) => waiting.forEach((w, i) => w.resolve(checks[i]!)),
      (e: unknown) => waiting.forEach((w) => w.reject(e)),
    );
  }
}
