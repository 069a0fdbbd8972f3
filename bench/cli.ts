// npm run bench:cli — CLI start-up and whole-process overhead (docs/network.md, "CLI start-up"), all measured
// in the same run: `node -e 0` vs `zkinfer --version` / `--help` (median wall time of --runs each), and a
// whole-process `zkinfer prove` of a circuit vs the same prove() in a warm process: the CLI's own path (one
// InThreadProver, kept warm across runs) on the same files, each run loading (hash-checking) the artifacts as the CLI does.
// The whole-process `zkinfer prove` is the native one-shot program where it proves (native/src/cli_prove.cpp, round
// 21; the bench says when it fell back to Node and why), beside the same command in Node (ZKINFER_NATIVE_CLI=0).
// `zkinfer` runs as a user's shell runs it: bin/zkinfer.js executed, so through its sh launcher (POSIX only). Also
// two other commands from the CLI bundle against the compiled modules.
// Options: --runs 7   --circuit staking-lstm (a compiled circuit name or folder; zoo models are compiled
// into the user cache on first use, which takes minutes once)   --prover native|snarkjs|auto (default auto)
// Needs the build (npm run build): it runs bin/zkinfer.js as a user does.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleFor, bundleFresh } from '../src/cli/bundle.js';
import { resolveCircuitDir } from '../src/circuit-ref.js';
import { compileZooModel } from '../src/models/compiled.js';
import { getZooModel, zooModelNames } from '../src/models/zoo.js';
import { InThreadProver, prove, releaseSnarkjsCurve, type ProverKind } from '../src/zkml/prove/index.js';

const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const runs = Number(arg('runs', '7'));
const circuit = arg('circuit', 'staking-lstm');
const prover = arg('prover', 'auto') as ProverKind;
const BIN = fileURLToPath(new URL('../bin/zkinfer.js', import.meta.url));

// Node reads the certificates named by NODE_EXTRA_CA_CERTS at every start, before any script runs (≈ 40 ms on the
// bench machine, whose environment sets it to the system bundle); the launcher starts Node without it for the
// commands that open no TLS connection (bin/zkinfer.js). When it is set, `node -e 0` is also timed without it, and the
// whole-process prove also as `node bin/zkinfer.js prove` (no launcher: Node reads them), interleaved in the same runs.
const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';
const extraCa = process.env[EXTRA_CA];
const withoutExtraCa = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => { const e = { ...env }; delete e[EXTRA_CA]; return e; };

// Children are started by a small helper process, not by this one: Node's spawn forks, and on the bench VM forking
// this ≈ 200 MB process (snarkjs, the warm prover, its key mapped) costs up to ≈ 8 ms more than forking a 46 MB one
// (docs/network.md, round 17). A user's shell is small too. The helper (a bare `node -e`) reads one JSON request per
// line, times the child from just before its spawn to its exit, and answers one JSON line.
const TIMER = `const { spawnSync } = require('node:child_process');
require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
  const { file, args, env } = JSON.parse(l);
  const t0 = performance.now();
  const r = spawnSync(file, args, { encoding: 'utf8', env });
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, status: r.status, stderr: r.stderr }) + '\\n');
});`;
const timer = spawn(process.execPath, ['-e', TIMER], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers = createInterface({ input: timer.stdout })[Symbol.asyncIterator]();

/**
 * Median wall time (ms) of a child process `file args…` (process.execPath: `node`; BIN: `zkinfer` as a shell runs it,
 * the file executed), checked to succeed; `env` is added to this process's environment.
 */
async function timeChild(file: string, args: string[], n = runs, env: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env, status = 0): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    timer.stdin.write(`${JSON.stringify({ file, args, env: { ...base, ...env } })}\n`);
    const next = await answers.next();
    if (next.done) throw new Error('the bench\'s timing helper exited');
    const r = JSON.parse(next.value) as { ms: number; status: number | null; stderr: string };
    if (r.status !== status) throw new Error(`${file} ${args.join(' ')} exited ${r.status}, not ${status}: ${r.stderr}`);
    ms.push(r.ms);
  }
  return median(ms);
}

const NODE = process.execPath;
const base = await timeChild(NODE, ['-e', '0']);
const version = await timeChild(BIN, ['--version']);
const help = await timeChild(BIN, ['--help']);
console.log(`start-up (median of ${runs}): node -e 0 ${base.toFixed(0)} ms | zkinfer --version ${version.toFixed(0)} ms (${(version / base).toFixed(2)}×) | zkinfer --help ${help.toFixed(0)} ms (${(help / base).toFixed(2)}×)`);
if (extraCa !== undefined) {
  // the launcher starts --version and --help without the variable: their ratio against a Node start without it too
  const bare = await timeChild(NODE, ['-e', '0'], runs, {}, withoutExtraCa(process.env));
  console.log(`${EXTRA_CA} is set (${extraCa}): node -e 0 without it ${bare.toFixed(0)} ms (--version ${(version / bare).toFixed(2)}×, --help ${(help / bare).toFixed(2)}× that)`);
}

// every command but prove runs from the CLI bundle, `eth` from the eth bundle (bin/zkinfer.js): two offline ones (the
// second loads @polkadot to read the wallets' addresses) and an eth command that loads viem and then fails at once on
// a closed port (exit 2), against the compiled modules (ZKINFER_NO_BUNDLE=1), interleaved
const wallets = mkdtempSync(join(tmpdir(), 'zkinfer-bench-wallets-'));
try {
  const created = spawnSync(BIN, ['wallet', 'create', '--name', 'bench', '--hotkey', 'h', '--no-password', '--path', wallets], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`zkinfer wallet create failed (${created.status}): ${created.stderr}`);
  const deployment = join(wallets, 'deployment.json');
  writeFileSync(deployment, '{}');
  const commands: Array<[string[], number]> = [
    [['models', '--json'], 0],
    [['wallet', 'list', '--path', wallets], 0],
    [['eth', 'points', '--rpc', 'http://127.0.0.1:9', '--deployment', deployment, '--dev-account', '0'], 2],
  ];
  for (const [args, status] of commands) {
    const bundle: number[] = [], modules: number[] = [];
    for (let i = 0; i < runs; i++) {
      bundle.push(await timeChild(BIN, args, 1, {}, process.env, status));
      modules.push(await timeChild(BIN, args, 1, { ZKINFER_NO_BUNDLE: '1' }, process.env, status));
    }
    const b = median(bundle), m = median(modules), name = bundleFor(args[0]);
    console.log(`zkinfer ${args.slice(0, 2).join(' ')} (median of ${runs}, interleaved${bundleFresh(name) ? '' : `; no ${name} bundle newer than dist/: run \`npm run build\``}): ${name} bundle ${b.toFixed(0)} ms | compiled modules ${m.toFixed(0)} ms (${(m / b).toFixed(2)}× the bundle)`);
  }
} finally {
  rmSync(wallets, { recursive: true, force: true });
}

let dir: string;
let input: unknown;
if (zooModelNames().includes(circuit)) {
  process.stderr.write(`compiling ${circuit} into the user cache if needed…\n`);
  dir = (await compileZooModel(circuit)).dir;
  input = { input_data: [getZooModel(circuit).sampleInput(7)] };
} else {
  dir = resolveCircuitDir(circuit);
  input = JSON.parse(arg('input-json', 'null')) as unknown;
  if (input === null) throw new Error('--input-json \'{"input_data": [[...]]}\' is needed for a circuit that is not a zoo model');
}
const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-bench-cli-'));
try {
  const inputFile = join(tmp, 'in.json');
  writeFileSync(inputFile, JSON.stringify(input));
  // interleaved (one in-process prove, then one whole-process `zkinfer prove`, per run) so that both see the same
  // machine load; the ratio reported is the median of the per-run ratios
  const args = ['prove', dir, '--input', inputFile, '--out', join(tmp, 'proof.json'), '--prover', prover];
  // the CLI's prover (src/cli/prove.ts), warm: its witness program and key stay loaded between runs
  const pool = new InThreadProver(prover);
  let backend = (await prove(dir, input, { pool })).prover ?? prover; // warms the prover and the caches
  // `zkinfer prove` runs the one-file bundle when `npm run build` made it after the last tsc (bin/zkinfer.js); the
  // same command with ZKINFER_NO_BUNDLE=1 runs the compiled modules, measured in the same runs
  const bundled = bundleFresh('prove');
  if (!bundled) process.stderr.write('note: no prove bundle newer than dist/ (run `npm run build`): the Node rows run the compiled modules\n');
  // the first `zkinfer prove` of a circuit runs in Node and writes the native program's plan (src/zkml/prove/native/plan.ts)
  await timeChild(BIN, args, 1);
  const NODE_PATH = { ZKINFER_NATIVE_CLI: '0' };
  const traced = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ZKINFER_NATIVE_CLI_TRACE: '1' } });
  const how = /zkinfer: native prove: (.*)/.exec(traced.stderr)?.[1] ?? 'the launcher started Node (no native program built)';
  const native = how === 'proved without Node';
  const inProcess: number[] = [], whole: number[] = [], inNode: number[] = [], unbundled: number[] = [], viaNode: number[] = [];
  const ratios: number[] = [], ratiosInNode: number[] = [], ratiosUnbundled: number[] = [], ratiosViaNode: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const f = await prove(dir, input, { pool });
    inProcess.push(performance.now() - t0);
    backend = f.prover ?? prover;
    whole.push(await timeChild(BIN, args, 1));
    inNode.push(await timeChild(BIN, args, 1, NODE_PATH));
    unbundled.push(await timeChild(BIN, args, 1, { ...NODE_PATH, ZKINFER_NO_BUNDLE: '1' }));
    ratios.push(whole[i]! / inProcess[i]!);
    ratiosInNode.push(inNode[i]! / inProcess[i]!);
    ratiosUnbundled.push(unbundled[i]! / inProcess[i]!);
    if (extraCa !== undefined) {
      viaNode.push(await timeChild(NODE, [BIN, ...args], 1, NODE_PATH));
      ratiosViaNode.push(viaNode[i]! / inProcess[i]!);
    }
  }
  await pool.close();
  await releaseSnarkjsCurve();
  console.log(`prove ${circuit} (${backend}, median of ${runs}, interleaved): in-process ${median(inProcess).toFixed(0)} ms | whole-process \`zkinfer prove\` ${median(whole).toFixed(0)} ms (${median(ratios).toFixed(2)}×, median of per-run ratios; ${native ? 'the native program' : `in Node: ${how}`}) | in Node (ZKINFER_NATIVE_CLI=0) ${median(inNode).toFixed(0)} ms (${median(ratiosInNode).toFixed(2)}×${bundled ? ', bundle' : ''}) | unbundled (ZKINFER_NO_BUNDLE=1) ${median(unbundled).toFixed(0)} ms (${median(ratiosUnbundled).toFixed(2)}×)${extraCa !== undefined ? ` | \`node bin/zkinfer.js prove\` (no launcher: Node reads ${EXTRA_CA}) ${median(viaNode).toFixed(0)} ms (${median(ratiosViaNode).toFixed(2)}×)` : ''}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
  timer.stdin.end(); // the helper exits when its input ends
}
