import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet, type DevnetServer } from '../../src/chain/rpc/server.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { SYNAPSES, type QueryForCapacities, type QueryZkProof } from '../../src/protocol/synapses.js';
import { Wallet } from '../../src/protocol/wallet/wallet.js';
import { loadArtifacts, type LoadedArtifacts } from '../../src/zkml/artifacts/index.js';
import { verifyMinerProof } from '../../src/validator/verify-proof.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { startCli, type Running } from '../lifecycle/spawn-cli.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';
import { freePort, skipWithoutRedis, startRedis, type RedisHandle } from './redis-harness.js';

// `zkinfer miner --queue redis://…` and `zkinfer prover-worker` as a user types them (child processes), on a
// devnet served over JSON-RPC and a real redis-server; a validator's dendrite query is answered with a proof
// that verifies against the validator's own inputs (docs/scale-out.md).
const skip = skipWithoutRedis;
let redis: RedisHandle;
let devnet: Devnet;
let rpc: DevnetServer;
let validator: KeyringPair;
let artifacts: LoadedArtifacts;
let dir: string;
let wallets: string;
const procs: Running[] = [];

before(async () => {
  if (skip) return;
  await cryptoWaitReady();
  dir = (await fixtureArtifacts('affine', 'affine-fleet-cli')).dir;
  artifacts = await loadArtifacts(dir);
  redis = await startRedis();
  devnet = await Devnet.open({ fast: true });
  rpc = await serveDevnet(devnet, { port: 0 });
  devnet.start();
  const v = await stakedValidator(devnet, { netuid: 1, coldUri: '//FleetCliCold', validatorUri: '//FleetCliValidator', faucetTao: 1000, stakeTao: 10 });
  validator = v.validator;
  wallets = mkdtempSync(join(tmpdir(), 'zk-fleet-cli-'));
  const w = new Wallet({ path: wallets, name: 'fleet', hotkey: 'axon' });
  await w.createColdkey(null);
  w.createHotkey();
  await devnet.burnedRegister(1, v.cold, w.hotkeyPair().address);
});

after(async () => {
  if (skip) return;
  for (const p of procs) {
    if (p.proc.exitCode === null && p.proc.signalCode === null) {
      p.proc.kill('SIGTERM');
      await p.exited(20_000).catch(() => p.proc.kill('SIGKILL'));
    }
  }
  await rpc?.close();
  await devnet?.close();
  await redis?.stop();
  rmSync(wallets, { recursive: true, force: true });
  await releaseSnarkjsCurve();
});

test('zkinfer miner --queue + zkinfer prover-worker (child processes): a dendrite query is answered with a valid proof', { skip, timeout: 180_000 }, async () => {
  const port = await freePort();
  const miner = startCli(['miner', '--wallet.name', 'fleet', '--wallet.hotkey', 'axon', '--wallet.path', wallets, '--network', rpc.url,
    '--netuid', '1', '--port', String(port), '--circuit', dir, '--queue', redis.url]);
  procs.push(miner);
  await miner.waitFor(/proving fleet on redis:\/\/127\.0\.0\.1/, 90_000);
  const target = { ip: '127.0.0.1', port, hotkey: new Wallet({ path: wallets, name: 'fleet', hotkey: 'axon' }).hotkeyPair().address };
  const d = new Dendrite(validator);
  const id = artifacts.metadata.id;
  const capacity = async (): Promise<number | undefined> => (await d.call<QueryForCapacities>(target, SYNAPSES.QueryForCapacities, {}, 5)).synapse?.capacities?.[id];
  // Wait for the axon to serve; without a worker the circuit's capacity is 0 and a query gets 503.
  for (let i = 0; (await capacity().catch(() => undefined)) !== 0; i++) {
    assert.ok(i < 600, `miner did not serve its axon:\n${miner.out()}\n${miner.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const none = await d.call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: id, public_inputs: { x: [1, 2, 3] } } }, 10);
  assert.equal(none.status, 503);

  const worker = startCli(['prover-worker', '--queue', redis.url, '--circuit', `${dir}:2`, '--prover', 'snarkjs']);
  procs.push(worker);
  await worker.waitFor(/serving/, 90_000);
  for (let i = 0; (await capacity()) !== 2; i++) {
    assert.ok(i < 300, `the miner did not see the worker:\n${miner.out()}\n${miner.err()}\n${worker.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const inputs = [{ x: [0.5, -1, 2] }, { x: [1, 2, 3] }];
  const answers = await Promise.all(inputs.map((x) => d.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: id, public_inputs: x } }, 60)));
  for (const [i, r] of answers.entries()) {
    assert.equal(r.status, 200, `${r.status} ${r.message}\n${miner.err()}\n${worker.err()}`);
    const out = JSON.parse(r.synapse!.query_output!) as { proof: unknown; public_signals: string[] };
    assert.equal((await verifyMinerProof(artifacts, out, inputs[i]!)).valid, true);
    // Presented for other inputs, the same proof fails: it is bound to the query's own inputs.
    assert.equal((await verifyMinerProof(artifacts, out, inputs[1 - i]!)).valid, false);
  }
});

test('zkinfer miner --queue --metrics-port: a busy metrics port is a start-up error (exit 2); kept-alive and half-sent scrapes cannot hold up a stop', { skip, timeout: 180_000 }, async () => {
  const axonPort = await freePort();
  const minerArgs = (metricsPort: number): string[] => ['miner', '--wallet.name', 'fleet', '--wallet.hotkey', 'axon', '--wallet.path', wallets, '--network', rpc.url,
    '--netuid', '1', '--port', String(axonPort), '--circuit', dir, '--queue', redis.url, '--metrics-port', String(metricsPort)];
  const busy = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => busy.once('listening', r));
  const taken = startCli(minerArgs((busy.address() as net.AddressInfo).port));
  procs.push(taken);
  const r0 = await taken.exited(60_000);
  busy.close();
  assert.equal(r0.code, 2, taken.out() + taken.err());
  assert.match(taken.err(), /error: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)[^\n]*\n\s*→ pass another --metrics-port/);

  const miner = startCli(minerArgs(0));
  procs.push(miner);
  const port = Number((await miner.waitFor(/fleet metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/, 90_000))[1]);
  await miner.waitFor(/miner \S+ on 127\.0\.0\.1:\d+/, 90_000);
  assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200, 'served (this fetch leaves a kept-alive connection)');
  const half = net.connect(port, '127.0.0.1');
  half.on('error', () => undefined);
  await new Promise((r) => half.once('connect', r));
  half.write('GET /metrics HTTP/1.1\r\nhost: x\r\n'); // headers that never end
  await new Promise((r) => setTimeout(r, 300));
  miner.proc.kill('SIGTERM');
  const r = await miner.exited(10_000);
  half.destroy();
  assert.equal(r.code, 0, miner.out() + miner.err());
  assert.match(miner.out(), /stopped: \d+ proofs served/);
});
