// The chain, devnet, query, train and competition commands' flag values as a careless user types them, through the
// real CLI (bin/zkinfer.js) against a real devnet node over JSON-RPC (docs/chain.md "Flag values", docs/network.md
// "CLI errors"): each bad value is one typed `error:` line naming the flag, exit 2, and nothing reaches the chain.
// Each parser's full value matrix is test/unit/flags.test.ts; here one or two values per flag show the command uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet } from '../../src/chain/rpc/server.js';
import { taoToRao } from '../../src/chain/types.js';
import { CLI_NODE_ARGS, runNode, startCli } from '../lifecycle/spawn-cli.js';

await cryptoWaitReady();
const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
const hot = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice//m1');
const home = mkdtempSync(join(tmpdir(), 'zkinfer-cli-flags-'));
const dev = await Devnet.open({});
const server = await serveDevnet(dev);
test.after(async () => {
  await server.close();
  await dev.close();
  rmSync(home, { recursive: true, force: true });
});
const N = ['--network', server.url];
const env = { HOME: home, ZKINFER_HOME: home, BT_WALLET_PATH: join(home, 'wallets'), ZKINFER_DEVNET_URL: server.url };

const zkinfer = (args: string[]) => runNode([...CLI_NODE_ARGS, ...args], { env });

/**
 * A refused command: exit 2, one `error:` line matching `message` (plus its hint), no stack, not reported as a bug.
 * Bounded: a value let through can start real work (a training run, a whole `devnet up`), killed after a minute.
 */
async function refused(args: string[], message: RegExp): Promise<void> {
  const run = startCli(args, { env });
  try {
    const r = await run.exited(60_000);
    const what = `zkinfer ${args.join(' ')}\n${run.out()}${run.err()}`;
    assert.equal(r.code, 2, what);
    assert.match(run.err(), /^error: /, what);
    assert.match(run.err().split('\n')[0]!, message, what);
    assert.doesNotMatch(run.err(), /this is a bug|^\s+at |TimeoutOverflowWarning|invalid params/m, what);
  } finally {
    if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
  }
}

test('integer flags take decimal digits only: "", " ", 0x1 and 1e0 are refused, not read as 0 or 1', async () => {
  for (const v of ['', '0x1']) {
    await refused(['chain', 'metagraph', ...N, '--netuid', v], /^error: --netuid must be an integer in 0\.\.65535, got "/);
  }
  const ok = await zkinfer(['chain', 'metagraph', ...N, '--netuid', '1']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^subnet 1 at block \d+/);
});

test('usage errors exit 2, never the 1 that verify and verify-weights mean as "invalid"', async () => {
  await refused(['verify'], /^error: missing required argument 'dir'/);
  await refused(['verify-weights'], /^error: required option '--validator <url>' not specified/);
  await refused(['chain', 'owner', 'set-tempo', ...N, '--coldkey-uri', '//Alice'], /^error: required option '--tempo <blocks>'/);
  await refused(['chain', 'stake', 'add', '--amount', '1', 'extra'], /^error: too many arguments for 'add'/);
  await refused(['no-such-command'], /^error: unknown command 'no-such-command'/);
  const help = await zkinfer(['chain', 'stake', '--help']);
  assert.equal(help.code, 0, help.stderr);
});

test('τ amounts: more than 9 decimals or more than u64 rao are refused before the node sees them', async () => {
  const before = await dev.balance(alice.address);
  await refused(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '0.0000000001'], /^error: --amount "0\.0000000001" is not a TAO amount/);
  await refused(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '18446744073.709551616'], /^error: --amount 18446744073\.709551616 τ is more than any balance can hold \(18446744073\.709551615 τ/);
  // the node's own bound is said in τ, as every amount the CLI prints
  await refused(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '1000001'], /^error: a faucet amount must be positive and at most 1000000 τ$/);
  assert.equal(await dev.balance(alice.address), before);
  const ok = await zkinfer(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '1.000000001']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(await dev.balance(alice.address), before + taoToRao('1.000000001'));
});

test('addresses and keyring URIs: a malformed SS58 names its flag; an empty URI or one that is no keyring URI is refused, not the default wallet or a stranger key', async () => {
  await refused(['devnet', 'faucet', ...N, '--address', 'notanaddress'], /^error: --address "notanaddress" is not an SS58 address/);
  await refused(['chain', 'register', ...N, '--coldkey-uri', '//Alice', '--hotkey-address', 'xyz'], /^error: --hotkey-address "xyz" is not an SS58 address/);
  await refused(['chain', 'stake', 'add', ...N, '--coldkey-uri', '//Alice', '--hotkey-address', `${hot.address}x`, '--amount', '1'], /^error: --hotkey-address ".*" is not an SS58 address/);
  await refused(['devnet', 'faucet', ...N, '--coldkey-uri', ''], /^error: --coldkey-uri is empty/);
  await refused(['chain', 'weights', ...N, '--hotkey-uri', ' ', '--uids', '0', '--weights', '1'], /^error: --hotkey-uri is empty/);
  // the keyring makes a key of any phrase: "Alice" (not //Alice) or a mistyped mnemonic signed as an empty stranger account
  await refused(['devnet', 'faucet', ...N, '--coldkey-uri', 'Alice', '--amount', '1'], /^error: --coldkey-uri is not a keyring URI$/);
  await refused(['chain', 'serve', ...N, '--hotkey-uri', 'bottom drive obey lake curtain smoke basket hold race lonely fit wa1k', '--ip', '127.0.0.1', '--port', '8091'], /^error: --hotkey-uri is not a keyring URI$/);
  const ok = await zkinfer(['devnet', 'faucet', ...N, '--address', hot.address, '--amount', '2']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `${hot.address} balance: 2 τ\n`);
});

test('stake --rate-tolerance is checked even without --safe-staking: nothing is staked', async () => {
  await zkinfer(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '10']);
  const reg = await zkinfer(['chain', 'register', ...N, '--coldkey-uri', '//Alice', '--hotkey-uri', '//Alice//m1']);
  assert.equal(reg.code, 0, reg.stderr);
  const before = await dev.balance(alice.address);
  await refused(['chain', 'stake', 'add', ...N, '--coldkey-uri', '//Alice', '--hotkey-uri', '//Alice//m1', '--amount', '1', '--rate-tolerance', ''], /^error: --rate-tolerance must be a fraction in \[0, 1\), got ""/);
  assert.equal(await dev.balance(alice.address), before);
});

test('the faucet on a subtensor network is refused before connecting to it', async () => {
  await refused(['devnet', 'faucet', '--network', 'ws://127.0.0.1:1', '--coldkey-uri', '//Alice'], /^error: the faucet exists only on the devnet/);
});

test('query --timeout: whole seconds up to a day (1e400 and 0.0001 made setTimeout throw, 3000000 fired at once)', async () => {
  await refused(['query', '--validator', server.url, '--model', 'staking-lstm', '--input', '-', '--timeout', '1e400'], /^error: --timeout must be an integer in 1\.\.86400, got "1e400"/);
});

test('train and devnet up integer flags: --seed "" and --miners 2.5 are refused before any work starts', async () => {
  await refused(['train', 'staking-lstm', '--seed', '', '--out', join(home, 'trained')], /^error: --seed must be an integer in 0\.\./);
  for (const [flag, v] of [['--miners', '2.5'], ['--port', '80abc'], ['--rpc-port', '']] as const) {
    await refused(['devnet', 'up', '--data', join(home, 'up'), flag, v], new RegExp(`^error: ${flag} must be an integer in \\d+\\.\\.\\d+, got "`));
  }
});

test('competition evaluate / validator: a --ptau that is no file, an empty --count, a NaN circuit weight are refused before the wallet', async () => {
  // a missing ceremony ptau was read only at the first ceremony submission, and rejected every honest one
  await refused(['competition', 'evaluate', 'shapes-classification', ...N, '--ptau', join(home, 'no.ptau')], /^error: --ptau .*no\.ptau: no such file/);
  await refused(['competition', 'evaluate', 'shapes-classification', ...N, '--ptau', home], /^error: --ptau .* is not a file/);
  await refused(['competition', 'evaluate', 'shapes-classification', ...N, '--count', ''], /^error: --count must be an integer in 1\.\.10000, got ""/);
  await refused(['competition', 'evaluate', 'shapes-classification', ...N, '--seed', ''], /^error: --seed must be an integer in 1\.\./);
  await refused(['validator', ...N, '--circuit', 'affine', '--competition', 'staking-duration', '--competition-ptau', join(home, 'no.ptau')], /^error: --competition-ptau .*no\.ptau: no such file/);
  await refused(['validator', ...N, '--circuit', 'affine', '--competition', 'staking-duration', '--competition-items', ''], /^error: --competition-items must be an integer in 1\.\.10000, got ""/);
  // a weight that is no number was NaN, and the weighted choice then picked the last circuit every time
  await refused(['validator', ...N, '--circuit', 'affine:1.2.3'], /^error: --circuit affine:1\.2\.3: the weight must be a number ≥ 0, got "1\.2\.3"/);
});

test('chain errors point at the `chain` commands, not the hidden `devnet` aliases', async () => {
  const r = await zkinfer(['chain', 'metagraph', ...N, '--netuid', '99']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, 'error: subnet 99 does not exist\n  → Check --netuid (`zkinfer chain metagraph --netuid N` reads a subnet); the devnet creates netuid 1 at genesis.\n');
  const w = await zkinfer(['chain', 'weights', ...N, '--hotkey-uri', '//Alice//nobody', '--uids', '0', '--weights', '1']);
  assert.equal(w.code, 2, w.stderr);
  assert.match(w.stderr, /→ Register the hotkey first: `zkinfer chain register --netuid N \.\.\.`/);
});

test('devnet node: a --data that is a file or under /proc, and a --host that does not resolve, are typed errors', async () => {
  const file = join(home, 'a-file');
  writeFileSync(file, '');
  await refused(['devnet', 'node', '--data', file, '--port', '0'], /^error: cannot write .*a-file: it is a file, not a directory/);
  // Node's recursive mkdir under /proc spun at full CPU, deaf to SIGTERM (refused() kills it after a minute)
  await refused(['devnet', 'node', '--data', '/proc/zkinfer-devnet', '--port', '0'], /^error: cannot write \/proc\/zkinfer-devnet: /);
  await refused(['devnet', 'node', '--data', join(home, 'dn'), '--port', '0', '--host', '999.1.1.1'], /^error: cannot listen on 999\.1\.1\.1:0 \(ENOTFOUND\): no such host/);
});

test('predict --prove: a bad --recipient is refused before the prediction and the compile', async () => {
  const input = fileURLToPath(new URL(`${import.meta.url.endsWith('.ts') ? '../..' : '../../..'}/models/staking-lstm/example-input.json`, import.meta.url));
  await refused(['predict', 'staking-lstm', '--input', input, '--prove', '--recipient', 'xyz', '--proof-out', join(home, 'p.json')], /^error: recipient must be an Ethereum address/);
});

test('a port that answers something else than JSON-RPC: a hint that asks whether it is a devnet node; IPv6 axons print in brackets', async () => {
  const { createServer } = await import('node:http');
  const other = createServer((_req, res) => res.end('<html>hello</html>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    const r = await zkinfer(['chain', 'metagraph', '--network', url]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `error: malformed JSON-RPC response from ${url} (HTTP 200)\n  → is this URL a zkinfer devnet node? (\`zkinfer devnet node\` prints its URL; a subtensor node is ws://…)\n`);
    // the validator API readers say the same kind of thing about a URL that is no validator API
    for (const args of [['competition', 'leaderboard', 'staking-duration'], ['verify-weights', ...N]]) {
      const v = await zkinfer([...args, '--validator', url]);
      assert.equal(v.code, 2, v.stderr);
      assert.match(v.stderr, /^error: unexpected response from \/v1\/\S+: .*\n  → is the URL a zkinfer validator API of a compatible version\?\n$/, v.stderr);
    }
  } finally {
    other.close();
  }
  await zkinfer(['devnet', 'faucet', ...N, '--coldkey-uri', '//Alice', '--amount', '10']);
  await zkinfer(['chain', 'register', ...N, '--coldkey-uri', '//Alice', '--hotkey-uri', '//Alice//m1']);
  const s = await zkinfer(['chain', 'serve', ...N, '--hotkey-uri', '//Alice//m1', '--ip', '::1', '--port', '8091']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`^axon \\[::1\\]:8091 served by ${hot.address} at block \\d+\\n$`));
});

test('--validator takes an http(s) URL: anything else is named as such, not reported as an unreachable host', async () => {
  for (const [args, v] of [[['competition', 'leaderboard', 'staking-duration'], 'notaurl'], [['verify-weights'], 'ftp://127.0.0.1:1'], [['query', '--model', 'affine', '--input', '-'], '127.0.0.1:8600']] as const) {
    await refused([...args, '--validator', v], new RegExp(`^error: --validator ${v.replace(/[.]/g, '\\.')} is not an http\\(s\\) URL$`));
  }
});

test('a port that accepts connections and never answers: unreachable after --connect-timeout, not the 30 s call limit', async () => {
  const { createServer } = await import('node:net');
  const silent = createServer(() => { /* accept, never answer */ });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as { port: number }).port;
    for (const url of [`http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`]) {
      const t0 = Date.now();
      const r = await zkinfer(['chain', 'metagraph', '--network', url, '--connect-timeout', '1']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: cannot reach ${url} \\(network (devnet|custom)\\): no answer within 1 s\\n  → .*--connect-timeout`), r.stderr);
      // the default (15 s) or the per-call limit (30 s) would take longer than this bound
      assert.ok(Date.now() - t0 < 10_000, `${url}: gave up after ${Date.now() - t0} ms`);
    }
  } finally {
    silent.close();
  }
  await refused(['chain', 'metagraph', ...N, '--connect-timeout', '0'], /^error: --connect-timeout must be an integer in 1\.\.600, got "0"/);
});

test('devnet up: the API flags are checked before the compile; an --api-allow that is no SS58 address is refused', async () => {
  for (const [args, message] of [
    [['--api-allow', 'notss58'], /^error: --api-allow \/ auth\.allow: "notss58" is not an SS58 hotkey address/],
    [['--api-port', '99999'], /^error: --api-port must be 0\.\.65535, got 99999/],
    [['--api-key', 'nokey'], /^error: --api-key must be name=key/],
  ] as const) {
    const run = startCli(['devnet', 'up', '--data', join(home, 'up-api'), ...args], { env });
    try {
      const r = await run.exited(60_000);
      assert.equal(r.code, 2, run.out() + run.err());
      assert.match(run.err(), message);
      assert.doesNotMatch(run.out(), /compiling/, 'refused before the compile');
    } finally {
      if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
    }
  }
});
