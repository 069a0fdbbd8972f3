// Proof-of-weights records (docs/network.md): stored pending before set_weights, marked set after, newest first;
// a validator that crashed in between sets the pending record's weights on restart without a new proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metagraph } from '../../src/chain/types.js';
import { ProofOfWeights } from '../../src/validator/proof-of-weights.js';
import { PowRecordSchema } from '../../src/validator/pow-records.js';
import { DEFAULT_SCORING } from '../../src/validator/scoring.js';
import { ValidatorStore } from '../../src/validator/store.js';
import type { ValidatorCircuit } from '../../src/validator/circuits.js';

const circuit = { id: 'c'.repeat(64), timeoutS: 5, weight: 1, generate: () => ({}), artifacts: { metadata: { name: 'scoring-ema', inputs: [{ name: 'input', shape: [5, 4] }] } } } as unknown as ValidatorCircuit;
const record = (epoch: number) => ({
  epoch, netuid: 1, validator_hotkey: 'v', circuit_id: circuit.id, uids: [1, 2], hotkeys: ['a', 'b'], inputs: new Array(20).fill(0),
  scores: [0.5, 0.25], weight_uids: [1, 2], weights: [65535, 32768], proof: { pi_a: [] }, public_signals: ['1'], miner_uid: 1, miner_hotkey: 'a', created_at: Date.now(),
});

function powOn(store: ValidatorStore, asked: number[]): ProofOfWeights {
  return new ProofOfWeights({
    hotkey: 'v', netuid: 1, circuit, db: store.db, dendrite: {} as never, batcher: {} as never, scoring: DEFAULT_SCORING, log: () => undefined,
    scoreAnswer: () => 0, candidates: () => { asked.push(1); return []; },
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
