import { randomUUID } from 'node:crypto';
import { Queue, type QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { PriorityError, ProtocolError } from '../protocol/errors.js';
import { closeRedis, connectRedis, redactRedisUrl, waitForRedis } from '../redis/connection.js';
import { keepReadingEvents } from '../redis/queue-events.js';
import type { CircuitStore, ServedCircuit } from '../miner/circuit-store.js';
import type { ProofBackend } from '../miner/miner.js';
import type { Groth16ProveResult } from '../zkml/prove/types.js';
import { FleetError } from './errors.js';
import { aliveKey, beatsKey, FLEET_PREFIX, ProveJobResultSchema, queueName, wallMs, WorkerBeatSchema, type ProveJobData, type WorkerBeat } from './protocol.js';
import { ReplySubscriber } from './replies.js';
import { JobStats } from './stats.js';

/** How long a settled job waits for its result's echo on the other path (longer than any lock + stall check). */
const ECHO_KEEP_MS = 10 * 60_000;

export interface FleetBackendOptions {
  /** redis:// or rediss:// URL shared with the prover workers. */
  url: string;
  circuits: CircuitStore;
  /** How often the live workers are read (ms). Default 1000. */
  pollMs?: number;
  /** Log one line per worker every this many seconds (0 = never). Default 60. */
  logEveryS?: number;
  log?: (line: string) => void;
  /**
   * Workers publish each result on this miner's reply channel as soon as it is proven (default true); false:
   * results come only through BullMQ's event stream (the slower path, kept as the fallback; bench:fleet compares).
   */
  replyChannel?: boolean;
}

/** How a result reached the miner: its reply channel, or BullMQ's `completed` event. */
type Path = 'reply' | 'event';

interface Pending { resolve: (r: { value: unknown; via: Path }) => void; reject: (e: Error) => void; replies: boolean }

/** Per-circuit view of the fleet, refreshed every poll. */
export interface FleetCircuitState {
  workers: WorkerBeat[];
  capacity: number;
  /** Round trips seen by the miner (enqueue → result), and the queue's share of them. */
  roundTrip: JobStats;
  overhead: JobStats;
  /**
   * The overhead split by the worker's timestamps (same machine only: clocks of different machines differ):
   * enqueue → worker took it, the worker's own time around the prover (thread hop, checks), proof ready → miner.
   */
  hops: { toWorker: JobStats; inWorker: JobStats; back: JobStats };
  /** Results that arrived first on the reply channel / through the event stream. */
  via: Record<Path, number>;
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
  /** Settled jobs whose result is still due on the other path (the same result twice, not a late one), by time. */
  private readonly echoes = new Map<string, { path: Path; at: number }>();
  private replies: ReplySubscriber | undefined;
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
    if (this.opts.replyChannel ?? true) this.replies = await ReplySubscriber.open(this.opts.url, (jobId, value) => this.settle(jobId, value, undefined, 'reply'));
    for (const c of this.opts.circuits.all()) {
      this.queues.set(c.id, new Queue(queueName(c.id), { connection: this.producer, prefix: FLEET_PREFIX }));
      const conn = connectRedis(this.opts.url, { name: 'zkinfer-miner-events' });
      this.conns.push(conn);
      const ev = keepReadingEvents(queueName(c.id), { connection: conn, prefix: FLEET_PREFIX }, (err) => this.log(`miner: a malformed entry on the fleet's event stream (${err.message}); reading on from the next`));
      ev.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue, undefined, 'event'));
      ev.on('failed', ({ jobId, failedReason }) => this.settle(jobId, undefined, failedReason, 'event'));
      ev.on('stalled', ({ jobId }) => {
        this.stalled++;
        this.log(`miner: proof job ${jobId} lost its worker; retrying it on another`);
      });
      this.events.push(ev);
      this.state.set(c.id, { workers: [], capacity: 0, roundTrip: new JobStats(), overhead: new JobStats(),
        hops: { toWorker: new JobStats(), inWorker: new JobStats(), back: new JobStats() }, via: { reply: 0, event: 0 } });
    }
    await Promise.all(this.events.map((e) => e.waitUntilReady()));
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 1000);
    this.log(`miner: proving fleet on ${redactRedisUrl(this.opts.url)}: ${this.describe()}`);
  }

  /** This miner's reply channel (undefined with `replyChannel: false`). */
  get replyChannel(): string | undefined {
    return this.replies?.channel;
  }

  /** Malformed messages dropped from the reply channel. */
  get malformedReplies(): number {
    return this.replies?.malformed ?? 0;
  }

  /** Answered jobs whose result is still due on its other path (the echo). */
  get awaitingEcho(): number {
    return this.echoes.size;
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
    const t0 = wallMs();
    const replies = this.replies !== undefined;
    const result = new Promise<{ value: unknown; via: Path }>((resolve, reject) => this.pending.set(jobId, { resolve, reject, replies }));
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
    const data: ProveJobData = { circuitId: circuit.id, files: circuit.artifacts.metadata.files, signals: witnessInput, ...(this.replies ? { replyTo: this.replies.channel } : {}) };
    try {
      await queue.add('prove', data, { jobId, attempts: 1, removeOnComplete: { age: 300 }, removeOnFail: { age: 3600 } });
    } catch (cause) {
      this.pending.delete(jobId);
      signal?.removeEventListener('abort', onAbort);
      throw new PriorityError(503, `Service unavailable: cannot queue the proof in Redis (${(cause as Error).message})`);
    }
    try {
      const { value: raw, via } = await result;
      const parsed = ProveJobResultSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!parsed.success) throw new FleetError('FLEET_RESULT_INVALID', `a worker returned a malformed result for job ${jobId}: ${parsed.error.issues[0]?.message}`);
      this.record(circuit.id, t0, wallMs(), parsed.data, via);
      return { proof: parsed.data.proof, publicSignals: parsed.data.publicSignals };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private record(circuitId: string, t0: number, t1: number, r: { witnessMs: number; proveMs: number; pickedAt?: number | undefined; provedAt?: number | undefined }, via: Path): void {
    const st = this.state.get(circuitId)!;
    const ms = t1 - t0;
    st.roundTrip.ok(ms);
    st.overhead.ok(Math.max(0, ms - r.witnessMs - r.proveMs));
    st.via[via]++;
    if (r.pickedAt !== undefined && r.provedAt !== undefined) {
      st.hops.toWorker.ok(r.pickedAt - t0);
      st.hops.inWorker.ok(Math.max(0, r.provedAt - r.pickedAt - r.witnessMs - r.proveMs));
      st.hops.back.ok(t1 - r.provedAt);
    }
  }

  /**
   * A result or failure for `jobId` from one path. The first one settles the request; with the reply channel on,
   * a result then also comes on the other path (an echo, ignored). Anything else for a settled or unknown job —
   * a result after its request ended, a second worker's result after a stall — is a late result and dropped.
   */
  private settle(jobId: string, value: unknown, failed: string | undefined, via: Path): void {
    const p = this.pending.get(jobId);
    if (!p) {
      const echo = this.echoes.get(jobId);
      if (echo?.path === via) this.echoes.delete(jobId);
      else this.lateDropped++;
      return;
    }
    this.pending.delete(jobId);
    if (p.replies && failed === undefined) this.echoes.set(jobId, { path: via === 'reply' ? 'event' : 'reply', at: Date.now() });
    if (failed === undefined) p.resolve({ value, via });
    else p.reject(failed.startsWith('Service unavailable') ? new ProtocolError(503, 'OVERLOADED', failed) : new FleetError('FLEET_JOB_FAILED', failed));
  }

  /** Read every circuit's live workers, drop the gone ones, and set the capacities. */
  private async poll(): Promise<void> {
    const r = this.producer!;
    // An echo that never came (a reply lost while the subscriber reconnected, a worker killed after publishing).
    for (const [id, e] of this.echoes) {
      if (Date.now() - e.at <= ECHO_KEEP_MS) break; // kept in settling order
      this.echoes.delete(id);
    }
    try {
      for (const id of this.state.keys()) {
        const raw = await r.hgetall(beatsKey(id));
        const ids = Object.keys(raw);
        const alive = ids.length ? await r.mget(ids.map((w) => aliveKey(id, w))) : [];
        const workers: WorkerBeat[] = [];
        const gone: string[] = [];
        ids.forEach((w, i) => {
          // a heartbeat that is not JSON is a gone worker (dropped below), not a failed poll (docs/scale-out.md)
          const beat = WorkerBeatSchema.safeParse(parseJson(raw[w]!));
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
      lines.push(`fleet ${id.slice(0, 12)}…: ${st.workers.length} workers, capacity ${st.capacity}, queue overhead p50 ${st.overhead.p(0.5) ?? '-'} ms, results ${st.via.reply} on the reply channel / ${st.via.event} via the event stream, ${this.lateDropped} late results dropped`);
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
    await this.replies?.close();
    await Promise.all([...this.conns, ...(this.producer ? [this.producer] : [])].map(closeRedis));
  }
}

function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
