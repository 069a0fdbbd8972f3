import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadArtifacts, type LoadedArtifacts } from '../zkml/artifacts/index.js';
import { ProverPool } from '../zkml/prove/pool.js';
import type { ProverKind } from '../zkml/prove/factory.js';
import { closeRedis, connectRedis, parseRedisUrl, waitForRedis } from '../redis/connection.js';
import { FleetError } from './errors.js';
import { aliveKey, beatsKey, FLEET_PREFIX, ProveJobDataSchema, queueName, wallMs, type ProveJobResultData, type WorkerBeat } from './protocol.js';
import { JobStats } from './stats.js';

export interface ProverWorkerOptions {
  /** redis:// or rediss:// URL of the miner's queue. */
  url: string;
  /** Artifacts directories with the number of proofs of each this worker runs at once. */
  circuits: Array<{ dir: string; concurrency: number }>;
  prover?: ProverKind;
  /**
   * A job's lock (ms): a worker that dies mid-proof stops renewing it, and after `lockMs` plus at most
   * `lockMs / 2` (the stall check) another worker takes the job. Default 10 000.
   */
  lockMs?: number;
  /** Heartbeat period (ms); a worker is gone after 3 missed beats. Default 1000. */
  beatMs?: number;
  workerId?: string;
  log?: (line: string) => void;
}

interface Served {
  artifacts: LoadedArtifacts;
  concurrency: number;
  pool: ProverPool;
  worker: Worker;
  stats: JobStats;
  active: number;
}

/**
 * `zkinfer prover-worker`: pulls proving jobs of the circuits it serves from Redis (BullMQ), proves them in
 * its own worker threads (native prover, snarkjs fallback) and returns the proofs. Every job names the
 * artifact hashes the miner proves with; a worker whose hash-checked artifacts differ refuses the job.
 */
export class ProverWorker {
  readonly id: string;
  private readonly served: Served[] = [];
  private readonly conns: Redis[] = [];
  private redis: Redis | undefined;
  private beat: NodeJS.Timeout | undefined;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: ProverWorkerOptions) {
    this.id = opts.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.log = opts.log ?? (() => undefined);
  }

  get beatMs(): number {
    return this.opts.beatMs ?? 1000;
  }

  /** Load and hash-check every circuit, connect, and start taking jobs. */
  async start(): Promise<void> {
    parseRedisUrl(this.opts.url); // a bad URL is reported before minutes of loading keys
    const loaded = [];
    for (const c of this.opts.circuits) loaded.push({ artifacts: await loadArtifacts(c.dir), concurrency: c.concurrency });
    this.redis = connectRedis(this.opts.url, { name: `zkinfer-prover-worker-${this.id}` });
    await waitForRedis(this.redis, this.opts.url);
    const lockDuration = this.opts.lockMs ?? 10_000;
    for (const { artifacts, concurrency } of loaded) {
      const s: Served = { artifacts, concurrency, pool: new ProverPool({ size: concurrency, prover: this.opts.prover ?? 'auto', maxQueue: concurrency }), stats: new JobStats(), active: 0, worker: undefined as unknown as Worker };
      const connection = this.redis.duplicate();
      this.conns.push(connection);
      s.worker = new Worker(queueName(artifacts.metadata.id), (job: Job) => this.process(s, job), {
        connection,
        prefix: FLEET_PREFIX,
        concurrency,
        lockDuration,
        stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
        maxStalledCount: 5,
      });
      s.worker.on('error', (e) => this.log(`prover-worker: queue error: ${e.message}`));
      const idle = (): void => void this.heartbeat().catch(() => undefined); // a slot is free again: the miner's view follows
      s.worker.on('completed', idle);
      s.worker.on('failed', idle);
      this.served.push(s);
      this.log(`prover-worker ${this.id}: serving ${artifacts.metadata.name} ${artifacts.metadata.id} (concurrency ${concurrency})`);
    }
    await Promise.all(this.served.map((s) => s.worker.waitUntilReady()));
    await this.heartbeat();
    this.beat = setInterval(() => void this.heartbeat().catch((e: Error) => this.log(`prover-worker: heartbeat failed: ${e.message}`)), this.beatMs);
  }

  private async process(s: Served, job: Job): Promise<ProveJobResultData> {
    const pickedAt = wallMs();
    const parsed = ProveJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(new FleetError('FLEET_JOB_INVALID', `job ${job.id} is not a proving job: ${parsed.error.issues[0]?.message}`).message);
    const md = s.artifacts.metadata;
    const keys = ['r1cs', 'wasm', 'program', 'zkey', 'vk'] as const;
    const diff = keys.filter((k) => md.files[k] !== parsed.data.files[k]);
    if (parsed.data.circuitId !== md.id || diff.length) {
      s.stats.fail();
      throw new UnrecoverableError(new FleetError('FLEET_ARTIFACTS_MISMATCH', `worker ${this.id} has other artifacts for circuit ${md.id} (${diff.join(', ') || 'id'} differ from the miner's)`).message);
    }
    s.active++;
    const t0 = performance.now();
    const proving = s.pool.prove({ wasmPath: s.artifacts.paths.witness, zkeyPath: s.artifacts.paths.zkey, signals: parsed.data.signals });
    void this.heartbeat().catch(() => undefined); // busy now (sent once the proof is under way): the miner's view follows
    try {
      const r = await proving;
      const provedAt = wallMs();
      s.stats.ok(performance.now() - t0);
      const result: ProveJobResultData = { proof: r.proof, publicSignals: r.publicSignals, workerId: this.id, witnessMs: r.witnessMs, proveMs: r.proveMs, prover: r.prover, pickedAt, provedAt };
      // The miner hears of the proof at once on its reply channel; BullMQ's completion (returned below) follows and
      // is its fallback. A worker that loses the job's lock after publishing has still answered the request.
      if (parsed.data.replyTo) void this.redis!.publish(parsed.data.replyTo, JSON.stringify({ jobId: job.id, result })).catch(() => undefined);
      return result;
    } catch (e) {
      s.stats.fail();
      throw e;
    } finally {
      s.active--; // published by the beat after BullMQ has the job back (below), off the result's path
    }
  }

  private beatOf(s: Served): WorkerBeat {
    return {
      workerId: this.id, host: hostname(), pid: process.pid, concurrency: s.concurrency, active: s.active,
      jobs: s.stats.jobs, failures: s.stats.failures, p50Ms: s.stats.p(0.5), p95Ms: s.stats.p(0.95), prover: s.pool.kind,
    };
  }

  /** Publish capacity and counters; the liveness key expires after 3 missed beats. */
  private async heartbeat(): Promise<void> {
    const r = this.redis!;
    const m = r.multi();
    for (const s of this.served) {
      const id = s.artifacts.metadata.id;
      m.hset(beatsKey(id), this.id, JSON.stringify(this.beatOf(s)));
      m.set(aliveKey(id, this.id), '1', 'PX', this.beatMs * 3);
    }
    await m.exec();
  }

  /** Counters per circuit id (also published in the heartbeat). */
  stats(): Record<string, WorkerBeat> {
    return Object.fromEntries(this.served.map((s) => [s.artifacts.metadata.id, this.beatOf(s)]));
  }

  /** Stop taking jobs, finish the running ones, leave the fleet. */
  async close(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    // Running jobs finish (bounded by the lock time: past it another worker has them anyway, or Redis is gone).
    const grace = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), this.opts.lockMs ?? 10_000).unref());
    if ((await Promise.race([Promise.all(this.served.map((s) => s.worker.close())), grace])) === 'timeout') {
      await Promise.all(this.served.map((s) => s.worker.close(true).catch(() => undefined)));
    }
    const r = this.redis;
    if (r) {
      const m = r.multi();
      for (const s of this.served) m.hdel(beatsKey(s.artifacts.metadata.id), this.id).del(aliveKey(s.artifacts.metadata.id, this.id));
      await m.exec().catch(() => undefined);
    }
    await Promise.all(this.served.map((s) => s.pool.close()));
    await Promise.all([...this.conns, ...(r ? [r] : [])].map(closeRedis));
  }
}
