// Proof-of-weights records (docs/network.md): stored pending before set_weights, marked set after, newest first;
// a validator that crashed in between sets the pending record's weights on restart without a new proof; records of
// one proof (before chunks) read as one chunk; an epoch over more uids than the circuit's batch is one proof per
// chunk, asked of different miners, and nothing is set while any chunk lacks a verified proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metagraph } from '../../src/chain/types.js';
import type { AxonTarget } from '../../src/protocol/dendrite.js';
import { ProofOfWeights } from '../../src/validator/proof-of-weights.js';
import { POW_LIST_MAX, POW_RECORDS_KEEP, PowRecordListSchema, PowRecordSchema } from '../../src/validator/pow-records.js';
import { DEFAULT_SCORING } from '../../src/validator/scoring.js';
import { ValidatorStore } from '../../src/validator/store.js';
import type { ValidatorCircuit } from '../../src/validator/circuits.js';

// a scoring-ema-shaped circuit of batch 4 whose output (4 scores at scale 2^16) leads the public signals
const metadata = {
  name: 'scoring-ema', inputs: [{ name: 'input', shape: [5, 4] }], outputs: [{ name: 'score', shape: [1, 4], scaleBits: 16 }],
  publicLayout: { outputs: [{ name: 'score', offset: 0, length: 4 }], inputs: [] },
};
const circuit = { id: 'c'.repeat(64), timeoutS: 5, weight: 1, generate: () => ({}), artifacts: { metadata } } as unknown as ValidatorCircuit;
const legacy = { uids: [1, 2], hotkeys: ['a', 'b'], inputs: new Array(20).fill(0), scores: [0.5, 0.25], proof: { pi_a: [] }, public_signals: ['1'], miner_uid: 1, miner_hotkey: 'a' };
const record = (epoch: number) => ({
  epoch, netuid: 1, validator_hotkey: 'v', circuit_id: circuit.id, chunks: [legacy], weight_uids: [1, 2], weights: [65535, 32768], created_at: Date.now(),
});

function powOn(store: ValidatorStore, asked: number[], o: { dendrite?: unknown; batcher?: unknown; candidates?: Array<{ uid: number; target: AxonTarget }>; log?: (l: string) => void; attempts?: number } = {}): ProofOfWeights {
  return new ProofOfWeights({
    hotkey: 'v', netuid: 1, circuit, db: store.db, dendrite: (o.dendrite ?? {}) as never, batcher: (o.batcher ?? {}) as never, scoring: DEFAULT_SCORING, log: o.log ?? (() => undefined),
    scoreAnswer: () => 0, candidates: () => { asked.push(1); return o.candidates ?? []; }, ...(o.attempts ? { attempts: o.attempts } : {}),
  });
}

test('a pending record survives a crash and its weights are set on restart, without asking a miner again', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'zk-pow-')), 'v.sqlite');
  const s1 = new ValidatorStore(db);
  const asked: number[] = [];
  const p1 = powOn(s1, asked);
  const id = p1.records.add(record(0), 10);
  s1.close(); // crash before set_weights
  const s2 = new ValidatorStore(db);
  const p2 = powOn(s2, asked);
  const m = { n: 3, hotkeys: ['v', 'a', 'b'], axons: [] } as unknown as Metagraph;
  assert.deepEqual(await p2.weightsFor(m), { recordId: id, uids: [1, 2], weights: [65535, 32768] });
  assert.deepEqual(asked, [], 'no new proof was asked for');
  p2.markSet(id, 42);
  const [r] = p2.records.list(1);
  assert.equal(r!.status, 'set');
  assert.equal(r!.block, 42);
  PowRecordSchema.parse(r);
  // with nothing pending, a new epoch asks miners (none here: nothing to set)
  assert.equal(await p2.weightsFor(m), undefined);
  assert.deepEqual(asked, [1]);
  p2.records.add(record(1), 11);
  assert.deepEqual(p2.records.list(5).map((x) => x.epoch), [1, 0], 'newest first');
  s2.close();
});

test('a circuit that is not scoring-ema shaped is refused with a clear error', () => {
  const store = new ValidatorStore(':memory:');
  const bad = { ...circuit, artifacts: { metadata: { name: 'affine', inputs: [{ name: 'x', shape: [3] }] } } } as unknown as ValidatorCircuit;
  assert.throws(() => new ProofOfWeights({ hotkey: 'v', netuid: 1, circuit: bad, db: store.db, dendrite: {} as never, batcher: {} as never, scoring: DEFAULT_SCORING, log: () => undefined, scoreAnswer: () => 0, candidates: () => [] }),
    /not a scoring-ema circuit/);
  store.close();
});

test('a record of one proof (written before chunks) reads as a record of one chunk', () => {
  const store = new ValidatorStore(':memory:');
  const p = powOn(store, []);
  const { chunks: _c, ...rest } = record(0);
  store.db.prepare(`INSERT INTO pow_records (epoch, block, status, last_request_id, body, created_at) VALUES (0, 7, 'set', 3, ?, 0)`).run(JSON.stringify({ ...rest, ...legacy }));
  const [r] = p.records.list(1);
  assert.deepEqual(r!.chunks, [legacy]);
  assert.equal(r!.competition_share, 0);
  assert.deepEqual(PowRecordSchema.parse({ ...rest, ...legacy, id: 1, block: 7, status: 'set' }), r);
  store.close();
});

test('uids beyond the batch go to further chunks, each to another miner; one unproven chunk holds all weights back', async () => {
  const store = new ValidatorStore(':memory:');
  // uid 0 is the validator, uids 1..6 serve: chunks [1,2,3,4] and [5,6]
  const m = { n: 7, hotkeys: ['v', 'a', 'b', 'c', 'd', 'e', 'f'], axons: Array.from({ length: 7 }, () => ({ port: 8091 })) } as unknown as Metagraph;
  const target = (hotkey: string) => ({ hotkey, ip: '127.0.0.1', port: 1 }) as unknown as AxonTarget;
  const candidates = [{ uid: 1, target: target('good') }, { uid: 2, target: target('bad') }];
  const asks: Array<{ miner: string; input: number[] }> = [];
  const signals = ['32768', '16384', '0', '65536', '0', '0'];
  const dendrite = (bad: string) => ({
    call: async (t: AxonTarget, _s: unknown, body: { inputs: Record<string, number[]> }) => {
      asks.push({ miner: t.hotkey, input: body.inputs.input! });
      return t.hotkey === bad ? { status: 500, message: 'prover crashed', elapsedS: 0.1 } : { status: 200, synapse: { proof: '{}', public_signals: JSON.stringify(signals) }, elapsedS: 0.1 };
    },
  });
  const batcher = { verify: async (_a: unknown, r: { response: { public_signals: string[] } }) => ({ valid: true, publicSignals: r.response.public_signals }) };
  const logs: string[] = [];

  // the second miner fails and each chunk asks one miner: chunk 1 has no proof, nothing is set, no record
  const held = powOn(store, [], { dendrite: dendrite('bad'), batcher, candidates, log: (l) => logs.push(l), attempts: 1 });
  assert.equal(await held.weightsFor(m), undefined);
  assert.deepEqual(asks.map((a) => a.miner).sort(), ['bad', 'good'], 'chunk 0 went to the first miner, chunk 1 to the second');
  assert.equal(held.records.list(5).length, 0);
  assert.match(logs.join('\n'), /no verified proof for 1 of 2 chunks \(uids 5…6\); weights held back/);

  // with a second try chunk 1 falls back to the good miner: one record, two chunks, weights over their union
  asks.length = 0;
  const ok = powOn(store, [], { dendrite: dendrite('bad'), batcher, candidates });
  const w = await ok.weightsFor(m);
  const [r] = ok.records.list(1);
  assert.deepEqual(r!.chunks.map((c) => [c.uids, c.miner_uid, c.inputs.length]), [[[1, 2, 3, 4], 1, 20], [[5, 6], 1, 20]]);
  assert.deepEqual(r!.chunks[1]!.scores, [0.5, 0.25]);
  assert.deepEqual(w, { recordId: r!.id, uids: r!.weight_uids, weights: r!.weights });
  assert.deepEqual(r!.weight_uids, [1, 2, 4, 5, 6]);
  store.close();
});

test('the API\'s JSON of the records equals list(), follows markSet, and the store keeps only the newest POW_RECORDS_KEEP', () => {
  const store = new ValidatorStore(':memory:');
  const p = powOn(store, []);
  const first = p.records.add(record(0), 1);
  const second = p.records.add(record(1), 2);
  const served = () => PowRecordListSchema.parse(JSON.parse(Buffer.concat(p.records.listJson(POW_LIST_MAX)).toString())).records;
  assert.deepEqual(served(), p.records.list(POW_LIST_MAX));
  p.markSet(second, 9); // a served record's status and block change once: the next answer has them
  assert.deepEqual(served().map((r) => [r.id, r.status, r.block]), [[second, 'set', 9], [first, 'pending', null]]);
  assert.deepEqual(served(), p.records.list(POW_LIST_MAX));
  assert.equal(PowRecordListSchema.parse(JSON.parse(Buffer.concat(p.records.listJson(1000)).toString())).records.length, 2, 'at most POW_LIST_MAX, here all');
  for (let epoch = 2; epoch < POW_RECORDS_KEEP + 5; epoch++) p.records.add(record(epoch), epoch);
  const ids = (store.db.prepare('SELECT id FROM pow_records ORDER BY id').pluck().all() as number[]);
  assert.equal(ids.length, POW_RECORDS_KEEP);
  assert.equal(ids[0], POW_RECORDS_KEEP + 5 - POW_RECORDS_KEEP + 1, 'the oldest went');
  assert.equal(served().length, POW_LIST_MAX);
  assert.equal(served()[0]!.epoch, POW_RECORDS_KEEP + 4, 'newest first');
  store.close();
});
