import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChainSpec, resolveNetwork } from '../../src/chain/open.js';
import { taoToRao } from '../../src/chain/types.js';
import { devnetUp } from '../../src/devnet-up/network.js';
import { Wallet } from '../../src/protocol/wallet/wallet.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';

// The validator inside `devnet up` verifies with snarkjs's curve: its worker threads would keep the process alive.
after(() => releaseSnarkjsCurve());

// One --network flag for every neuron and chain command (docs/chain.md "Choosing the network"), the
// Bittensor SDK's env variables and dotted flags, offline fail-fast, and `devnet up` serving its chain.

const fromSource = import.meta.url.endsWith('.ts');
const repoRoot = fileURLToPath(new URL(fromSource ? '../..' : '../../..', import.meta.url));
const cache = join(repoRoot, '.cache');
const src = (p: string) => new URL(`../../src/${p}.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;

/** Run a CLI entry (the full `zkinfer` main, or the light devnet/chain entry) asynchronously. */
function cli(entry: 'main' | 'light', args: string[], env: Record<string, string> = {}): { proc: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  mkdirSync(cache, { recursive: true });
  const runner = join(cache, `network-test-${entry}-${fromSource ? 'src' : 'dist'}-${process.pid}.mjs`);
  writeFileSync(runner, entry === 'main'
    ? `const m = await import(${JSON.stringify(src('cli/main'))});\nawait m.main(process.argv);\n`
    : `await import(${JSON.stringify(src('cli/devnet-entry'))});\n`);
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['BT_SUBTENSOR_NETWORK', 'BT_SUBTENSOR_CHAIN_ENDPOINT', 'ZKINFER_DEVNET_URL']) delete clean[k];
  const proc = spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), runner, ...args], { cwd: repoRoot, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { proc, done };
}

test('network resolution: flag > SDK env variables > ZKINFER_DEVNET_URL > local devnet', () => {
  const env = {};
  assert.deepEqual(resolveNetwork({}, env), { kind: 'devnet', url: 'http://127.0.0.1:9955', network: 'devnet' });
  assert.deepEqual(resolveNetwork({}, { ZKINFER_DEVNET_URL: 'http://127.0.0.1:7' }), { kind: 'devnet', url: 'http://127.0.0.1:7', network: 'devnet' });
  assert.deepEqual(resolveNetwork({}, { BT_SUBTENSOR_NETWORK: 'test', ZKINFER_DEVNET_URL: 'http://127.0.0.1:7' }),
    { kind: 'subtensor', url: 'wss://test.finney.opentensor.ai:443', network: 'test' });
  // The SDK: an explicit chain endpoint wins over the network name; `local` follows BT_SUBTENSOR_CHAIN_ENDPOINT.
  assert.deepEqual(resolveNetwork({}, { BT_SUBTENSOR_NETWORK: 'test', BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://10.0.0.2:9944' }),
    { kind: 'subtensor', url: 'ws://10.0.0.2:9944', network: 'custom' });
  assert.deepEqual(parseChainSpec('local', { BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://10.0.0.3:9944' }), { kind: 'subtensor', url: 'ws://10.0.0.3:9944', network: 'local' });
  assert.deepEqual(resolveNetwork({ network: 'finney' }, { BT_SUBTENSOR_NETWORK: 'test' }),
    { kind: 'subtensor', url: 'wss://entrypoint-finney.opentensor.ai:443', network: 'finney' });
  assert.deepEqual(resolveNetwork({ network: 'finney', chainEndpoint: 'ws://127.0.0.1:9946' }, env), { kind: 'subtensor', url: 'ws://127.0.0.1:9946', network: 'custom' });
  assert.deepEqual(resolveNetwork({ network: 'wss://test.finney.opentensor.ai:443' }, env), { kind: 'subtensor', url: 'wss://test.finney.opentensor.ai:443', network: 'test' });
  assert.deepEqual(resolveNetwork({ network: 'archive' }, env).url, 'wss://archive.chain.opentensor.ai:443');
  assert.deepEqual(resolveNetwork({ network: 'http://127.0.0.1:9955' }, env), { kind: 'devnet', url: 'http://127.0.0.1:9955', network: 'devnet' });
  assert.throws(() => resolveNetwork({ network: 'mainnet?' }, env), /unknown network "mainnet\?"/);
});

test('offline: a real network fails fast with "cannot reach … (network test)" and exit 2, from flag, dotted flag or env', async () => {
  const runs = [
    cli('light', ['chain', 'metagraph', '--network', 'test']),
    cli('light', ['chain', 'hyperparameters', '--subtensor.network', 'test']),
    cli('light', ['chain', 'metagraph'], { BT_SUBTENSOR_NETWORK: 'test' }),
  ];
  for (const r of runs) {
    const out = await r.done;
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /cannot reach wss:\/\/test\.finney\.opentensor\.ai:443 \(network test\)/);
  }
  const dev = await cli('light', ['chain', 'metagraph', '--network', 'http://127.0.0.1:1']).done;
  assert.equal(dev.code, 2);
  assert.match(dev.stderr, /cannot reach http:\/\/127\.0\.0\.1:1 \(network devnet\)/);
  const bad = await cli('light', ['chain', 'metagraph', '--network', 'nowhere']).done;
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown network "nowhere"/);
});

test('devnet up serves its chain: another process reads the metagraph, registers, and a miner joins with btcli flags', async () => {
  const { dir: circuitDir } = await fixtureArtifacts('affine', 'affine-network');
  const dataDir = mkdtempSync(join(tmpdir(), 'zk-devnet-up-rpc-'));
  const net = await devnetUp({ dataDir, miners: 1, fast: true, circuitDir, rpcPort: 0 });
  let miner: ChildProcess | undefined;
  try {
    assert.match(net.rpcUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const url = net.rpcUrl!;
    const m = await cli('light', ['chain', 'metagraph', '--network', url, '--json']).done;
    assert.equal(m.code, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).n, 2, 'validator + miner1 registered by devnet up');

    // A wallet of our own, funded through the served chain, registered with the SDK's dotted flags.
    const wallets = join(dataDir, 'extra-wallets');
    const w = new Wallet({ path: wallets, name: 'extra', hotkey: 'default' });
    await w.createColdkey(null);
    w.createHotkey();
    const fund = await cli('light', ['devnet', 'faucet', '--network', url, '--wallet.name', 'extra', '--wallet.path', wallets, '--amount', '10']).done;
    assert.equal(fund.code, 0, fund.stderr);
    const reg = await cli('light', ['chain', 'register', '--subtensor.chain_endpoint', url, '--wallet.name', 'extra', '--wallet.hotkey', 'default', '--wallet.path', wallets]).done;
    assert.equal(reg.code, 0, reg.stderr);
    assert.match(reg.stdout, /as uid 2 on subnet 1/);
    assert.equal(await net.devnet.balance((await w.coldkeyPair()).address), taoToRao(10) - (await net.devnet.hyperparameters(1)).burn);

    // `zkinfer miner` as a pm2 script launches it: bittensor's dotted names, network from the SDK's env variable.
    const port = 20_000 + (process.pid % 20_000);
    const run = cli('main', ['miner', '--wallet.name', 'extra', '--wallet.hotkey', 'default', '--wallet.path', wallets,
      '--axon.port', String(port), '--axon.external_ip', '127.0.0.2', '--circuit', circuitDir], { BT_SUBTENSOR_NETWORK: url });
    miner = run.proc;
    const hot = w.hotkeyPair().address;
    for (let i = 0; ; i++) {
      const mg = await net.devnet.metagraph(1);
      const a = mg.axons[mg.hotkeys.indexOf(hot)];
      if (a && a.port === port) {
        assert.equal(a.ip, '127.0.0.2', 'advertised the external ip, not the bind address');
        break;
      }
      assert.ok(i < 600, `miner did not serve its axon: ${await Promise.race([run.done.then((r) => r.stderr), new Promise((r) => setTimeout(() => r('still running'), 10))])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    if (miner && miner.exitCode === null) {
      const exited = new Promise((r) => miner!.once('close', r));
      miner.kill('SIGTERM');
      await exited;
    }
    await net.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
