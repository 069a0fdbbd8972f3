import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { PriorityError, ProtocolError } from '../protocol/errors.js';
import { closeRedis, connectRedis, redactRedisUrl, waitForRedis } from '../redis/connection.js';
import type { CircuitStore, ServedCircuit } from '../miner/circuit-store.js';
import type { ProofBackend } from '../miner/miner.js';
import type { Groth16ProveResult } from '../zkml/prove/types.js';
import { FleetError } from './errors.js';
import { aliveKey, beatsKey, FLEET_PREFIX, ProveJobResultSchema, queueName, WorkerBeatSchema, type ProveJobData, type WorkerBeat } from './protocol.js';
import { JobStats } from './stats.js';

export interface FleetBackendOptions {
  /** redis:// or rediss:// URL shared with the prover workers. */
  url: string;
  circuits: CircuitStore;
  /** How often the live workers are read (ms). Default 1000. */
  pollMs?: number;
  /** Log one line per worker every this many seconds (0 = never). Default 60. */
  logEveryS?: number;
  log?: (line: string) => void;
}

interface Pending { resolve: (r: unknown) => void; reject: (e: Error) => void; t0: number }

/** Per-circuit view of the fleet, refreshed every poll. */
export interface FleetCircuitState {
  workers: WorkerBeat[];
  capacity: number;
  /** Round trips seen by the miner (enqueue → result), and the queue's share of them. */
  roundTrip: JobStats;
  overhead: JobStats;
}

/**
 * A miner's ProofBackend on a proving fleet (docs/scale-out.md): each proof is a job on the circuit's BullMQ
 * queue in Redis, taken by any `zkinfer prover-worker`. The circuits' capacities (QueryForCapacities and the
 * per-circuit gate, so 503 when full) follow the live workers' heartbeats. A job whose worker dies is retried
 * by another worker (BullMQ stall recovery) while its request waits; a result that arrives after its request
 * ended, or a second result for the same job, is dropped. While Redis is unreachable the miner answers 503.
 */
export class FleetBackend implements ProofBackend {
  private producer: Redis | undefined;
  private readonly conns: Redis[] = [];
  private readonly queues = new Map<string, Queue>();
  private readonly events: QueueEvents[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly state = new Map<string, FleetCircuitState>();
  private timer: NodeJS.Timeout | undefined;
  private lastLog = Date.now();
  private up = false;
  private closed = false;
  /** Results dropped because their request had already ended (or a duplicate). */
  lateDropped = 0;
  /** Jobs whose worker stopped renewing the lock (died mid-proof) and that went back to the queue. */
  stalled = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: FleetBackendOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  /** Connect, open one queue per circuit, and read the live workers once. */
  async start(): Promise<void> {
    this.producer = connectRedis(this.opts.url, { failFast: true, name: 'zkinfer-miner' });
    await waitForRedis(this.producer, this.opts.url);
    for (const c of this.opts.circuits.all()) {
      this.queues.set(c.id, new Queue(queueName(c.id), { connection: this.producer, prefix: FLEET_PREFIX }));
      const conn = connectRedis(this.opts.url, { name: 'zkinfer-miner-events' });
      this.conns.push(conn);
      const ev = new QueueEvents(queueName(c.id), { connection: conn, prefix: FLEET_PREFIX });
      ev.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue, undefined));
      ev.on('failed', ({ jobId, failedReason }) => this.settle(jobId, undefined, failedReason));
      ev.on('stalled', ({ jobId }) => {
        this.stalled++;
        this.log(`miner: proof job ${jobId} lost its worker; retrying it on another`);
      });
      ev.on('error', () => undefined);
      this.events.push(ev);
      this.state.set(c.id, { workers: [], capacity: 0, roundTrip: new JobStats(), overhead: new JobStats() });
    }
    await Promise.all(this.events.map((e) => e.waitUntilReady()));
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 1000);
    this.log(`miner: proving fleet on ${redactRedisUrl(this.opts.url)}: ${this.describe()}`);
  }

  /** Live workers and capacity by circuit id. */
  fleet(): ReadonlyMap<string, FleetCircuitState> {
    return this.state;
  }

  unavailable(circuit: ServedCircuit): string | undefined {
    if (!this.up) return `the proving fleet's Redis (${redactRedisUrl(this.opts.url)}) is unreachable`;
    if ((this.state.get(circuit.id)?.capacity ?? 0) === 0) return `no prover worker is serving circuit ${circuit.id}`;
    return undefined;
  }

  async prove(circuit: ServedCircuit, witnessInput: Record<string, string[]>, signal?: AbortSignal): Promise<Groth16ProveResult> {
    const queue = this.queues.get(circuit.id);
    if (!queue) throw new PriorityError(503, `circuit ${circuit.id} has no fleet queue`);
    const jobId = randomUUID();
    const t0 = performance.now();
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(jobId, { resolve, reject, t0 }));
    result.catch(() => undefined); // awaited below; may settle while the job is still being added
    const onAbort = (): void => {
      const p = this.pending.get(jobId);
      if (!p) return;
      this.pending.delete(jobId);
      p.reject(new PriorityError(408, `Response timeout: proof job ${jobId} did not finish in time`));
      // A job nobody took yet is removed; a running one finishes and its result is dropped.
      void queue.remove(jobId).catch(() => undefined);
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const data: ProveJobData = { circuitId: circuit.id, files: circuit.artifacts.metadata.files, signals: witnessInput };
    try {
      await queue.add('prove', data, { jobId, attempts: 1, removeOnComplete: { age: 300 }, removeOnFail: { age: 3600 } });
    } catch (cause) {
      this.pending.delete(jobId);
      signal?.removeEventListener('abort', onAbort);
      throw new PriorityError(503, `Service unavailable: cannot queue the proof in Redis (${(cause as Error).message})`);
    }
    try {
      const raw = await result;
      const parsed = ProveJobResultSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!parsed.success) throw new FleetError('FLEET_RESULT_INVALID', `a worker returned a malformed result for job ${jobId}: ${parsed.error.issues[0]?.message}`);
      const ms = performance.now() - t0;
      const st = this.state.get(circuit.id)!;
      st.roundTrip.ok(ms);
      st.overhead.ok(Math.max(0, ms - parsed.data.witnessMs - parsed.data.proveMs));
      return { proof: parsed.data.proof, publicSignals: parsed.data.publicSignals };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private settle(jobId: string, value: unknown, failed: string | undefined): void {
    const p = this.pending.get(jobId);
    if (!p) {
      this.lateDropped++;
      return;
    }
    this.pending.delete(jobId);
    if (failed === undefined) p.resolve(value);
    else p.reject(failed.startsWith('Service unavailable') ? new ProtocolError(503, 'OVERLOADED', failed) : new FleetError('FLEET_JOB_FAILED', failed));
  }

  /** Read every circuit's live workers, drop the gone ones, and set the capacities. */
  private async poll(): Promise<void> {
    const r = this.producer!;
    try {
      for (const id of this.state.keys()) {
        const raw = await r.hgetall(beatsKey(id));
        const ids = Object.keys(raw);
        const alive = ids.length ? await r.mget(ids.map((w) => aliveKey(id, w))) : [];
        const workers: WorkerBeat[] = [];
        const gone: string[] = [];
        ids.forEach((w, i) => {
          const beat = WorkerBeatSchema.safeParse(JSON.parse(raw[w]!));
          if (alive[i] && beat.success) workers.push(beat.data);
          else gone.push(w);
        });
        if (gone.length) await r.hdel(beatsKey(id), ...gone);
        const st = this.state.get(id)!;
        st.workers = workers.sort((a, b) => a.workerId.localeCompare(b.workerId));
        st.capacity = workers.reduce((n, w) => n + w.concurrency, 0);
      }
      if (!this.up) this.log(`miner: proving fleet reachable: ${this.describe()}`);
      this.up = true;
    } catch (e) {
      if (this.up && !this.closed) this.log(`miner: proving fleet's Redis unreachable (${(e as Error).message}); answering 503 until it is back`);
      this.up = false;
      for (const st of this.state.values()) st.capacity = 0;
    }
    for (const [id, st] of this.state) this.opts.circuits.setCapacity(id, st.capacity);
    const every = (this.opts.logEveryS ?? 60) * 1000;
    if (every > 0 && Date.now() - this.lastLog >= every) {
      this.lastLog = Date.now();
      for (const line of this.report()) this.log(line);
    }
  }

  private describe(): string {
    return [...this.state].map(([id, st]) => `${id.slice(0, 12)}… ${st.workers.length} workers, capacity ${st.capacity}`).join('; ');
  }

  /** One line per worker: jobs, failures, p50/p95 proving time (the workers' own counters). */
  report(): string[] {
    const lines: string[] = [];
    for (const [id, st] of this.state) {
      lines.push(`fleet ${id.slice(0, 12)}…: ${st.workers.length} workers, capacity ${st.capacity}, queue overhead p50 ${st.overhead.p(0.5) ?? '-'} ms, ${this.lateDropped} late results dropped`);
      for (const w of st.workers) {
        lines.push(`  worker ${w.workerId} (${w.prover}): ${w.active}/${w.concurrency} busy, ${w.jobs} jobs, ${w.failures} failures, p50 ${w.p50Ms ?? '-'} ms, p95 ${w.p95Ms ?? '-'} ms`);
      }
    }
    return lines;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const [id, p] of this.pending) p.reject(new PriorityError(503, `Service unavailable: the miner is stopping (job ${id})`));
    this.pending.clear();
    await Promise.all(this.events.map((e) => e.close().catch(() => undefined)));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    await Promise.all([...this.conns, ...(this.producer ? [this.producer] : [])].map(closeRedis));
  }
}
