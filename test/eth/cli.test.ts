/** `zkinfer eth …` end to end, as docs/eth.md shows it: node, deploy, mint, deposit, points, withdraw, attest. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createPublicClient, createTestClient, http, parseUnits, type Address } from 'viem';
import { depositVaultAbi } from '../../src/eth/abi-index.js';
import { devPrivateKeys } from '../../src/eth/anvil.js';
import { readDeployment } from '../../src/eth/deployment.js';
import { packageDir } from '../../src/eth/project.js';
import { privateKeyToAccount } from 'viem/accounts';
import { readModelCard } from '../../src/models/card.js';
import { compileZooModel } from '../../src/models/compiled.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { encodeRequest, readJsonFile } from '../../src/models/predict.js';
import { getZooModel } from '../../src/models/zoo.js';
import { closeDefaultPools, prove } from '../../src/zkml/prove/index.js';
import { proveTiny, releaseSnarkjs, tinyCircuit, tinyVerifierSource } from './helpers/tiny-circuit.js';
import { CLI_NODE_ARGS } from '../lifecycle/spawn-cli.js';

const dir = join(packageDir(), '.cache', 'eth-test', `cli-${process.pid}`);
const USER_KEY = devPrivateKeys(2)[1]!;
const USER = privateKeyToAccount(USER_KEY).address;

let node: ChildProcess;
let rpc: string;
let nodeOut = '';
const dep = join(dir, 'deployment.json');

function zk(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_NODE_ARGS, ...args], { env: { ...process.env, ZKINFER_ETH_KEY: '', ...env }, timeout: 120_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}
const asUser = { ZKINFER_ETH_KEY: USER_KEY };
const conn = () => ['--rpc', rpc, '--deployment', dep];

before(async () => {
  mkdirSync(dir, { recursive: true });
  node = spawn(process.execPath, [...CLI_NODE_ARGS, 'eth', 'node', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  rpc = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`eth node did not start: ${out}`)), 90_000);
    node.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^rpc (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m && /^next: /m.test(out)) (clearTimeout(timer), (nodeOut = out), resolve(m[1]!));
    });
    node.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    node.once('exit', (code) => reject(new Error(`eth node exited ${code}: ${out}`)));
  });
});

after(async () => {
  if (node.exitCode === null && node.signalCode === null) {
    // a failed test left the node running: SIGINT lets it stop its anvil, SIGKILL only as a last resort
    const gone = new Promise((resolve) => node.once('exit', resolve));
    node.kill('SIGINT');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (node.exitCode === null && node.signalCode === null) node.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  await closeDefaultPools();
  await releaseSnarkjs();
});

test('eth node prints a loopback RPC and the public dev keys, clearly marked dev-only', () => {
  assert.match(rpc, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(nodeOut, /^DEV ONLY .*PUBLIC/m);
  assert.match(nodeOut, /^chain id 31337$/m);
  const keys = [...nodeOut.matchAll(/^account (\d) +(0x[0-9a-fA-F]{40}) +key (0x[0-9a-f]{64})$/gm)];
  assert.equal(keys.length, 10);
  assert.equal(keys[1]![3], USER_KEY);
  assert.equal(keys[1]![2], USER);
});

test('eth deploy (dev) writes a deployment with the vault, attestor, restake manager and every LRT', async () => {
  const r = await zk(['eth', 'deploy', '--rpc', rpc, '--dev-account', '0', '--out', dep]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /INSECURE-DEV/);
  const d = readDeployment(dep);
  assert.equal(d.network, 'dev');
  assert.deepEqual(Object.keys(d.tokens).sort(), ['ETHx', 'ezETH', 'rETH', 'sfrxETH', 'stETH', 'wBETH', 'wETH']);
  assert.ok(d.restakeManager && d.ezETH);
});

test('a second eth deploy refuses to overwrite the deployment file; --force keeps a backup', async () => {
  const second = join(dir, 'deployment-2.json');
  copyFileSync(dep, second);
  const before = readFileSync(second, 'utf8');
  const refused = await zk(['eth', 'deploy', '--rpc', rpc, '--dev-account', '0', '--out', second]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /already records a deployment[\s\S]*--force/);
  assert.equal(readFileSync(second, 'utf8'), before, 'file untouched');
  const forced = await zk(['eth', 'deploy', '--rpc', rpc, '--dev-account', '0', '--out', second, '--force']);
  assert.equal(forced.code, 0, forced.err);
  const backup = /previous deployment kept as (\S+)/.exec(forced.out)?.[1];
  assert.ok(backup, forced.out);
  assert.equal(readFileSync(backup, 'utf8'), before, 'backup holds the old deployment');
  assert.notEqual(readDeployment(second).vault, JSON.parse(before).vault, 'a new stack was deployed');
});

test('eth mint + deposit + points + withdraw with a key from the environment', async () => {
  const pc = createPublicClient({ transport: http(rpc) });
  const d = readDeployment(dep);
  const weth = d.tokens.wETH!.address as Address;
  assert.equal((await zk(['eth', 'mint', 'wETH', '10', ...conn()], asUser)).code, 0);
  const dr = await zk(['eth', 'deposit', 'wETH', '4', ...conn()], asUser);
  assert.equal(dr.code, 0, dr.err);
  assert.match(dr.out, /deposited 4 wETH, credited 4/);
  const tc = createTestClient({ mode: 'anvil', transport: http(rpc) });
  await tc.increaseTime({ seconds: 100 });
  await tc.mine({ blocks: 1 });
  const pr = await zk(['eth', 'points', ...conn()], asUser);
  assert.equal(pr.code, 0, pr.err);
  const onChain = await pc.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'pointsOfToken', args: [USER, weth] });
  assert.ok(onChain >= 400n * 10n ** 18n, `4 wETH for ≥100 s: ${onChain}`);
  const row = pr.out.split('\n').find((l) => l.startsWith('wETH'))!;
  assert.deepEqual(row.trim().split(/\s+/), ['wETH', '4', (Number(onChain / 10n ** 18n)).toString()]);
  const wr = await zk(['eth', 'withdraw', 'wETH', '1', ...conn()], asUser);
  assert.equal(wr.code, 0, wr.err);
  assert.equal(await pc.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'balanceOf', args: [USER, weth] }), parseUnits('3', 18));
});

test('eth commands refuse bad input with a clear message and exit code 2', async () => {
  const noKey = await zk(['eth', 'points', ...conn()]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.err, /no Ethereum key given/);
  const tooMuch = await zk(['eth', 'withdraw', 'wETH', '100', ...conn()], asUser);
  assert.equal(tooMuch.code, 2);
  assert.match(tooMuch.err, /InsufficientBalance/);
  const unknown = await zk(['eth', 'deposit', 'DOGE', '1', ...conn()], asUser);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown token DOGE/);
  // an amount the token cannot represent is refused, not rounded (wETH has 18 decimals) or sent to fail in viem
  const d = readDeployment(dep);
  const weth = d.tokens.wETH!.address as Address;
  const balance = () => createPublicClient({ transport: http(rpc) }).readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'balanceOf', args: [USER, weth] });
  const held = await balance();
  for (const [amount, why] of [['1.0000000000000000001', /more decimals than wETH has \(18\)/], ['9'.repeat(80), /more than a token amount can be/]] as const) {
    const r = await zk(['eth', 'deposit', 'wETH', amount, ...conn()], asUser);
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, why);
  }
  assert.equal(await balance(), held, 'nothing was deposited');
  const weight = await zk(['eth', 'admin', 'set-weight', 'wETH', '1.0000000000000000001', ...conn(), '--dev-account', '0']);
  assert.equal(weight.code, 2);
  assert.match(weight.err, /at most 18 decimals/);
});

test('eth commands against an RPC that answers junk or never answers end with a clear error, exit 2', async () => {
  const junk = createServer((_req, res) => res.end('<html>junk</html>'));
  const silent = createServer(() => undefined); // never answers
  const listen = (s: Server) => new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
  try {
    // --connect-timeout 1: the silent node is given up after 1 s, not the default 10 (docs/eth.md "Commands")
    for (const [url, why] of [[await listen(junk), /HTTP request failed/], [await listen(silent), /no answer within 1 s \(--connect-timeout\)$/]] as const) {
      const t0 = Date.now();
      const r = await zk(['eth', 'points', '--rpc', url, '--deployment', dep, '--connect-timeout', '1'], asUser);
      assert.equal(r.code, 2, r.err);
      assert.ok(Date.now() - t0 < 9000, 'given up before the default 10 s');
      assert.match(r.err, new RegExp(`^error: cannot reach the Ethereum node at ${url}: ${why.source}`, 'm'));
    }
    // refused as the flags are parsed, before anything else (here: no key given) is looked at
    const zero = await zk(['eth', 'points', '--rpc', rpc, '--deployment', dep, '--connect-timeout', '0']);
    assert.equal(zero.code, 2, zero.err);
    assert.match(zero.err, /^error: --connect-timeout must be an integer in 1\.\.600, got "0"/m);
    const eleven = await zk(['eth', 'points', '--rpc', rpc, '--deployment', '/nonexistent/deployment.json', '--dev-account', '10']);
    assert.equal(eleven.code, 2, eleven.err);
    assert.match(eleven.err, /^error: --dev-account must be an integer in 0\.\.9, got "10"/m);
  } finally {
    junk.close();
    silent.closeAllConnections();
    silent.close();
  }
});

test('eth register-circuit + eth attest record a real proof; a tampered proof is refused', async () => {
  const c = await tinyCircuit();
  const sol = join(dir, 'Verifier.sol');
  writeFileSync(sol, await tinyVerifierSource(c));
  const vkFile = join(dir, 'vk.json');
  writeFileSync(vkFile, JSON.stringify(c.vk));
  // an empty --outputs (an unset shell variable) is refused, not read as 0 outputs
  const noOutputs = await zk(['eth', 'register-circuit', '--circuit-id', c.circuitId, '--outputs', '', '--vk', vkFile, '--dev-account', '0', ...conn()]);
  assert.equal(noOutputs.code, 2);
  assert.match(noOutputs.err, /^error: --outputs must be an integer in 0\.\./m);
  // without the vk (the attestor recomputes the id from it and verifies with it) the command says what to pass
  const noVk = await zk(['eth', 'register-circuit', '--circuit-id', c.circuitId, '--outputs', '1', '--dev-account', '0', ...conn()]);
  assert.equal(noVk.code, 2);
  assert.match(noVk.err, /--vk vk\.json/);
  // an id that is not the vk's sha256 is refused before anything is sent
  const wrongId = await zk(['eth', 'register-circuit', '--circuit-id', 'ab'.repeat(32), '--outputs', '1', '--vk', vkFile, '--dev-account', '0', ...conn()]);
  assert.equal(wrongId.code, 2);
  assert.match(wrongId.err, /is not the sha256 of/);
  // a verifier source for another key is refused (it would name the security level of the wrong key)
  const otherSol = join(dir, 'Other.sol');
  writeFileSync(otherSol, readFileSync(sol, 'utf8').replace(/(uint256 constant alphax\s*=\s*)(\d)/, (_m, pre: string, d: string) => `${pre}${(Number(d) + 1) % 10}`));
  const wrongSol = await zk(['eth', 'register-circuit', '--vk', vkFile, '--verifier-sol', otherSol, '--circuit-id', c.circuitId, '--outputs', '1', '--dev-account', '0', ...conn()]);
  assert.equal(wrongSol.code, 2);
  assert.match(wrongSol.err, /checks a different key/);
  // no verifier needs deploying: the key alone registers
  const reg = await zk(['eth', 'register-circuit', '--vk', vkFile, '--circuit-id', c.circuitId, '--outputs', '1', '--dev-account', '0', ...conn()]);
  assert.equal(reg.code, 0, reg.err);
  assert.match(reg.out, /registered circuit/);
  const proof = await proveTiny(c, 4n, 6n); // y = 24 + 12 + 7 = 43
  const pf = join(dir, 'proof.json');
  writeFileSync(pf, JSON.stringify({ ...proof, outputs: [[43]], security: 'INSECURE-DEV' }));
  const bad = structuredClone(proof);
  bad.public_signals[0] = '44';
  const bf = join(dir, 'tampered.json');
  writeFileSync(bf, JSON.stringify(bad));
  const no = await zk(['eth', 'attest', bf, ...conn()], asUser);
  assert.equal(no.code, 2);
  assert.match(no.err, /InvalidProof/);
  const ok = await zk(['eth', 'attest', pf, ...conn()], asUser);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /attested #0/);
  assert.match(ok.out, /outputs \["43"\]/);
  const hash = /input hash (0x[0-9a-f]{64})/.exec(ok.out)![1]!;
  const q = await zk(['eth', 'attestation', '--input-hash', hash, ...conn()], asUser);
  assert.equal(q.code, 0, q.err);
  const rec = JSON.parse(q.out.trim()) as { outputs: string[]; prover: string };
  assert.deepEqual(rec.outputs, ['43']);
  assert.equal(rec.prover, USER);
  assert.ok(readFileSync(dep, 'utf8').includes(c.circuitId), 'deployment records the registered circuit');
});

test('eth attest --circuit DIR registers an engine-compiled circuit on first use and decodes the outputs', async () => {
  const compiled = await compileZooModel('exit-mlp', { outDir: join(packageDir(), '.cache', 'eth-test', 'exit-mlp-cli') });
  const input = encodeRequest(getZooModel('exit-mlp'), readModelCard(shippedModelDir('exit-mlp')), readJsonFile(join(shippedModelDir('staking-lstm'), 'example-input.json')), 'example');
  const proofFile = await prove(compiled.dir, { input_data: [input] });
  const pf = join(dir, 'exit-proof.json');
  writeFileSync(pf, JSON.stringify(proofFile));
  const r = await zk(['eth', 'attest', pf, '--circuit', compiled.dir, '--dev-account', '0', ...conn()]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`registered circuit ${compiled.metadata.id}`));
  const decoded = JSON.parse(/^decoded (.*)$/m.exec(r.out)![1]!) as number[][];
  assert.deepEqual(decoded, proofFile.outputs);
});

test('eth node stops its anvil on SIGINT', async () => {
  const exited = new Promise<number | null>((resolve) => node.once('exit', (code) => resolve(code)));
  node.kill('SIGINT');
  assert.equal(await exited, 0);
  await assert.rejects(createPublicClient({ transport: http(rpc, { retryCount: 0 }) }).getChainId());
});
