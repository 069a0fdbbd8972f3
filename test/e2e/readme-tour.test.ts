// The README's quick tour, verbatim (README.md "A quick tour of the CLI"): every ```bash block of that section
// (except the ones marked `<!-- not yet run by test/e2e/readme-tour.test.ts -->`, which the README names as not yet
// covered) is split into commands and each runs through bash as a user types it — `zkinfer` on PATH, a temp
// HOME (so ~/.bittensor/wallets, ~/.cache/zkinfer and ~/.local/state/zkinfer are fresh), a temp working folder
// that sees the clone's `test/` and `models/` folders. Every command must exit 0; the key lines of its output
// are checked. `zkinfer devnet node` runs in the background until the end (one SIGTERM stops it cleanly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NODE_ARGS } from '../lifecycle/spawn-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROOT = [join(here, '..', '..'), join(here, '..', '..', '..')].find((d) => existsSync(join(d, 'README.md')))!;
const SKIP_MARK = '<!-- not yet run by test/e2e/readme-tour.test.ts -->';

/** The tour's bash blocks, each as a list of commands (continuation lines joined; comments left to bash). */
export function tourBlocks(readme: string): { commands: string[]; skipped: boolean }[] {
  const start = readme.indexOf('## A quick tour of the CLI');
  assert.ok(start >= 0, 'README has a quick tour section');
  const next = readme.indexOf('\n## ', start + 5);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const blocks: { commands: string[]; skipped: boolean }[] = [];
  const re = /((?:<!--[^\n]*-->\n)?)```bash\n([\s\S]*?)```/g;
  for (let m = re.exec(section); m; m = re.exec(section)) {
    const commands: string[] = [];
    let pending = '';
    for (const line of m[2]!.split('\n')) {
      if (line.endsWith('\\')) { pending += line.slice(0, -1); continue; }
      const full = pending + line;
      pending = '';
      if (full.trim() === '' || full.trim().startsWith('#')) continue;
      commands.push(full);
    }
    blocks.push({ commands, skipped: m[1]!.includes(SKIP_MARK) });
  }
  return blocks;
}

/** What each command must print (besides exiting 0), by a pattern on the command line. */
const EXPECT: Array<[RegExp, RegExp]> = [
  [/^zkinfer compile /, /circuit [0-9a-f]{16}|constraints/],
  [/^zkinfer prove /, /proof written to proof\.json/],
  [/^zkinfer verify /, /valid .*bound to your inputs/],
  [/^zkinfer export-verifier /, /Verifier\.sol/],
  [/^zkinfer wallet create /, /hotkey/i],
  [/^zkinfer devnet faucet /, /balance: 5\d\d/],
  [/^zkinfer chain register /, /uid \d+/i],
  [/^zkinfer chain stake add /, /stake/i],
  [/^zkinfer chain metagraph/, /subnet 1 at block \d+: 2 neurons[\s\S]*\syes\s/],
];
/** Commands that keep running: started in the background, ready when the pattern shows. */
const SERVERS: Array<[RegExp, RegExp]> = [[/^zkinfer devnet node/, /devnet node on http:\/\/127\.0\.0\.1:\d+/]];

test('README quick tour: the zkML and wallet/chain blocks run verbatim and succeed', { timeout: 900_000 }, async () => {
  const blocks = tourBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const run = blocks.filter((b) => !b.skipped).flatMap((b) => b.commands);
  // the test must keep covering what the README says it covers
  for (const c of ['zkinfer compile', 'zkinfer prove', 'zkinfer verify', 'zkinfer export-verifier', 'zkinfer wallet create', 'zkinfer devnet node', 'zkinfer chain register', 'zkinfer chain metagraph']) {
    assert.ok(run.some((x) => x.startsWith(c)), `the tour test runs \`${c}\``);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-tour-'));
  const home = join(tmp, 'home');
  const cwd = join(tmp, 'work');
  const bin = join(tmp, 'bin');
  for (const d of [home, cwd, bin]) mkdirSync(d);
  symlinkSync(join(ROOT, 'test'), join(cwd, 'test'));
  symlinkSync(join(ROOT, 'models'), join(cwd, 'models'));
  const shim = join(bin, 'zkinfer');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${CLI_NODE_ARGS.map((a) => JSON.stringify(a)).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: home, ZKINFER_COLDKEY_PASSWORD: 'tour-password-1',
    LANG: 'C.UTF-8', ...(process.env['ZKINFER_NATIVE_ADDON'] ? { ZKINFER_NATIVE_ADDON: process.env['ZKINFER_NATIVE_ADDON'] } : {}),
  };
  const servers: ChildProcess[] = [];
  try {
    for (const command of run) {
      const server = SERVERS.find(([re]) => re.test(command));
      const p = spawn('bash', ['-c', server ? `exec ${command}` : command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      p.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
      if (server) {
        servers.push(p);
        const t0 = Date.now();
        while (!server[1].test(out)) {
          assert.ok(p.exitCode === null, `\`${command}\` exited:\n${out}`);
          assert.ok(Date.now() - t0 < 60_000, `\`${command}\` not ready after 60 s:\n${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        continue;
      }
      const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
      assert.equal(code, 0, `\`${command}\` exited ${code}:\n${out}`);
      const want = EXPECT.find(([re]) => re.test(command));
      if (want) assert.match(out, want[1], `\`${command}\` output:\n${out}`);
    }
    assert.ok(existsSync(join(cwd, 'Verifier.sol')) && existsSync(join(cwd, 'proof.json')));
    assert.ok(existsSync(join(home, '.cache', 'zkinfer')), 'the user cache is under HOME');
    assert.ok(existsSync(join(home, '.local', 'state', 'zkinfer', 'devnet', 'devnet.sqlite')), 'the devnet state is under HOME');
    for (const s of servers) {
      s.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => (s.exitCode !== null ? resolve(s.exitCode) : s.on('exit', (c) => resolve(c))));
      assert.equal(code, 0, 'a server stops cleanly on SIGTERM');
    }
  } finally {
    for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
});
