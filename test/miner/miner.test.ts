import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
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
import { ChainConnectionError } from '../../src/chain/errors.js';
import type { Chain } from '../../src/chain/types.js';

let devnet: Devnet;
let miner: Miner;
let backend: PoolBackend;
let circuitId: string;
let target: { ip: string; port: number; hotkey: string };
let validator: KeyringPair;
let noPermit: KeyringPair;
let stranger: KeyringPair;
let fixtureDir: string;

before(async () => {
  await cryptoWaitReady();
  const { dir, metadata } = await fixtureArtifacts('affine', 'affine-miner');
  circuitId = metadata.id;
  fixtureDir = dir;
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

/** The devnet as a Chain whose metagraph reads fail with ChainConnectionError while `state.down`. */
function flaky(chain: Devnet): { chain: Chain; state: { down: boolean; reads: number } } {
  const state = { down: false, reads: 0 };
  const proxy = new Proxy(chain, {
    get(t, p) {
      if (p === 'metagraph') {
        return async (netuid: number) => {
          state.reads++;
          if (state.down) throw new ChainConnectionError('cannot reach the devnet node at http://127.0.0.1:1 (test outage)');
          return t.metagraph(netuid);
        };
      }
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { chain: proxy as unknown as Chain, state };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('miner: during a chain outage the axon keeps answering from the last metagraph, then 503 past the bound, one log line each', async () => {
  const { chain, state } = flaky(devnet);
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const hot = k.addFromUri('//MinerTestOutageMiner');
  const cold = k.addFromUri('//MinerTestCold');
  await devnet.burnedRegister(1, cold, hot.address);
  const circuits = new CircuitStore();
  await circuits.add(fixtureDir, { capacity: 1 });
  const lines: string[] = [];
  // the default bound is minutes (docs/network.md "Chain outages"); 5 s keeps the test short
  const m2 = new Miner({ hotkey: hot, chain, netuid: 1, circuits, backend, metagraphMaxStaleMs: 5_000, log: (l) => lines.push(l) });
  const t2 = { ip: '127.0.0.1', port: await m2.start(), hotkey: hot.address };
  const d = new Dendrite(validator);
  try {
    const caps = () => d.call<QueryForCapacities>(t2, SYNAPSES.QueryForCapacities, {}, 5);
    assert.equal((await caps()).status, 200);
    await m2.metagraph.refresh();
    state.down = true;
    const downAt = Date.now(); // the snapshot is from just before
    await sleep(2_100); // the snapshot is now older than the miner's 2 s refresh age
    for (let i = 0; i < 20; i++) {
      const r = await caps();
      assert.equal(r.status, 200, `capacities during the outage: ${r.status} ${r.message}`);
    }
    // the blacklist still judges callers on the snapshot
    const s = await new Dendrite(stranger).call(t2, SYNAPSES.QueryForCapacities, {}, 5);
    assert.equal(s.status, 403);
    const proof = await d.call<QueryZkProof>(t2, SYNAPSES.QueryZkProof, { query_input: { model_id: circuitId, public_inputs: { x: [1, 0.5, -1] } } }, 60);
    assert.equal(proof.status, 200, `a proof during the outage: ${proof.message}`);
    const outage = lines.filter((l) => l.startsWith('metagraph: cannot refresh'));
    assert.equal(outage.length, 1, lines.join('\n'));
    assert.ok(!lines.some((l) => /\n\s+at /.test(l)), `no stack traces:\n${lines.join('\n')}`);

    await sleep(Math.max(0, downAt + 5_200 - Date.now())); // past the 5 s bound from the snapshot
    const late = await caps();
    assert.equal(late.status, 503, `${late.status} ${late.message}`);
    assert.match(late.message, /Service unavailable: the miner cannot read the metagraph/);
    assert.equal((await caps()).status, 503);
    assert.equal(lines.filter((l) => /past the 5\.0 s bound/.test(l)).length, 1, lines.join('\n'));
    assert.ok(!lines.some((l) => /internal error/.test(l)), lines.join('\n'));

    state.down = false;
    await sleep(2_100); // the next background retry is due
    const back = await caps();
    assert.equal(back.status, 200, `${back.status} ${back.message}`);
    assert.equal(lines.filter((l) => l.startsWith('metagraph: chain reachable again')).length, 1, lines.join('\n'));
    assert.ok(state.reads < 20, `${state.reads} metagraph reads`);
  } finally {
    d.close();
    await m2.stop();
  }
});
