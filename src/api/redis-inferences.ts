import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Job, Queue, type QueueEvents } from 'bullmq';
import { keepReadingEvents } from '../redis/queue-events.js';
import type { Redis } from 'ioredis';
import { shared } from './auth/redis-stores.js';
import { UnavailableError } from './errors.js';
import { API_QUEUE_NAME, API_QUEUE_PREFIX, ApiJobDataSchema, ApiJobProgressSchema, ApiJobResultSchema } from './redis-protocol.js';
import { withResult, type InferenceRecord, type InferenceService, type InferenceStatus, type ProgressEvent, type SubmitRequest } from './service.js';

const ALL_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;

/**
 * The API's InferenceService on a BullMQ queue shared by every API replica (docs/scale-out.md, "API
 * replicas"): a request accepted by one replica is a job in Redis, taken by whichever replica's validator has
 * room (src/api/redis-dispatch.ts), and its result (the job's return value) is read by any replica, also after
 * restarts. Progress events come from BullMQ's event stream, so a caller following a request on replica B sees
 * the steps replica A made. Refuses (503) while `maxPending` requests wait or while Redis is unreachable.
 */
export class RedisInferenceService implements InferenceService {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly producer: Redis,
    eventsConn: Redis,
    private readonly opts: { maxPending: number; keepS: number; log?: (line: string) => void },
  ) {
    this.emitter.setMaxListeners(0);
    this.queue = new Queue(API_QUEUE_NAME, { connection: producer, prefix: API_QUEUE_PREFIX });
    this.events = keepReadingEvents(API_QUEUE_NAME, { connection: eventsConn, prefix: API_QUEUE_PREFIX }, (err) => opts.log?.(`api: a malformed entry on the requests' event stream (${err.message}); reading on from the next`));
    const emit = (jobId: string, status: InferenceStatus, extra: Partial<ProgressEvent> = {}): void => {
      this.emitter.emit(jobId, { id: jobId, status, at: Date.now(), ...extra });
    };
    this.events.on('waiting', ({ jobId }) => emit(jobId, 'queued'));
    this.events.on('active', ({ jobId }) => emit(jobId, 'dispatched'));
    this.events.on('progress', ({ jobId, data }) => {
      const p = ApiJobProgressSchema.safeParse(data);
      if (p.success) emit(jobId, p.data.status, p.data.minerUid !== undefined ? { minerUid: p.data.minerUid } : {});
    });
    this.events.on('completed', ({ jobId, returnvalue }) => {
      let value: unknown = returnvalue;
      if (typeof value === 'string') try { value = JSON.parse(value); } catch { value = undefined; }
      const r = ApiJobResultSchema.safeParse(value);
      emit(jobId, 'verified', r.success ? { minerUid: r.data.minerUid } : {});
    });
    this.events.on('failed', ({ jobId, failedReason }) => emit(jobId, 'failed', { detail: failedReason }));
    this.queue.on('error', () => undefined); // a lost Redis surfaces as 503 on the commands that fail
  }

  /** Wait until the event stream is connected (events of jobs added after this are seen). */
  async ready(): Promise<void> {
    await this.events.waitUntilReady();
  }

  async submit(req: SubmitRequest): Promise<{ id: string }> {
    const waiting = await shared('count the waiting requests', () => this.queue.getWaitingCount());
    if (waiting >= this.opts.maxPending) {
      throw new UnavailableError(`the validators have ${this.opts.maxPending} requests waiting; not accepting more right now`);
    }
    const id = randomUUID();
    const data = ApiJobDataSchema.parse({ circuitId: req.circuitId, input: req.input, tensors: req.tensors, source: req.source, ...(req.caller ? { caller: req.caller } : {}) });
    const keep = { age: this.opts.keepS };
    // indexed by source before it is queued: a failed add leaves an id that `list` skips, never a job it cannot find
    const now = Date.now(), key = sourceKey(data.source);
    await shared('index the request', () => this.producer.multi().zadd(key, now, id).zremrangebyscore(key, '-inf', now - this.opts.keepS * 1000).exec());
    await shared('queue the request', () => this.queue.add('inference', data, { jobId: id, attempts: 1, removeOnComplete: keep, removeOnFail: keep }));
    return { id };
  }

  async get(id: string): Promise<InferenceRecord | undefined> {
    return shared('read the request', async () => {
      // State first: a job read as completed then carries its return value.
      const state = await this.queue.getJobState(id);
      const job = state === 'unknown' ? undefined : await Job.fromId(this.queue, id);
      return job ? toRecord(job, state) : undefined;
    });
  }

  async list(opts: { limit: number; source?: string }): Promise<InferenceRecord[]> {
    const { source } = opts;
    if (source !== undefined) return this.listSource(source, opts.limit);
    return shared('list the requests', async () => {
      // Up to `limit` of each state, then newest first across states.
      const out: InferenceRecord[] = [];
      for (const state of ALL_STATES) {
        for (const job of await this.queue.getJobs([state], 0, opts.limit - 1, false)) {
          const rec = job && toRecord(job, state);
          if (rec) out.push(rec);
        }
      }
      return out.sort((a, b) => b.timings.submittedAt - a.timings.submittedAt).slice(0, opts.limit);
    });
  }

  /**
   * The newest `limit` requests of one source, from its index (docs/scale-out.md, "API replicas"): a public read
   * costs `limit` jobs, whatever else is queued (it read 1,000 jobs of every state and filtered them).
   */
  private async listSource(source: string, limit: number): Promise<InferenceRecord[]> {
    const key = sourceKey(source);
    const ids = await shared('list the requests', () => this.producer.zrevrange(key, 0, limit - 1));
    const recs = await Promise.all(ids.map((id) => this.get(id)));
    const gone = ids.filter((_, i) => recs[i] === undefined);
    if (gone.length) await shared('index the requests', () => this.producer.zrem(key, ...gone));
    return recs.filter((r): r is InferenceRecord => r !== undefined && r.source === source);
  }

  subscribe(id: string, listener: (e: ProgressEvent) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  async close(): Promise<void> {
    await this.events.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}

/** The sorted set (score: submission time) of one source's request ids. */
const sourceKey = (source: string): string => `${API_QUEUE_PREFIX}:${API_QUEUE_NAME}:by-source:${source}`;

/** One job as the API serves it; undefined when its data is not a request (not written by zkinfer). */
function toRecord(job: Job, state: string): InferenceRecord | undefined {
  const data = ApiJobDataSchema.safeParse(job.data);
  if (!data.success || !job.id) return undefined;
  const progress = ApiJobProgressSchema.safeParse(job.progress);
  const status: InferenceStatus =
    state === 'completed' ? 'verified' : state === 'failed' ? 'failed' : state === 'active' ? (progress.success ? 'proving' : 'dispatched') : 'queued';
  const out: InferenceRecord = { id: job.id, circuitId: data.data.circuitId, source: data.data.source, status, input: data.data.input, timings: { submittedAt: job.timestamp } };
  if (data.data.caller) out.caller = data.data.caller;
  if (job.processedOn && status !== 'queued') out.timings.dispatchedAt = job.processedOn;
  if (job.finishedOn && (status === 'verified' || status === 'failed')) {
    out.timings.completedAt = job.finishedOn;
    out.timings.totalMs = job.finishedOn - job.timestamp;
  }
  if (status === 'failed') out.error = job.failedReason;
  if (status === 'verified') {
    const r = ApiJobResultSchema.safeParse(job.returnvalue);
    if (!r.success) {
      out.status = 'failed';
      out.error = `the stored result is malformed: ${r.error.issues[0]?.message ?? ''}`;
      return out;
    }
    withResult(out, r.data);
  }
  return out;
}
