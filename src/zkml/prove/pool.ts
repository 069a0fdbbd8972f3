import type { Worker } from 'node:worker_threads';
import { ZkinferError } from '../../errors/base.js';
import { WitnessInputError } from '../witness/errors.js';
import { ProveError } from './errors.js';
import type { ProverKind } from './factory.js';
import { spawnModuleWorker } from './spawn-worker.js';
import type { Groth16Proof } from './types.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker-protocol.js';

export interface ProveJob { wasmPath: string; zkeyPath: string; signals: Record<string, string[]> }
export interface ProveJobResult {
  proof: Groth16Proof;
  publicSignals: string[];
  witnessMs: number;
  /** Wall time of the proving pass (for a batch: of the whole batch). */
  proveMs: number;
  prover: string;
  /** Jobs proven in the same pass (1 = alone). */
  batchSize: number;
}

export interface ProverPoolOptions {
  /** Worker threads (each proves one job at a time and keeps its keys loaded). Default 1: the backends are multi-threaded themselves. */
  size?: number;
  prover?: ProverKind;
  /** Jobs waiting beyond the running ones before `prove` rejects with PROVER_QUEUE_FULL. Default 64. */
  maxQueue?: number;
  /**
   * When jobs queue, up to this many of one circuit (same wasm and zkey) go to a worker together and the native
   * prover proves them in one pass (docs/native-prover.md "Batched proving"). Default 4; 1 turns batching off.
   */
  maxBatch?: number;
}

type JobHandle = { resolve: (r: ProveJobResult) => void; reject: (e: Error) => void };
interface Slot { worker: Worker; ready: Promise<void>; jobs: Map<number, JobHandle> }

/** Rebuild a typed error that crossed the thread boundary. */
function reviveError(e: { name: string; code?: string; message: string; hint?: string }): Error {
  const opts = e.hint ? { hint: e.hint } : {};
  if (e.name === 'WitnessInputError' && e.code) return new WitnessInputError(e.code as ConstructorParameters<typeof WitnessInputError>[0], e.message, opts);
  if (e.code) return new ZkinferError(e.code, e.message, opts);
  return new ProveError('PROVE_FAILED', `proving failed: ${e.message}`, opts);
}

/**
 * A bounded pool of prover worker threads with a FIFO queue, so proving never blocks the event loop of the
 * process that asks for proofs (a miner's axon keeps answering while it proves).
 */
export class ProverPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<{ job: ProveJob; resolve: (r: ProveJobResult) => void; reject: (e: Error) => void }> = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly maxQueue: number;
  readonly maxBatch: number;
  readonly kind: ProverKind;

  constructor(opts: ProverPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? 1);
    this.maxQueue = opts.maxQueue ?? 64;
    this.maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 4));
    this.kind = opts.prover ?? 'auto';
  }

  /** Jobs waiting for a worker. */
  get pending(): number { return this.queue.length; }

  /** Prove one witness input; resolves when a worker has produced the proof. The job is queued once `ready` resolves. */
  prove(job: ProveJob, ready?: Promise<unknown>): Promise<ProveJobResult> {
    if (ready) return ready.then(() => this.prove(job));
    if (this.closed) return Promise.reject(new ProveError('PROVER_CLOSED', 'the prover pool is closed'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new ProveError('PROVER_QUEUE_FULL', `the prover queue is full (${this.maxQueue} jobs waiting)`, { hint: 'retry later or raise maxQueue' }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const init: WorkerInit = { prover: this.kind };
    const worker = spawnModuleWorker(import.meta.url, 'worker', init);
    let readyResolve!: () => void, readyReject!: (e: Error) => void;
    const slot: Slot = { worker, jobs: new Map(), ready: new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; }) };
    slot.ready.catch(() => {});
    worker.on('message', (m: WorkerResponse) => {
      if (m.type === 'ready') { readyResolve(); return; }
      const j = slot.jobs.get(m.id);
      if (!j) return;
      slot.jobs.delete(m.id);
      if (m.ok) j.resolve({ proof: m.proof, publicSignals: m.publicSignals, witnessMs: m.witnessMs, proveMs: m.proveMs, prover: m.prover, batchSize: m.batchSize });
      else j.reject(reviveError(m.error));
      if (slot.jobs.size === 0) this.pump();
    });
    const fail = (err: Error) => {
      readyReject(err);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const j of slot.jobs.values()) j.reject(new ProveError('PROVE_FAILED', `prover worker died: ${err.message}`, { cause: err }));
      slot.jobs.clear();
      if (!this.closed) this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => { if (!this.closed || slot.jobs.size > 0) fail(new Error(`worker exited with code ${code}`)); });
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.jobs.size === 0);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const batch = this.takeBatch();
      const s = slot;
      const jobs = batch.map((q) => {
        const id = this.nextId++;
        s.jobs.set(id, { resolve: q.resolve, reject: q.reject });
        return { id, ...q.job };
      });
      const msg: WorkerRequest = jobs.length === 1 ? { type: 'prove', ...jobs[0]! } : { type: 'prove-batch', jobs };
      s.ready.then(() => s.worker.postMessage(msg), () => {});
    }
  }

  /** The next queued job plus up to maxBatch − 1 later ones of the same circuit (FIFO order otherwise kept). */
  private takeBatch(): Array<(typeof this.queue)[number]> {
    const first = this.queue.shift()!;
    const batch = [first];
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch;) {
      const q = this.queue[i]!;
      if (q.job.zkeyPath === first.job.zkeyPath && q.job.wasmPath === first.job.wasmPath) {
        batch.push(q);
        this.queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  /** Finish running jobs' threads, reject queued ones, and stop the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new ProveError('PROVER_CLOSED', 'the prover pool was closed'));
    await Promise.all(this.slots.map(async (s) => {
      const exited = new Promise<void>((res) => s.worker.once('exit', () => res()));
      s.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      const timer = setTimeout(() => void s.worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    }));
    this.slots.length = 0;
  }
}
