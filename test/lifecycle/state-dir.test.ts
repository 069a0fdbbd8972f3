// Where state goes (docs/network.md, "Where zkinfer keeps files"): real `zkinfer devnet node` processes in a
// temp HOME write their chain under $ZKINFER_STATE_DIR / --state-dir, else $XDG_STATE_HOME/zkinfer, else
// ~/.local/state/zkinfer; an explicit --data still wins, and state at the pre-XDG default (./.zkinfer/devnet) is
// kept in use with a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from './spawn-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-state-dir-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** Start a devnet node, read the data folder it reports, stop it; returns the folder and its output. */
async function nodeData(extra: string[], env: Record<string, string>, cwd = tmp): Promise<{ data: string; output: string }> {
  const p = startCli(['devnet', 'node', '--fast', '--port', '0', ...extra], { env, cwd });
  const m = await p.waitFor(/devnet node on \S+ .* data (\S+)\n/, 30_000);
  p.proc.kill('SIGTERM');
  const exit = await p.exited(15_000);
  assert.equal(exit.code, 0, `${exit.signal} ${p.out()} ${p.err()}`);
  return { data: m[1]!, output: p.out() + p.err() };
}

const clean = (home: string): Record<string, string> => ({ HOME: home, XDG_STATE_HOME: '', ZKINFER_STATE_DIR: '' });

test('devnet node state: ~/.local/state/zkinfer by default, then XDG_STATE_HOME, ZKINFER_STATE_DIR, --state-dir, --data', async () => {
  const home = join(tmp, 'home');
  mkdirSync(home);
  const def = await nodeData([], clean(home));
  assert.equal(def.data, join(home, '.local', 'state', 'zkinfer', 'devnet'));
  assert.ok(existsSync(join(def.data, 'devnet.sqlite')), 'chain written under the default state folder');

  const xdg = join(tmp, 'xdg');
  assert.equal((await nodeData([], { ...clean(home), XDG_STATE_HOME: xdg })).data, join(xdg, 'zkinfer', 'devnet'));
  const env = join(tmp, 'env-state');
  assert.equal((await nodeData([], { ...clean(home), XDG_STATE_HOME: xdg, ZKINFER_STATE_DIR: env })).data, join(env, 'devnet'));

  const flag = join(tmp, 'flag-state');
  const p = startCli(['--state-dir', flag, 'devnet', 'node', '--fast', '--port', '0'], { env: { ...clean(home), ZKINFER_STATE_DIR: env }, cwd: tmp });
  const m = await p.waitFor(/data (\S+)\n/, 30_000);
  p.proc.kill('SIGTERM');
  assert.equal((await p.exited(15_000)).code, 0);
  assert.equal(m[1], join(flag, 'devnet'));

  const explicit = join(tmp, 'explicit');
  assert.equal((await nodeData(['--data', explicit], { ...clean(home), ZKINFER_STATE_DIR: env })).data, explicit);
});

test('state at the pre-XDG default (./.zkinfer/devnet) keeps being used, with a note naming the new default', async () => {
  const home = join(tmp, 'home-legacy');
  const cwd = join(tmp, 'project');
  mkdirSync(home);
  mkdirSync(join(cwd, '.zkinfer', 'devnet'), { recursive: true });
  const r = await nodeData([], clean(home), cwd);
  assert.equal(r.data, join(cwd, '.zkinfer', 'devnet'));
  assert.match(r.output, /note: using the existing state in .*\.zkinfer\/devnet \(the default is now .*\.local\/state\/zkinfer\/devnet/);
  assert.ok(existsSync(join(cwd, '.zkinfer', 'devnet', 'devnet.sqlite')));
});
