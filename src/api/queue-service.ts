import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { ExternalQueue, ExternalRecord, ExternalStatus } from '../validator/external-queue.js';
import { UnavailableError } from './errors.js';
import { withResult, type InferenceRecord, type InferenceService, type InferenceStatus, type ProgressEvent, type SubmitRequest } from './service.js';

const STATUS: Record<ExternalStatus, InferenceStatus> = { queued: 'queued', running: 'proving', done: 'verified', failed: 'failed' };

interface MetaRow {
  id: string;
  source: string;
  caller: string | null;
  input: string;
}

/**
 * The API's InferenceService on top of the validator's ExternalQueue (src/validator/external-queue.ts).
 * The queue stores circuit tensors; this adds, in its own table of the same SQLite database, who asked,
 * the source (`external` or `custom:<name>`) and the input as submitted. Refuses (503) while `maxPending`
 * requests wait.
 */
export class QueueInferenceService implements InferenceService {
  private readonly events = new EventEmitter();
  private readonly insertMeta: Database.Statement;
  private readonly getMeta: Database.Statement;
  private readonly listBySource: Database.Statement;
  private readonly onUpdate = (rec: ExternalRecord): void => {
    const e: ProgressEvent = { id: rec.id, status: STATUS[rec.status], at: rec.updatedAt };
    if (rec.result) e.minerUid = rec.result.minerUid;
    if (rec.error) e.detail = rec.error;
    this.events.emit(rec.id, e);
  };

  constructor(
    private readonly queue: ExternalQueue,
    db: Database.Database,
    private readonly opts: { maxPending: number },
  ) {
    this.events.setMaxListeners(0);
    db.exec(`CREATE TABLE IF NOT EXISTS api_request_meta (id TEXT PRIMARY KEY, source TEXT NOT NULL, caller TEXT, input TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    db.exec(`CREATE INDEX IF NOT EXISTS api_request_meta_source ON api_request_meta(source, created_at)`);
    // A request the queue deletes (finished long ago: EXTERNAL_KEEP_MS) takes its meta row with it.
    db.exec(`CREATE TRIGGER IF NOT EXISTS api_request_meta_prune AFTER DELETE ON external_requests BEGIN DELETE FROM api_request_meta WHERE id = OLD.id; END`);
    this.insertMeta = db.prepare(`INSERT INTO api_request_meta (id, source, caller, input, created_at) VALUES (?, ?, ?, ?, ?)`);
    this.getMeta = db.prepare(`SELECT * FROM api_request_meta WHERE id = ?`);
    this.listBySource = db.prepare(`SELECT id FROM api_request_meta WHERE source = ? ORDER BY created_at DESC LIMIT ?`);
    queue.on('update', this.onUpdate);
  }

  async submit(req: SubmitRequest): Promise<{ id: string }> {
    if (this.queue.pending() >= this.opts.maxPending) {
      throw new UnavailableError(`the validator has ${this.opts.maxPending} requests waiting; not accepting more right now`);
    }
    const id = this.queue.submit({ circuitId: req.circuitId, inputs: req.tensors });
    this.insertMeta.run(id, req.source, req.caller ?? null, JSON.stringify(req.input), Date.now());
    return { id };
  }

  get(id: string): InferenceRecord | undefined {
    const rec = this.queue.get(id);
    return rec ? this.toRecord(rec) : undefined;
  }

  list(opts: { limit: number; source?: string }): InferenceRecord[] {
    if (opts.source === undefined) return this.queue.list({ limit: opts.limit }).map((r) => this.toRecord(r));
    const ids = (this.listBySource.all(opts.source, opts.limit) as Array<{ id: string }>).map((r) => r.id);
    return ids.map((id) => this.get(id)).filter((r): r is InferenceRecord => r !== undefined);
  }

  subscribe(id: string, listener: (e: ProgressEvent) => void): () => void {
    this.events.on(id, listener);
    return () => this.events.off(id, listener);
  }

  /** Stop listening to the queue. */
  close(): void {
    this.queue.off('update', this.onUpdate);
  }

  private toRecord(rec: ExternalRecord): InferenceRecord {
    const meta = this.getMeta.get(rec.id) as MetaRow | undefined;
    const out: InferenceRecord = {
      id: rec.id,
      circuitId: rec.circuitId,
      source: meta?.source ?? 'external',
      status: STATUS[rec.status],
      input: meta ? (JSON.parse(meta.input) as unknown) : rec.inputs,
      timings: { submittedAt: rec.createdAt },
    };
    if (meta?.caller) out.caller = meta.caller;
    if (rec.status === 'running') out.timings.dispatchedAt = rec.updatedAt;
    if (rec.status === 'done' || rec.status === 'failed') {
      out.timings.completedAt = rec.updatedAt;
      out.timings.totalMs = rec.updatedAt - rec.createdAt;
    }
    if (rec.result) withResult(out, rec.result);
    if (rec.error && rec.status === 'failed') out.error = rec.error;
    return out;
  }
}
