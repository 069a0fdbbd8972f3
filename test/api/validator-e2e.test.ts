// The API on a real network: devnet + 2 miners (worker-thread snarkjs provers) + a validator, over loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { ZkinferClient, ApiRequestError } from '../../src/client/index.js';
import { NETUID, startNetwork, type TestNetwork } from './network.js';
import { endSnarkjs } from './harness.js';

let net: TestNetwork;
before(async () => {
  net = await startNetwork({ config: { auth: { mode: 'signed', permitNetuid: NETUID }, rateLimit: { burst: 10, perSecond: 1 } } });
});
after(async () => {
  await net?.close();
  await endSnarkjs();
});

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, limitMs = 90_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a hotkey with a validator permit submits; a miner proves it ahead of benchmarks; the client verifies it locally', async () => {
  // The validator's own hotkey holds a permit once an epoch has run (it has stake).
  await until('validator permit', async () => (await net.devnet.metagraph(NETUID)).validatorPermit[0] === true || undefined);
  const client = new ZkinferClient({ url: net.url, signer: net.validatorHotkey });
  const seen: string[] = [];
  const inf = await client.infer({ model: 'affine', input: { x: [1.5, -2, 0.25] } }, { onProgress: (e) => seen.push(e.status), timeoutMs: 90_000 });
  assert.equal(inf.status, 'verified', inf.error);
  assert.deepEqual(inf.output, { lin: [13.75], prod: [-3] });
  assert.ok(net.minerUids.includes(inf.miner_uid!), `miner uid ${inf.miner_uid}`);
  assert.ok(inf.timings.response_ms! > 0);
  assert.ok(seen.includes('verified'));
  const v = await client.verify(inf);
  assert.deepEqual(v.problems, []);
  assert.equal(v.valid, true);

  // A registered-or-not hotkey without a permit is refused.
  const stranger = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//ApiTestStranger');
  await assert.rejects(new ZkinferClient({ url: net.url, signer: stranger }).submit({ model: 'affine', input: { x: [0, 0, 0] } }), (e: unknown) => e instanceof ApiRequestError && e.status === 403);
});

test('the network overview shows miners, scores, verified counts, latency and history', async () => {
  const client = new ZkinferClient({ url: net.url });
  const n = await until('scored miners', async () => {
    const o = await client.network();
    return o.miners.length === 2 && o.miners.every((m) => m.verified > 0) && o.history.length >= 2 ? o : undefined;
  });
  assert.equal(n.netuid, NETUID);
  assert.deepEqual(n.miners.map((m) => m.uid).sort(), [...net.minerUids].sort());
  assert.ok(n.miners.every((m) => m.score > 0 && m.latency_p50_ms! > 0 && m.latency_p95_ms! >= m.latency_p50_ms!));
  assert.ok(n.verified >= 2 && n.failed === 0);
  assert.ok(n.latency_p50_ms! > 0);
  const withWeights = await until('weights and incentive', async () => {
    const o = await client.network();
    return o.miners.every((m) => m.weight > 0 && m.incentive > 0) ? o : undefined;
  });
  assert.ok(Math.abs(withWeights.miners.reduce((a, m) => a + m.weight, 0) - 1) < 1e-9);
  const metrics = await (await fetch(`${net.url}/metrics`)).text();
  assert.match(metrics, /zkinfer_api_inferences_completed_total\{source="external",status="verified"\} 1/);
});
