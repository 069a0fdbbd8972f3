import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InvalidInputError, ZkinferError } from '../errors/base.js';

/**
 * The validator's external-request queue: requests from outside users (the REST/WS API) are served ahead of
 * benchmark traffic. Everything is persisted in the validator's SQLite database, so a restart loses nothing
 * (requests that were in flight when the validator stopped are re-queued on start).
 *
 * Usage (in-process, e.g. from src/validator/api/):
 *   const id = validator.external.submit({ circuitId, inputs: { input: [0.1, 0.2, ...] } });
 *   validator.external.on('update', (rec) => { if (rec.id === id) ... });   // queued → running → done | failed
 *   validator.external.get(id)   // ExternalRecord | undefined
 */

/** Inputs by circuit input tensor name (metadata.inputs[].name), each flattened row-major, as real numbers. */
export const ExternalInputsSchema = z.record(z.string().min(1).max(128), z.array(z.number().finite()).max(1_000_000));
export type ExternalInputs = z.infer<typeof ExternalInputsSchema>;

export const ExternalSubmitSchema = z.object({
  circuitId: z.string().regex(/^[0-9a-f]{64}$/, 'circuitId must be 64 lowercase hex characters (sha256 of the vk)'),
  inputs: ExternalInputsSchema,
});
export type ExternalSubmit = z.infer<typeof ExternalSubmitSchema>;

export type ExternalStatus = 'queued' | 'running' | 'done' | 'failed';

/** A proof returned for an external request, verified by the validator against the request's own inputs. */
export interface ExternalResult {
  /** snarkjs Groth16 proof JSON. */
  proof: unknown;
  /** Public signals exactly as verified (inputs substituted by the validator). */
  publicSignals: string[];
  /** Decoded outputs by tensor name (real numbers, flattened). */
  outputs: Record<string, number[]>;
  minerUid: number;
  minerHotkey: string;
  responseMs: number;
}

export interface ExternalRecord {
  id: string;
  circuitId: string;
  inputs: ExternalInputs;
  status: ExternalStatus;
  /** Number of miners tried so far. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  result?: ExternalResult;
  error?: string;
}

/** Events: 'update' (record) on every status change. */
export interface ExternalQueueEvents {
  update: [ExternalRecord];
}

export class UnknownCircuitError extends ZkinferError {
  override readonly name = 'UnknownCircuitError';
  constructor(circuitId: string, known: string[]) {
    super('UNKNOWN_CIRCUIT', `circuit ${circuitId} is not served by this validator`, {
      hint: `use one of: ${known.join(', ') || '(none loaded)'}`,
      details: { circuitId },
    });
  }
}

interface Row {
  id: string;
  circuit_id: string;
  inputs: string;
  status: ExternalStatus;
  attempts: number;
  created_at: number;
  updated_at: number;
  result: string | null;
  error: string | null;
}

function toRecord(r: Row): ExternalRecord {
  const rec: ExternalRecord = {
    id: r.id,
    circuitId: r.circuit_id,
    inputs: JSON.parse(r.inputs) as ExternalInputs,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.result !== null) rec.result = JSON.parse(r.result) as ExternalResult;
  if (r.error !== null) rec.error = r.error;
  return rec;
}

/** How long after its submission a finished (done or failed) request stays readable (docs/api.md, "HTTP API"). */
export const EXTERNAL_KEEP_MS = 7 * 24 * 3600 * 1000;

/** SQLite-backed FIFO of external proof requests with an event per status change. */
export class ExternalQueue extends EventEmitter<ExternalQueueEvents> {
  /** Checks a submission against the circuits the validator serves; throws a typed error if invalid. */
  private readonly validate: (req: ExternalSubmit) => void;

  constructor(private readonly db: Database.Database, opts: { validate?: (req: ExternalSubmit) => void } = {}) {
    super();
    this.validate = opts.validate ?? (() => undefined);
    db.exec(`CREATE TABLE IF NOT EXISTS external_requests (
      id TEXT PRIMARY KEY, circuit_id TEXT NOT NULL, inputs TEXT NOT NULL, status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
      result TEXT, error TEXT)`);
    db.exec(`CREATE INDEX IF NOT EXISTS external_requests_status ON external_requests(status, created_at)`);
    // Requests in flight when the validator last stopped go back to the queue.
    db.prepare(`UPDATE external_requests SET status = 'queued' WHERE status = 'running'`).run();
  }

  /**
   * Queue a request; returns its id (`opts.id`, or a new UUID). Throws InvalidInputError / UnknownCircuitError
   * on bad input.
   */
  submit(req: unknown, opts: { id?: string } = {}): string {
    const parsed = ExternalSubmitSchema.safeParse(req);
    if (!parsed.success) {
      throw new InvalidInputError(`invalid external request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
        hint: 'send {"circuitId": "<64 hex>", "inputs": {"<input name>": [numbers...]}}',
      });
    }
    this.validate(parsed.data);
    const id = opts.id ?? randomUUID();
    const now = Date.now();
    // Submissions never stop, so neither would the table's growth: each one deletes the finished requests
    // submitted more than EXTERNAL_KEEP_MS ago (a range of the (status, created_at) index).
    this.db.prepare(`DELETE FROM external_requests WHERE status IN ('done', 'failed') AND created_at < ?`).run(now - EXTERNAL_KEEP_MS);
    this.db
      .prepare(`INSERT INTO external_requests (id, circuit_id, inputs, status, attempts, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?)`)
      .run(id, parsed.data.circuitId, JSON.stringify(parsed.data.inputs), now, now);
    this.emitUpdate(id);
    return id;
  }

  get(id: string): ExternalRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM external_requests WHERE id = ?`).get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Most recent first. */
  list(opts: { limit?: number; status?: ExternalStatus } = {}): ExternalRecord[] {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
    const rows = (opts.status
      ? this.db.prepare(`SELECT * FROM external_requests WHERE status = ? ORDER BY created_at DESC LIMIT ?`).all(opts.status, limit)
      : this.db.prepare(`SELECT * FROM external_requests ORDER BY created_at DESC LIMIT ?`).all(limit)) as Row[];
    return rows.map(toRecord);
  }

  /** Number of requests waiting. */
  pending(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM external_requests WHERE status = 'queued'`).get() as { n: number }).n;
  }

  /** The oldest queued request, without taking it. */
  peek(): ExternalRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM external_requests WHERE status = 'queued' ORDER BY created_at LIMIT 1`).get() as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** For the validator loop: take the oldest queued request and mark it running. */
  take(): ExternalRecord | undefined {
    const row = this.db
      .prepare(`UPDATE external_requests SET status = 'running', attempts = attempts + 1, updated_at = ?
        WHERE id = (SELECT id FROM external_requests WHERE status = 'queued' ORDER BY created_at LIMIT 1) RETURNING *`)
      .get(Date.now()) as Row | undefined;
    if (!row) return undefined;
    const rec = toRecord(row);
    this.emit('update', rec);
    return rec;
  }

  /** Put a running request back at the front (e.g. its miner failed and attempts remain). */
  requeue(id: string, error: string): void {
    this.db.prepare(`UPDATE external_requests SET status = 'queued', error = ?, updated_at = ? WHERE id = ?`).run(error, Date.now(), id);
    this.emitUpdate(id);
  }

  complete(id: string, result: ExternalResult): void {
    this.db
      .prepare(`UPDATE external_requests SET status = 'done', result = ?, error = NULL, updated_at = ? WHERE id = ?`)
      .run(JSON.stringify(result), Date.now(), id);
    this.emitUpdate(id);
  }

  fail(id: string, error: string): void {
    this.db.prepare(`UPDATE external_requests SET status = 'failed', error = ?, updated_at = ? WHERE id = ?`).run(error, Date.now(), id);
    this.emitUpdate(id);
  }

  private emitUpdate(id: string): void {
    const rec = this.get(id);
    if (rec) this.emit('update', rec);
  }
}
