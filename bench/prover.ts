// npm run bench:prover — native vs snarkjs Groth16 prove time at 2^12, 2^15, 2^17 constraints.
//
// Circuit: N var×var products c[i] = x[i]·x[i+1 mod N] (N just under 2^k, so the FFT domain is 2^k).
// Keys: INSECURE-DEV, from zkinfer's dev setup (known tau; src/zkml/setup), cached under .cache/bench-prover/.
// Witnesses: "full" = random field elements (the worst case), "small" = signed 8-bit values (quantized-model-like;
// negatives as p − |x|). Every measurement runs in its own child process so peak RSS is per prover.
// Options: --sizes 12,15,17   --runs 5 (native)   --snarkjs-runs 3   --no-snarkjs
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { loadNativeProver } from '../src/zkml/prove/native/index.js';
import { packageRoot } from '../src/zkml/prove/native/addon.js';
import { readR1csHeader } from '../src/zkml/setup/r1cs-header.js';
import { setupCircuit } from '../src/zkml/setup/index.js';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const ROOT = packageRoot();
const CACHE = join(ROOT, '.cache', 'bench-prover');

interface WorkerResult { ms: number[]; maxRssMB: number; timings?: Record<string, number>; publicSignals: number }

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

/** Child process: prove `runs` times with one backend and report wall times and peak RSS. */
async function worker(): Promise<void> {
  const backend = arg('worker', 'native');
  const zkey = arg('zkey', '');
  const wtns = new Uint8Array(readFileSync(arg('wtns', '')));
  const runs = Number(arg('runs', '3'));
  const ms: number[] = [];
  let timings: Record<string, number> | undefined;
  let publicSignals = 0;
  if (backend === 'native') {
    const prover = loadNativeProver();
    if (!prover) throw new Error('native addon not built: run npm run build:native');
    await prover.load(zkey); // load once, outside the timed runs (as a miner keeps keys loaded)
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await prover.proveWithTimings(zkey, wtns);
      ms.push(performance.now() - t);
      timings = res.timings as unknown as Record<string, number>;
      publicSignals = res.publicSignals.length;
    }
    await prover.close();
  } else {
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await snarkjs.groth16.prove(zkey, wtns);
      ms.push(performance.now() - t);
      publicSignals = res.publicSignals.length;
    }
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
  }
  const out: WorkerResult = { ms, maxRssMB: process.resourceUsage().maxRSS / 1024, timings, publicSignals };
  console.log('RESULT ' + JSON.stringify(out));
}

function runWorker(backend: string, zkey: string, wtns: string, runs: number, env: Record<string, string> = {}): WorkerResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--worker', backend, '--zkey', zkey, '--wtns', wtns, '--runs', String(runs)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${backend} worker failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(7)) as WorkerResult;
}

/** Compile the products circuit for domain 2^k and set it up (cached). */
async function artifacts(k: number): Promise<{ dir: string; zkey: string; constraints: number; n: number }> {
  const n = 2 ** k - 8;
  const dir = join(CACHE, `k${k}`);
  mkdirSync(dir, { recursive: true });
  const r1cs = join(dir, 'products.r1cs');
  if (!existsSync(r1cs)) {
    writeFileSync(join(dir, 'products.circom'), `pragma circom 2.0.0;
template Products(N) {
  signal input x[N];
  signal output out;
  signal c[N];
  var acc = 0;
  for (var i = 0; i < N; i++) {
    c[i] <== x[i] * x[(i + 1) % N];
    acc += c[i];
  }
  out <== acc;
}
component main = Products(${n});
`);
    const cli = createRequire(join(ROOT, 'package.json')).resolve('circom2/cli.js');
    console.error(`[bench] compiling 2^${k} circuit…`);
    execFileSync(process.execPath, [cli, 'products.circom', '--r1cs', '--wasm', '-o', dir], { cwd: dir, stdio: 'pipe' });
  }
  const zkey = join(dir, 'circuit.zkey');
  if (!existsSync(zkey)) {
    console.error(`[bench] INSECURE-DEV setup for 2^${k}…`);
    await setupCircuit({ r1csPath: r1cs, wasmPath: join(dir, 'products_js', 'products.wasm'), outDir: dir, cacheDir: join(CACHE, 'setup') });
  }
  const header = await readR1csHeader(r1cs);
  return { dir, zkey, constraints: header.nConstraints, n };
}

async function witnessFile(dir: string, n: number, kind: 'full' | 'small'): Promise<string> {
  const path = join(dir, `${kind}.wtns`);
  if (existsSync(path)) return path;
  const x = Array.from({ length: n }, () => {
    if (kind === 'full') return (BigInt('0x' + randomBytes(32).toString('hex')) % R).toString();
    const v = BigInt(randomBytes(1)[0]! - 128);
    return ((v + R) % R).toString();
  });
  await snarkjs.wtns.calculate({ x }, join(dir, 'products_js', 'products.wasm'), path);
  return path;
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) return worker();
  const sizes = arg('sizes', '12,15,17').split(',').map(Number);
  const runs = Number(arg('runs', '5'));
  const sRuns = Number(arg('snarkjs-runs', '3'));
  const withSnarkjs = !process.argv.includes('--no-snarkjs');
  const probe = loadNativeProver();
  if (!probe) throw new Error('native addon not built: run `npm run build:native` first');
  console.error(`[bench] native threads: ${probe.threads}; runs: native ${runs}, snarkjs ${sRuns}`);

  const rows: string[][] = [];
  for (const k of sizes) {
    const a = await artifacts(k);
    const full = await witnessFile(a.dir, a.n, 'full');
    const small = await witnessFile(a.dir, a.n, 'small');
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
    console.error(`[bench] 2^${k}: ${a.constraints} constraints — proving…`);
    const nFull = runWorker('native', a.zkey, full, runs);
    const nSmall = runWorker('native', a.zkey, small, runs);
    const nSmallOff = runWorker('native', a.zkey, small, runs, { ZKINFER_NATIVE_SMALL_SCALARS: '0' });
    const sj = withSnarkjs ? runWorker('snarkjs', a.zkey, full, sRuns) : undefined;
    const t = nFull.timings!;
    const msmMs = t.msmAMs! + t.msmB1Ms! + t.msmB2Ms! + t.msmCMs! + t.msmHMs!;
    const nMed = median(nFull.ms), sMed = sj ? median(sj.ms) : NaN;
    rows.push([
      `2^${k}`,
      String(a.constraints),
      sj ? sMed.toFixed(0) : '-',
      nMed.toFixed(0),
      sj ? (sMed / nMed).toFixed(1) + '×' : '-',
      Math.round(a.constraints / (nMed / 1000)).toLocaleString('en-US'),
      ((msmMs * 1e6) / t.msmPoints! / 1000).toFixed(2),
      `${median(nSmall.ms).toFixed(0)} / ${median(nSmallOff.ms).toFixed(0)}`,
      (median(nSmallOff.ms) / median(nSmall.ms)).toFixed(2) + '×',
      sj ? sj.maxRssMB.toFixed(0) : '-',
      nFull.maxRssMB.toFixed(0),
    ]);
    console.error(`[bench] 2^${k} native phases (ms, last full run): ${JSON.stringify(t)}`);
  }
  const head = ['size', 'constraints', 'snarkjs ms', 'native ms', 'speed-up', 'native constr/s', 'MSM µs/point', 'small wtns ms (on/off)', 'small-scalar gain', 'snarkjs peak RSS MB', 'native peak RSS MB'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padStart(widths[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log(`\nmedians of ${runs} native / ${sRuns} snarkjs runs, same machine, same run; "full" witness = random field elements.`);
  console.log('small-scalar gain: native on signed 8-bit witnesses with the small-scalar path on vs off (ZKINFER_NATIVE_SMALL_SCALARS=0).');
}

await main();
