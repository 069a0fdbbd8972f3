// `zkinfer wallet create` as a user types it (docs/chain.md, "Coldkey passwords"): the password is asked on
// the terminal without echo, and --mnemonic never silently keeps an existing coldkey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
