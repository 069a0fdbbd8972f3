import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExternalQueue, ExternalRecord } from '../validator/external-queue.js';
import { API_QUEUE_NAME, API_QUEUE_PREFIX, ApiJobDataSchema, type ApiJobProgress, type ApiJobResult } from './redis-protocol.js';

/** Local ids of requests taken from the shared queue: `rq:<job id>:<attempt>` (docs/scale-out.md). */
const LOCAL_PREFIX = 'rq:';

interface Waiting {
  job: Job;
  resolve: (r: ApiJobResult) => void;
  reject: (e: Error) => void;
}

/**
 * Takes requests from the API replicas' shared queue in Redis (docs/scale-out.md, "API replicas") into this
 * validator's own external queue, which sends them to miners as before, and puts the verified result (or the
 * failure) back in Redis. At most `concurrency` requests are held at a time. BullMQ's lock on each job is
 * renewed while this process lives; if it dies, the lock runs out after `lockMs` and another replica's stall
 * check puts the request back in the queue, so nothing is lost. Requests still in the local SQLite queue from an
 * earlier run of this process were recovered that way too, so they are dropped here at start.
 */
export class RedisDispatcher {
  private readonly worker: Worker;
  private readonly waiting = new Map<string, Waiting>();
  private readonly onUpdate = (rec: ExternalRecord): void => {
    const w = this.waiting.get(rec.id);
    if (!w) return;
    if (rec.status === 'running') {
      const progress: ApiJobProgress = { status: 'proving', at: rec.updatedAt };
      void w.job.updateProgress(progress).catch(() => undefined);
    } else if (rec.status === 'done' && rec.result) {
      this.waiting.delete(rec.id);
      const { proof, publicSignals, outputs, minerUid, minerHotkey, responseMs } = rec.result;
      w.resolve({ proof, publicSignals, outputs, minerUid, minerHotkey, responseMs });
    } else if (rec.status === 'failed') {
      this.waiting.delete(rec.id);
      // The validator already tried its miners (externalAttempts): no BullMQ retry.
      w.reject(new UnrecoverableError(rec.error ?? 'failed'));
    }
  };

  constructor(
    private readonly local: ExternalQueue,
    connection: Redis,
    opts: { concurrency: number; lockMs: number },
    private readonly log: (line: string) => void = () => undefined,
  ) {
    for (const stale of [...local.list({ status: 'queued', limit: 1000 }), ...local.list({ status: 'running', limit: 1000 })]) {
      if (stale.id.startsWith(LOCAL_PREFIX)) local.fail(stale.id, 'handed back to the shared Redis queue (this validator restarted)');
    }
    local.on('update', this.onUpdate);
    this.worker = new Worker(API_QUEUE_NAME, (job) => this.process(job), {
      connection,
      prefix: API_QUEUE_PREFIX,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: Math.max(250, Math.floor(opts.lockMs / 2)),
      maxStalledCount: 5,
    });
    this.worker.on('stalled', (jobId) => this.log(`api: request ${jobId} lost its replica; back in the shared queue`));
    this.worker.on('error', () => undefined);
  }

  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  private process(job: Job): Promise<ApiJobResult> {
    const data = ApiJobDataSchema.safeParse(job.data);
    if (!data.success) return Promise.reject(new UnrecoverableError(`malformed request in the shared queue: ${data.error.issues[0]?.message ?? ''}`));
    const localId = `${LOCAL_PREFIX}${job.id}:${randomUUID().slice(0, 8)}`;
    return new Promise<ApiJobResult>((resolve, reject) => {
      this.waiting.set(localId, { job, resolve, reject });
      try {
        this.local.submit({ circuitId: data.data.circuitId, inputs: data.data.tensors }, { id: localId });
      } catch (e) {
        this.waiting.delete(localId);
        reject(new UnrecoverableError((e as Error).message));
      }
    });
  }

  /**
   * Stop taking requests. The ones held here are dropped from the local queue; their locks run out and another
   * replica takes them (after `lockMs`).
   */
  async close(): Promise<void> {
    this.local.off('update', this.onUpdate);
    const held = [...this.waiting.keys()];
    this.waiting.clear();
    await this.worker.close(true).catch(() => undefined);
    for (const id of held) {
      const rec = this.local.get(id);
      if (rec && rec.status !== 'done' && rec.status !== 'failed') this.local.fail(id, 'handed back to the shared Redis queue (the API stopped)');
    }
  }
}
