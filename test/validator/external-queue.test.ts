import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalQueue, UnknownCircuitError, type ExternalRecord } from '../../src/validator/external-queue.js';
import { InvalidInputError } from '../../src/errors/base.js';

const CID = 'a'.repeat(64);

test('external queue: FIFO, events, persistence and re-queue of in-flight requests on restart', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'zkq-')), 'v.db');
  let db = new Database(file);
  let q = new ExternalQueue(db, { validate: (r) => { if (r.circuitId !== CID) throw new UnknownCircuitError(r.circuitId, [CID]); } });
  const events: ExternalRecord[] = [];
  q.on('update', (r) => events.push(r));
  const a = q.submit({ circuitId: CID, inputs: { x: [1, 2] } });
  const b = q.submit({ circuitId: CID, inputs: { x: [3, 4] } });
  assert.equal(q.pending(), 2);
  assert.throws(() => q.submit({ circuitId: 'b'.repeat(64), inputs: {} }), UnknownCircuitError);
  assert.throws(() => q.submit({ circuitId: 'xyz', inputs: {} }), InvalidInputError);
  const first = q.take();
  assert.equal(first?.id, a);
  assert.equal(first?.status, 'running');
  q.complete(a, { proof: { p: 1 }, publicSignals: ['1'], outputs: { y: [0.5] }, minerUid: 1, minerHotkey: 'h', responseMs: 10 });
  assert.equal(q.get(a)?.status, 'done');
  assert.deepEqual(q.get(a)?.result?.outputs, { y: [0.5] });
  assert.deepEqual(events.map((e) => `${e.id === a ? 'a' : 'b'}:${e.status}`), ['a:queued', 'b:queued', 'a:running', 'a:done']);
  assert.equal(q.take()?.id, b); // b now running; simulate a crash
  db.close();
  db = new Database(file);
  q = new ExternalQueue(db);
  assert.equal(q.get(b)?.status, 'queued');
  assert.equal(q.get(a)?.status, 'done');
  const again = q.take();
  assert.equal(again?.id, b);
  assert.equal(again?.attempts, 2);
  q.fail(b, 'no miner');
  assert.equal(q.get(b)?.error, 'no miner');
  assert.equal(q.take(), undefined);
  db.close();
});
