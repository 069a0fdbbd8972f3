import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidatorStore } from '../../src/validator/store.js';
import { ReplayGuard, sortedJson } from '../../src/validator/replay-guard.js';

test('replay guard: sorted-JSON sha256, refuses repeats among the last N, persisted', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'zkv-')), 'v.db');
  let store = new ValidatorStore(file);
  let g = new ReplayGuard(store.db, 4);
  assert.equal(sortedJson({ b: [1, { d: 2, c: 3 }], a: 'x' }), '{"a":"x","b":[1,{"c":3,"d":2}]}');
  assert.ok(g.admit({ x: [1, 2], y: 1 }));
  assert.ok(!g.admit({ y: 1, x: [1, 2] }), 'same inputs, other key order');
  assert.ok(g.admit({ x: [1, 3] }));
  store.close();
  store = new ValidatorStore(file);
  g = new ReplayGuard(store.db, 4);
  assert.ok(!g.admit({ x: [1, 3] }), 'remembered across restart');
  for (let i = 0; i < 4; i++) assert.ok(g.admit({ i }));
  assert.ok(g.admit({ x: [1, 3] }), 'forgotten after N newer inputs');
  store.close();
});

test('store: scores survive a restart; a new hotkey at a uid restarts its counters', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'zkv-')), 'v.db');
  let store = new ValidatorStore(file);
  store.putScore(1, 'hk1', 0.2, 'verified');
  store.putScore(1, 'hk1', 0.12, 'failed');
  store.addRtSample('c', 1.5);
  store.logRequest({ at: 1, uid: 1, hotkey: 'hk1', circuitId: 'c', source: 'benchmark', status: 200, verified: true, rtS: 1.5, proofSize: 700 });
  store.setMeta('last_weights_block', '42');
  store.close();
  store = new ValidatorStore(file);
  assert.deepEqual(store.score(1), { uid: 1, hotkey: 'hk1', score: 0.12, verified: 1, failed: 1 });
  assert.deepEqual(store.rtSamples('c'), [1.5]);
  assert.equal(store.getMeta('last_weights_block'), '42');
  assert.deepEqual(store.uidLatencies(1), [1.5]);
  store.putScore(1, 'hk2', 0, 'reset');
  assert.deepEqual(store.score(1), { uid: 1, hotkey: 'hk2', score: 0, verified: 0, failed: 0 });
  store.close();
});

test('store: the request log keeps 7 days, pruned from its oldest rows as requests are logged', () => {
  const store = new ValidatorStore(':memory:');
  const day = 24 * 3600 * 1000, t0 = 1_700_000_000_000;
  const log = (at: number, uid: number) => store.logRequest({ at, uid, hotkey: 'hk', circuitId: 'c', source: 'benchmark', status: 200, verified: true, rtS: uid, proofSize: 700 });
  for (let i = 0; i < 150; i++) log(t0 + i, 1); // old: 8 days before the next ones
  for (let i = 0; i < 250; i++) log(t0 + 8 * day + i, 2);
  const count = () => (store.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  assert.equal(count(), 250, 'every request older than 7 days is gone');
  assert.deepEqual(store.uidLatencies(1), []);
  assert.equal(store.uidLatencies(2).length, 200);
  for (let i = 0; i < 100; i++) log(t0 + 8 * day + 1000 + i, 3); // within 7 days: kept
  assert.equal(count(), 350);
  store.close();
});
