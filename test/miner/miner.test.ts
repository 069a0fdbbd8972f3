import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { CircuitStore } from '../../src/miner/circuit-store.js';
import { Miner } from '../../src/miner/miner.js';
import { PoolBackend } from '../../src/miner/pool-backend.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { SYNAPSES, type QueryForCapacities, type QueryZkProof, type ProofOfWeightsSynapse } from '../../src/protocol/synapses.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

let devnet: Devnet;
let miner: Miner;
let backend: PoolBackend;
let circuitId: string;
let target: { ip: string; port: number; hotkey: string };
let validator: KeyringPair;
let noPermit: KeyringPair;
let stranger: KeyringPair;

before(async () => {
  await cryptoWaitReady();
  const { dir, metadata } = await fixtureArtifacts('affine', 'affine-miner');
  circuitId = metadata.id;
  devnet = await Devnet.open({ fast: true });
  const v = await stakedValidator(devnet, { netuid: 1, coldUri: '//MinerTestCold', validatorUri: '//MinerTestValidator', faucetTao: 1000, stakeTao: 10 });
  const { keyring: k, cold } = v;
  validator = v.validator;
  noPermit = k.addFromUri('//MinerTestNoPermit');
  stranger = k.addFromUri('//MinerTestStranger');
  const hot = k.addFromUri('//MinerTestMiner');
  devnet.produceBlock();
  await devnet.burnedRegister(1, cold, noPermit.address);
  await devnet.burnedRegister(1, cold, hot.address);
  const circuits = new CircuitStore();
  await circuits.add(dir, { capacity: 2 });
  backend = new PoolBackend({ size: 1, prover: 'snarkjs' });
  miner = new Miner({ hotkey: hot, chain: devnet, netuid: 1, circuits, backend });
  target = { ip: '127.0.0.1', port: await miner.start(), hotkey: hot.address };
});

after(async () => {
  await miner.stop();
  await backend.close();
  await devnet.close();
  await releaseSnarkjsCurve();
});

test('miner: serve_axon on chain, capacities, a real proof, blacklist and bad input statuses', async () => {
  const m = await devnet.metagraph(1);
  const i = m.hotkeys.indexOf(target.hotkey);
  assert.equal(m.axons[i]!.port, target.port);
  const d = new Dendrite(validator);
  const caps = await d.call<QueryForCapacities>(target, SYNAPSES.QueryForCapacities, {}, 5);
  assert.deepEqual(caps.synapse?.capacities, { [circuitId]: 2 });
  const ok = await d.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1.5, -2, 0.25] } } }, 60);
  assert.equal(ok.status, 200, ok.message);
  const out = JSON.parse(ok.synapse!.query_output!) as { proof: { protocol: string }; public_signals: string[] };
  assert.equal(out.proof.protocol, 'groth16');
  assert.equal(out.public_signals.length, 5);
  const pow = await d.call<ProofOfWeightsSynapse>(target, SYNAPSES.ProofOfWeightsSynapse, { verification_key_hash: circuitId, inputs: { x: [1, 2, 3] }, proof: '', public_signals: '' }, 60);
  assert.equal(pow.status, 200, pow.message);
  assert.equal((JSON.parse(pow.synapse!.public_signals) as string[]).length, 5);

  const outOfRange = await d.call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1e6, 0, 0] } } }, 10);
  assert.equal(outOfRange.status, 400);
  assert.match(outOfRange.message, /outside the circuit's range/);
  const wrongShape = await d.call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1] } } }, 10);
  assert.equal(wrongShape.status, 400);
  const unknown = await d.call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: 'f'.repeat(64), public_inputs: { x: [1, 2, 3] } } }, 10);
  assert.equal(unknown.status, 400);
  assert.match(unknown.message, /unknown model_id/);

  const s = await new Dendrite(stranger).call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1, 2, 3] } } }, 10);
  assert.equal(s.status, 403);
  assert.match(s.message, /not registered/);
  const np = await new Dendrite(noPermit).call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1, 2, 3] } } }, 10);
  assert.equal(np.status, 403);
  assert.match(np.message, /no validator permit/);

  const again = await d.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [0, 0, 1] } } }, 60);
  assert.equal(again.status, 200, 'still serving after refusals');
  assert.equal(miner.stats.served, 3);
  d.close();
});
