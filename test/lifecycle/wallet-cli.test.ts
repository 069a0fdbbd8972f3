// `zkinfer wallet create` as a user types it (docs/chain.md, "Coldkey passwords"): the password is asked on
// the terminal without echo, and --mnemonic never silently keeps an existing coldkey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NODE_ARGS, startCli } from './spawn-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-wallet-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const MNEMONIC = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const env = { ...process.env } as Record<string, string>;
delete env['ZKINFER_COLDKEY_PASSWORD'];

test('wallet create --mnemonic over an existing coldkey is refused and keeps the old key', async () => {
  const path = join(tmp, 'w1');
  const first = startCli(['wallet', 'create', '--no-password', '--name', 'owner', '--hotkey', 'h1', '--path', path]);
  assert.equal((await first.exited()).code, 0, first.err());
  const pub = readFileSync(join(path, 'owner', 'coldkeypub.txt'), 'utf8');
  const again = startCli(['wallet', 'create', '--no-password', '--name', 'owner', '--hotkey', 'h2', '--path', path, '--mnemonic', MNEMONIC]);
  assert.equal((await again.exited()).code, 2);
  assert.match(again.err(), /already has a coldkey .*--mnemonic would not replace it/);
  assert.equal(readFileSync(join(path, 'owner', 'coldkeypub.txt'), 'utf8'), pub);
});

test('wallet create asks for the coldkey password on the terminal without echoing it', { skip: spawnSync('python3', ['-c', 'import pty']).status !== 0 ? 'python3 with pty is needed to drive a terminal' : false }, () => {
  const path = join(tmp, 'w2');
  const helper = fileURLToPath(new URL('./pty-run.py', import.meta.url).href.replace('/dist/test/', '/test/'));
  const r = spawnSync('python3', [helper, 'new coldkey password: ', 'hunter2-secret', 'repeat password: ', 'hunter2-secret', '--',
    process.execPath, ...CLI_NODE_ARGS, 'wallet', 'create', '--name', 'owner', '--hotkey', 'h', '--path', path], { encoding: 'utf8', env, timeout: 180_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /new coldkey password: /);
  assert.match(r.stdout, /\$NACL encrypted/);
  assert.ok(!r.stdout.includes('hunter2-secret'), `the password was echoed:\n${r.stdout}`);
  // Without a terminal and without the env var, the error says how to pass the password.
  const noTty = spawnSync(process.execPath, [...CLI_NODE_ARGS, 'wallet', 'create', '--name', 'other', '--path', path], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(noTty.status, 2);
  assert.match(noTty.stderr, /stdin is not a terminal[\s\S]*ZKINFER_COLDKEY_PASSWORD/);
});

// docs/chain.md "Wallet files": `wallet show` ("public data only") on a bad keyfile says which file and what is wrong,
// exit 2, and prints none of its secrets (before: Node's uncaught-error printer echoed the whole JSON, phrase included).
test('wallet show on a corrupt, inconsistent, /dev/zero or FIFO hotkey: error naming the file, no secret printed', { timeout: 180_000 }, async () => {
  const home = join(tmp, 'home');
  mkdirSync(home);
  // startCli adds these to this process's env: a BT_WALLET_PATH there is pointed at the temp HOME's default
  const cliEnv: Record<string, string> = { HOME: home, ZKINFER_DEBUG: '0', ...(process.env['BT_WALLET_PATH'] !== undefined ? { BT_WALLET_PATH: join(home, '.bittensor', 'wallets') } : {}) };
  const run = async (args: string[]) => {
    const p = startCli(args, { env: cliEnv });
    const { code, afterMs } = await p.exited(60_000);
    return { code, afterMs, out: p.out(), err: p.err() };
  };
  const made = await run(['wallet', 'create', '--no-password', '--name', 'w', '--hotkey', 'h']);
  assert.equal(made.code, 0, made.err);
  assert.equal((await run(['wallet', 'create', '--name', 'w', '--hotkey', 'o'])).code, 0);
  const dir = join(home, '.bittensor', 'wallets', 'w', 'hotkeys');
  const file = join(dir, 'h');
  const good = readFileSync(file, 'utf8');
  const k = JSON.parse(good) as Record<string, string>;
  const other = JSON.parse(readFileSync(join(dir, 'o'), 'utf8')) as Record<string, string>;
  const secrets = [k['secretPhrase']!, k['privateKey']!.slice(2, 40), k['secretSeed']!.slice(2, 40), other['secretPhrase']!, other['privateKey']!.slice(2, 40)];
  const noSecrets = (r: { out: string; err: string }, what: string): void => {
    for (const s of secrets) assert.ok(!(r.out + r.err).includes(s), `${what}: a secret was printed:\n${r.out}${r.err}`);
    assert.doesNotMatch(r.err, /^\s+at /m, `${what}: a stack trace was printed`);
  };
  const cases: Array<[string, string, RegExp]> = [
    ['truncated', good.slice(0, 450), /is not valid keyfile JSON \(position 450\)/],
    ['control character', good.replace('"secretPhrase":"', '"secretPhrase":"\u0001'), /is not valid keyfile JSON/],
    ['missing field', JSON.stringify({ ...k, publicKey: undefined }), /missing or malformed publicKey/],
    ['other key\'s phrase', JSON.stringify({ ...k, secretPhrase: other['secretPhrase'] }), new RegExp(`is inconsistent: its secretPhrase is the key of ${other['ss58Address']}`)],
  ];
  for (const [what, text, re] of cases) {
    writeFileSync(file, text);
    const r = await run(['wallet', 'show', '--name', 'w', '--hotkey', 'h']);
    assert.equal(r.code, 2, `${what}: ${r.out}${r.err}`);
    assert.ok(r.err.startsWith(`error: hotkey file ${file} `), `${what}: ${r.err}`);
    assert.match(r.err, re, what);
    noSecrets(r, what);
  }
  // not regular files: refused at once (before: /dev/zero grew to GBs, a FIFO hung)
  symlinkSync('/dev/zero', join(dir, 'zero'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  for (const [name, re] of [['zero', /is a character device, not a keyfile/], ['fifo', /is a FIFO, not a keyfile/]] as const) {
    const r = await run(['wallet', 'show', '--name', 'w', '--hotkey', name]);
    assert.equal(r.code, 2, `${name}: ${r.out}${r.err}`);
    assert.match(r.err, new RegExp(`^error: hotkey file ${join(dir, name)} `));
    assert.match(r.err, re);
    assert.ok(r.afterMs < 20_000, `${name}: ${r.afterMs} ms`);
  }
  // wallet list: the good hotkey with its address, every bad one flagged, exit 0
  writeFileSync(file, good.slice(0, 450));
  const list = await run(['wallet', 'list']);
  assert.equal(list.code, 0, list.err);
  assert.match(list.out, new RegExp(`└─ o  ${other['ss58Address']}`));
  assert.match(list.out, /└─ h {2}\(unreadable: hotkey file .*hotkeys\/h is not valid keyfile JSON/);
  assert.match(list.out, /└─ zero {2}\(unreadable: .*character device/);
  assert.match(list.out, /└─ fifo {2}\(unreadable: .*FIFO/);
  noSecrets(list, 'wallet list');
});
