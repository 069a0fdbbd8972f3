// The README's quick tour, verbatim (README.md "A quick tour of the CLI"): every ```bash block of that section is
// split into commands and each runs through bash as a user types it — `zkinfer` on PATH, a temp HOME (so
// ~/.bittensor/wallets and ~/.local/state/zkinfer are fresh), a temp working folder that sees the clone's `test/`
// and `models/` folders. Every command must exit 0; the key lines of its output are checked. The servers
// (`devnet node`, `miner`, `validator`, `eth node`) run in the background until the end (one SIGTERM stops each
// cleanly). Two things differ from a user's terminal, both so that runs stay fast and cannot collide:
// - the README's fixed ports (9955, 8091, 8600, 8545) are replaced by free ones, and ZKINFER_DEVNET_URL /
//   ZKINFER_ETH_RPC (documented in README.md) point the commands that use the defaults at them;
// - the user cache (ZKINFER_CACHE_DIR) is the suite's, .cache/zkinfer-test/user-cache (package.json's test script),
//   kept between runs: compiled circuits (compile-key checked), dev keys and solc output are reused, as a user's
//   ~/.cache/zkinfer is, and what another test file already built (the contracts, the zoo's exit-mlp) is not built
//   again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NODE_ARGS } from '../lifecycle/spawn-cli.js';
import { freePort } from '../fleet/redis-harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROOT = [join(here, '..', '..'), join(here, '..', '..', '..')].find((d) => existsSync(join(d, 'README.md')))!;

/** The tour's bash blocks, each as a list of commands (continuation lines joined; comments left to bash). */
export function tourBlocks(readme: string): string[][] {
  const start = readme.indexOf('## A quick tour of the CLI');
  assert.ok(start >= 0, 'README has a quick tour section');
  const next = readme.indexOf('\n## ', start + 5);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const blocks: string[][] = [];
  const re = /```bash\n([\s\S]*?)```/g;
  for (let m = re.exec(section); m; m = re.exec(section)) {
    const commands: string[] = [];
    let pending = '';
    for (const line of m[1]!.split('\n')) {
      if (line.endsWith('\\')) { pending += line.slice(0, -1); continue; }
      const full = pending + line;
      pending = '';
      if (full.trim() === '' || full.trim().startsWith('#')) continue;
      commands.push(full);
    }
    blocks.push(commands);
  }
  return blocks;
}

/** The README's fixed ports, each replaced by a free one in the commands (see the header). */
const README_PORTS = [9955, 8091, 8600, 8545] as const;

/** A command with the README's ports swapped for this run's. */
export function localize(command: string, ports: ReadonlyMap<number, number>): string {
  return command.replace(/\b(\d{4})\b/g, (m) => String(ports.get(Number(m)) ?? m));
}

/** What each command must print (besides exiting 0), by a pattern on the command line. */
const EXPECT: Array<[RegExp, RegExp]> = [
  [/^zkinfer compile test\//, /circuit [0-9a-f]{16}|constraints/],
  [/^zkinfer prove /, /proof written to proof\.json/],
  [/^zkinfer verify /, /valid .*bound to your inputs/],
  [/^zkinfer export-verifier /, /Verifier\.sol/],
  [/^zkinfer wallet create /, /hotkey/i],
  [/^zkinfer devnet faucet /, /balance: 5\d\d/],
  [/^zkinfer chain register /, /uid \d+/i],
  [/^zkinfer chain stake add /, /stake/i],
  [/^zkinfer chain metagraph/, /subnet 1 at block \d+: 2 neurons[\s\S]*\syes\s/],
  [/^zkinfer models/, /exit-mlp[\s\S]*staking-lstm|staking-lstm[\s\S]*exit-mlp/],
  [/^zkinfer predict exit-mlp --input \S+ --prove$/, /proven \(INSECURE-DEV, \d+ constraints[\s\S]*proof written to proof\.json/],
  [/^zkinfer train /, /ONNX export check[\s\S]*saved .*model\.onnx/],
  [/^zkinfer competition list/, /staking-duration/],
  [/^zkinfer competition baseline /, /wrote base\/model\.onnx/],
  [/^zkinfer compile base\//, /stage times/],
  [/^zkinfer competition submit /, /committed zkc1:staking-duration:[0-9a-f]{64}/],
  [/^zkinfer query /, /proof verified locally ✓ \(vk hash, pinned circuit, Groth16, your inputs, output\)/],
  [/^zkinfer competition leaderboard /, /staking-duration: 1 submission[\s\S]*\n1\s+0\s.*\sscored\s/],
  [/^zkinfer eth deploy /, /deployment written to/],
  [/^zkinfer eth mint /, /minted 10 wETH[\s\S]*deposited 4\.5 wETH/],
  [/^zkinfer eth points /, /wETH\s+4\.5\s/],
  [/^zkinfer predict exit-mlp .*--recipient /, /proof written to proof\.json/],
  [/^zkinfer eth register-circuit /, /registered circuit [0-9a-f]{64}/],
  [/^zkinfer eth attest /, /decoded \[\[/],
];
/** Commands that keep running: started in the background, ready when the pattern shows. */
const SERVERS: Array<[RegExp, RegExp]> = [
  [/^zkinfer devnet node/, /devnet node on http:\/\/127\.0\.0\.1:\d+/],
  [/^zkinfer miner /, /miner \w+ on 127\.0\.0\.1:\d+/],
  [/^zkinfer validator /, /validator API and dashboard on http:\/\/127\.0\.0\.1:\d+/],
  [/^zkinfer eth node/, /rpc http:\/\/127\.0\.0\.1:\d+/],
];
/** Commands that need a server to have done something first (as a user waits for it): server pattern, then output pattern. */
const AFTER: Array<[RegExp, RegExp, RegExp]> = [
  [/^zkinfer query /, /^zkinfer validator /, /uid \d+ verified/], // the validator has the miner in its metagraph
  [/^zkinfer competition leaderboard /, /^zkinfer validator /, /staking-duration: \d+ submission/], // first evaluation done
];

interface Server { command: string; proc: ChildProcess; out: () => string }

async function until(what: string, ok: () => boolean, server: Server, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    assert.ok(server.proc.exitCode === null && server.proc.signalCode === null, `\`${server.command}\` exited:\n${server.out()}`);
    assert.ok(Date.now() - t0 < ms, `${what} not seen after ${ms / 1000} s:\n${server.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('README quick tour: every block runs verbatim and succeeds', { timeout: 900_000 }, async (t) => {
  const blocks = tourBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(blocks.length >= 3, 'the tour has its zkML, chain, and zoo/network/Ethereum blocks');
  const run = blocks.flat();
  // the test must keep covering what the README says it covers
  for (const c of ['zkinfer compile', 'zkinfer prove', 'zkinfer verify', 'zkinfer export-verifier', 'zkinfer wallet create', 'zkinfer devnet node', 'zkinfer chain register',
    'zkinfer chain metagraph', 'zkinfer models', 'zkinfer predict', 'zkinfer train', 'zkinfer competition submit', 'zkinfer miner', 'zkinfer validator', 'zkinfer query',
    'zkinfer competition leaderboard', 'zkinfer eth node', 'zkinfer eth deploy', 'zkinfer eth attest']) {
    assert.ok(run.some((x) => x.startsWith(c)), `the tour test runs \`${c}\``);
  }
  const ports = new Map<number, number>();
  for (const p of README_PORTS) ports.set(p, await freePort());
  const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-tour-'));
  const home = join(tmp, 'home');
  const cwd = join(tmp, 'work');
  const bin = join(tmp, 'bin');
  const cache = process.env['ZKINFER_CACHE_DIR'] ?? join(ROOT, '.cache', 'zkinfer-test', 'user-cache');
  for (const d of [home, cwd, bin, cache]) mkdirSync(d, { recursive: true });
  symlinkSync(join(ROOT, 'test'), join(cwd, 'test'));
  symlinkSync(join(ROOT, 'models'), join(cwd, 'models'));
  const shim = join(bin, 'zkinfer');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${CLI_NODE_ARGS.map((a) => JSON.stringify(a)).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: home, LANG: 'C.UTF-8', ZKINFER_CACHE_DIR: cache,
    ZKINFER_DEVNET_URL: `http://127.0.0.1:${ports.get(9955)}`, ZKINFER_ETH_RPC: `http://127.0.0.1:${ports.get(8545)}`,
    ...(process.env['ZKINFER_NATIVE_ADDON'] ? { ZKINFER_NATIVE_ADDON: process.env['ZKINFER_NATIVE_ADDON'] } : {}),
  };
  const servers: Server[] = [];
  const started = (re: RegExp): Server => {
    const s = servers.find((x) => re.test(x.command));
    assert.ok(s, `a server matching ${re} runs`);
    return s;
  };
  try {
    for (const readme of run) {
      const command = localize(readme, ports);
      const bare = command.replace(/\s+#.*$/, ''); // without its trailing comment
      for (const [re, server, line] of AFTER) if (re.test(bare)) { const s = started(server); await until(`${line}`, () => line.test(s.out()), s, 180_000); }
      const server = SERVERS.find(([re]) => re.test(command));
      const t0 = Date.now();
      const p = spawn('bash', ['-c', server ? `exec ${command}` : command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      p.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
      if (server) {
        const s: Server = { command, proc: p, out: () => out };
        servers.push(s);
        await until(`\`${command}\` ready line`, () => server[1].test(out), s, 90_000);
      } else {
        const code = await new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
        assert.equal(code, 0, `\`${command}\` exited ${code}:\n${out}`);
        const want = EXPECT.find(([re]) => re.test(bare));
        if (want) assert.match(out, want[1], `\`${command}\` output:\n${out}`);
      }
      t.diagnostic(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${bare}`);
    }
    assert.ok(existsSync(join(cwd, 'Verifier.sol')) && existsSync(join(cwd, 'proof.json')));
    assert.ok(existsSync(join(cache, 'circuits', 'exit-mlp', 'metadata.json')), 'zoo circuits are compiled into the user cache');
    assert.ok(existsSync(join(home, '.local', 'state', 'zkinfer', 'devnet', 'devnet.sqlite')), 'the devnet state is under HOME');
    for (const s of [...servers].reverse()) { // clients before the chains they use
      s.proc.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => {
        if (s.proc.exitCode !== null) resolve(s.proc.exitCode); else s.proc.on('exit', (c) => resolve(c));
        setTimeout(() => resolve(-1), 20_000).unref();
      });
      assert.equal(code, 0, `\`${s.command}\` stops cleanly on SIGTERM:\n${s.out().slice(-2000)}`);
    }
  } finally {
    for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
});
