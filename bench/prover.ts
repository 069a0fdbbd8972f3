// npm run bench:prover — native vs snarkjs Groth16 prove time at 2^12, 2^15, 2^17 constraints.
//
// Circuit: N var×var products c[i] = x[i]·x[i+1 mod N] (N just under 2^k, so the FFT domain is 2^k).
// Keys: INSECURE-DEV, from zkinfer's dev setup (known tau; src/zkml/setup), cached under .cache/bench-prover/.
// Sizes: 2^k is the FFT domain; the circuit has 2^k − 7 constraints.
// Witnesses: "full" = random field elements (the worst case), "small" = signed 8-bit values (quantized-model-like;
// negatives as p − |x|). Every measurement runs in its own child process so peak RSS is per prover.
// Options: --sizes 12,15,17   --runs 5 (native rounds)   --snarkjs-runs 3   --warmup 1   --no-snarkjs   --no-lstm
//          --no-endo-ab (skip the extra native run with the endomorphism split on, ZKINFER_NATIVE_ENDO=1; off is
//          the default since #15's MSM round)
//          --precompute t (native fixed-base factor, default 1)   --batch k (also time one proveBatch of k
//          copies of the full witness: ms per proof, default 4; 1 skips it)
//          --rss-runs 3 (rounds of the user-facing memory measurement: a bare `node` that loads only the addon, the
//          key and the witness and proves once — bench/prove-rss-child.mjs — and rapidsnark sampled the same way)
// RAPIDSNARK=/path/to/prover (iden3/rapidsnark's standalone `prover`, built as docs/native-prover.md says): also
// runs it on the same .zkey/.wtns files in every round, alternating with the others (its own process per proof:
// its wall time includes its key load; peak RSS from /usr/bin/time).
// Also the compiled staking LSTM (.cache/circuits/staking-lstm, from the model pipeline) when present.
import { userCacheDir } from '../src/paths.js';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { z } from 'zod';
import { loadNativeProver } from '../src/zkml/prove/native/index.js';
import { addonPath, ONE_SHOT_KEY_OPTIONS, packageRoot } from '../src/zkml/prove/native/addon.js';
import { releaseSnarkjsCurve } from '../src/zkml/prove/curve.js';
import { BinWriter, bigIntLE, u32le } from '../src/zkml/setup/binwriter.js';
import { getDevPtau } from '../src/zkml/setup/dev-ptau.js';
import { writeDirectZkey } from '../src/zkml/setup/direct-zkey.js';
import { readR1csHeader, requiredPower } from '../src/zkml/setup/r1cs-header.js';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const ROOT = packageRoot();
const CACHE = join(ROOT, '.cache', 'bench-prover');

interface WorkerResult { ms: number[]; maxRssMB: number; baseRssMB?: number; timings?: Record<string, number>; publicSignals: number; verified?: boolean; loadMs?: number; cacheHit?: boolean; batchMsPerProof?: number }

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
  const warmup = Number(arg('warmup', '1'));
  const ms: number[] = [];
  let timings: Record<string, number> | undefined;
  let publicSignals = 0;
  let verified: boolean | undefined;
  let loadMs: number | undefined;
  let cacheHit: boolean | undefined;
  let batchMsPerProof: number | undefined;
  let proveRssMB: number | undefined;
  let baseRssMB: number | undefined;
  if (backend === 'native') {
    const prover = loadNativeProver();
    baseRssMB = process.memoryUsage().rss / 2 ** 20; // Node + addon, before the key is mapped
    if (!prover) throw new Error('native addon not built: run npm run build:native');
    const info = await prover.load(zkey); // load once, outside the timed runs (as a miner keeps keys loaded)
    loadMs = info.loadMs;
    cacheHit = info.cacheHit;
    for (let i = 0; i < warmup; i++) await prover.prove(zkey, wtns);
    let last;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      last = await prover.proveWithTimings(zkey, wtns);
      ms.push(performance.now() - t);
      timings = last.timings as unknown as Record<string, number>;
      publicSignals = last.publicSignals.length;
    }
    // the single proofs' peak, before the batch (concurrent proofs) and before snarkjs verifies (its wasm curve)
    proveRssMB = process.resourceUsage().maxRSS / 1024;
    const batch = Number(arg('batch', '1'));
    let batchProofs: Awaited<ReturnType<typeof prover.proveBatch>> = [];
    if (batch > 1) {
      const t = performance.now();
      batchProofs = await prover.proveBatch(zkey, Array.from({ length: batch }, () => wtns));
      batchMsPerProof = (performance.now() - t) / batch;
    }
    await prover.close();
    // check the last proof (and every batch proof) with snarkjs (outside the timings)
    const vk = JSON.parse(readFileSync(join(dirname(zkey), 'vk.json'), 'utf8')) as unknown;
    verified = await snarkjs.groth16.verify(vk, last!.publicSignals, last!.proof);
    for (const b of batchProofs) verified = verified && b.ok && (await snarkjs.groth16.verify(vk, b.result.publicSignals, b.result.proof));
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
  } else {
    await snarkjs.curves.getCurveFromName('bn128'); // one-time wasm/worker start-up, outside the timed runs
    for (let i = 0; i < warmup; i++) await snarkjs.groth16.prove(zkey, wtns);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await snarkjs.groth16.prove(zkey, wtns);
      ms.push(performance.now() - t);
      publicSignals = res.publicSignals.length;
    }
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128?.terminate();
  }
  const out: WorkerResult = { ms, maxRssMB: proveRssMB ?? process.resourceUsage().maxRSS / 1024, baseRssMB, timings, publicSignals, verified, loadMs, cacheHit, batchMsPerProof };
  console.log('RESULT ' + JSON.stringify(out));
}

/** What bench/prove-rss-child.mjs reports (MB): VmHWM, the largest VmRSS sample and its anonymous / file split. */
const RssReport = z.object({
  peakMB: z.number(),
  sampledPeakMB: z.number(),
  anonAtPeakMB: z.number(),
  fileAtPeakMB: z.number(),
  maxAnonMB: z.number(),
  maxFileMB: z.number(),
  samples: z.number(),
  ms: z.number(),
  beforeKeyMB: z.number().optional(),
  cacheHit: z.boolean().optional(),
  releasedBytes: z.number().optional(),
  proof: z.unknown().optional(),
  publicSignals: z.array(z.string()).optional(),
});
type RssReport = z.infer<typeof RssReport>;
const RSS_CHILD = join(dirname(fileURLToPath(import.meta.url)), 'prove-rss-child.mjs');

/** Runs bench/prove-rss-child.mjs under a bare `node` (no tsx, no snarkjs) and parses its report. */
function runRssChild(args: string[], env: Record<string, string> = {}): RssReport {
  const r = spawnSync(process.execPath, [RSS_CHILD, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`RSS child (${args[0]}) failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return RssReport.parse(JSON.parse(line.slice(7)));
}

/**
 * One native proof in a fresh process that holds only Node, the addon, the key and the witness (as a user's
 * `zkinfer prove` does), its proof checked here with snarkjs; and rapidsnark on the same files, sampled the same way.
 */
async function rssPair(c: Case, rapid: string | undefined): Promise<{ native: RssReport; rapid?: RssReport }> {
  const native = runRssChild(['native', addonPath(), c.zkey, c.full, JSON.stringify(ONE_SHOT_KEY_OPTIONS)], nativeEnv());
  const vk = JSON.parse(readFileSync(join(dirname(c.zkey), 'vk.json'), 'utf8')) as unknown;
  if (!(await snarkjs.groth16.verify(vk, native.publicSignals!, native.proof))) {
    throw new Error(`the RSS child's native proof for ${c.label} does NOT verify`);
  }
  if (!rapid) return { native };
  const out = join(tmpdir(), `zkinfer-bench-rapidsnark-rss-${process.pid}`);
  return { native, rapid: runRssChild(['exec', '/usr/bin/time', '-f', 'MAXRSS %M', rapid, c.zkey, c.full, `${out}.proof.json`, `${out}.public.json`]) };
}

/** One proof by the rapidsnark binary in its own process; wall time around the process, peak RSS from GNU time. */
function runRapidsnark(bin: string, zkey: string, wtns: string): WorkerResult {
  const out = join(tmpdir(), `zkinfer-bench-rapidsnark-${process.pid}`);
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', bin, zkey, wtns, `${out}.proof.json`, `${out}.public.json`], { encoding: 'utf8' });
  const ms = performance.now() - t;
  const rss = /MAXRSS (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !rss) throw new Error(`rapidsnark failed (${r.status}): ${(r.stderr ?? '').slice(-1000)}`);
  return { ms: [ms], maxRssMB: Number(rss[1]) / 1024, publicSignals: (JSON.parse(readFileSync(`${out}.public.json`, 'utf8')) as string[]).length };
}

function nativeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ZKINFER_NATIVE_PRECOMPUTE: arg('precompute', '1'), ...extra };
}

function runWorker(backend: string, zkey: string, wtns: string, runs: number, env: Record<string, string> = {}, batch = 1): WorkerResult {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--worker', backend, '--zkey', zkey, '--wtns', wtns, '--runs', String(runs), '--warmup', arg('warmup', '1'), '--batch', String(batch)];
  const r = spawnSync(process.execPath, [...process.execArgv, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${backend} worker failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(7)) as WorkerResult;
}

/**
 * The products circuit for domain 2^k, written directly as .r1cs (circom is far too slow to compile 2^17
 * constraints here): wires 0 = one, 1 = out (public), 2..N+1 = x (private), N+2..2N+1 = c;
 * constraints c[i] = x[i]·x[i+1 mod N], then out = Σ c (one linear constraint). Keys: INSECURE-DEV dev ptau and
 * direct zkey from src/zkml/setup (known toxic waste, no phase-2 contribution — proving cost is the same).
 */
async function artifacts(k: number): Promise<{ dir: string; zkey: string; constraints: number; n: number }> {
  const n = 2 ** k - 8;
  const dir = join(CACHE, `k${k}`);
  mkdirSync(dir, { recursive: true });
  const r1cs = join(dir, 'products.r1cs');
  if (!existsSync(r1cs)) {
    console.error(`[bench] writing 2^${k} r1cs…`);
    const term = (wire: number, coef: bigint) => [u32le(wire), bigIntLE(coef, 32)];
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(u32le(1), ...term(2 + i, 1n), u32le(1), ...term(2 + ((i + 1) % n), 1n), u32le(1), ...term(n + 2 + i, 1n));
    }
    parts.push(u32le(0), u32le(0), u32le(n + 1), ...term(1, 1n));
    for (let i = 0; i < n; i++) parts.push(...term(n + 2 + i, R - 1n));
    const nWires = 2 * n + 2;
    const header = [u32le(32), bigIntLE(R, 32), u32le(nWires, 1, 0, n), bigIntLE(BigInt(nWires), 8), u32le(n + 1)];
    const labels = new Uint8Array(8 * nWires);
    const dv = new DataView(labels.buffer);
    for (let i = 0; i < nWires; i++) dv.setBigUint64(8 * i, BigInt(i), true);
    const w = await BinWriter.create(r1cs + '.tmp', 'r1cs', 1, 3);
    await w.section(1, header);
    await w.section(2, parts);
    await w.section(3, [labels]);
    await w.close();
    renameSync(r1cs + '.tmp', r1cs);
  }
  const zkey = join(dir, 'circuit.zkey');
  if (!existsSync(zkey)) {
    const header = await readR1csHeader(r1cs);
    const power = requiredPower(header);
    console.error(`[bench] INSECURE-DEV setup for 2^${k} (dev ptau power ${power}, direct zkey)…`);
    const dev = await getDevPtau(power, { cacheDir: join(CACHE, 'setup') });
    await writeDirectZkey({ r1csPath: r1cs, zkeyPath: zkey + '.tmp', toxic: dev.toxic, ptauPower: dev.power });
    const vk = await snarkjs.zKey.exportVerificationKey(zkey + '.tmp');
    writeFileSync(join(dir, 'vk.json'), JSON.stringify(vk));
    renameSync(zkey + '.tmp', zkey);
  }
  return { dir, zkey, constraints: n + 1, n };
}

/** A .wtns for the products circuit: x random field elements ("full") or signed 8-bit values ("small"). */
async function witnessFile(dir: string, n: number, kind: 'full' | 'small'): Promise<string> {
  const path = join(dir, `${kind}.wtns`);
  if (existsSync(path)) return path;
  const x = Array.from({ length: n }, () => {
    if (kind === 'full') return BigInt('0x' + randomBytes(32).toString('hex')) % R;
    return (BigInt(randomBytes(1)[0]! - 128) + R) % R;
  });
  const c = x.map((v, i) => (v * x[(i + 1) % n]!) % R);
  const out = c.reduce((a, b) => (a + b) % R, 0n);
  const values = [1n, out, ...x, ...c];
  const data = new Uint8Array(32 * values.length);
  values.forEach((v, i) => data.set(bigIntLE(v, 32), 32 * i));
  const w = await BinWriter.create(path + '.tmp', 'wtns', 2, 2);
  await w.section(1, [u32le(32), bigIntLE(R, 32), u32le(values.length)]);
  await w.section(2, [data]);
  await w.close();
  renameSync(path + '.tmp', path);
  return path;
}

interface Case { label: string; constraints: number; zkey: string; full: string; small?: string }

/** Rounds alternate the provers (one timed proof per process each), so load drift hits both alike. */
async function measure(c: Case, rounds: number, sRounds: number, withSnarkjs: boolean, rapid: string | undefined, endoAB: boolean, rssRounds: number): Promise<string[]> {
  const nFull: WorkerResult[] = [], nSmall: WorkerResult[] = [], nSmallOff: WorkerResult[] = [], nEndoOn: WorkerResult[] = [], sj: WorkerResult[] = [];
  const rFull: WorkerResult[] = [], rSmall: WorkerResult[] = [];
  const rss: Array<{ native: RssReport; rapid?: RssReport }> = [];
  for (let r = 0; r < Math.max(rounds, withSnarkjs ? sRounds : 0, rssRounds); r++) {
    if (r < rssRounds) rss.push(await rssPair(c, rapid));
    if (r < rounds) nFull.push(runWorker('native', c.zkey, c.full, 1, nativeEnv(), Number(arg('batch', '4'))));
    if (rapid && r < rounds) rFull.push(runRapidsnark(rapid, c.zkey, c.full));
    if (endoAB && r < rounds) nEndoOn.push(runWorker('native', c.zkey, c.full, 1, nativeEnv({ ZKINFER_NATIVE_ENDO: '1' })));
    if (withSnarkjs && r < sRounds) sj.push(runWorker('snarkjs', c.zkey, c.full, 1));
    if (c.small && r < rounds) {
      nSmall.push(runWorker('native', c.zkey, c.small, 1, nativeEnv()));
      if (rapid) rSmall.push(runRapidsnark(rapid, c.zkey, c.small));
      nSmallOff.push(runWorker('native', c.zkey, c.small, 1, nativeEnv({ ZKINFER_NATIVE_SMALL_SCALARS: '0' })));
    }
  }
  for (const r of [...nFull, ...nSmall, ...nSmallOff, ...nEndoOn]) {
    if (r.verified !== true) throw new Error(`a native proof for ${c.label} does NOT verify`);
  }
  const ms = (rs: WorkerResult[]) => median(rs.flatMap((r) => r.ms));
  const t = nFull[nFull.length - 1]!.timings!;
  const msmMs = t.msmAMs! + t.msmB1Ms! + t.msmB2Ms! + t.msmCMs! + t.msmHMs!;
  const nMed = ms(nFull), sMed = sj.length ? ms(sj) : NaN;
  console.error(`[bench] ${c.label} native phases (ms, last run): ${JSON.stringify(t)}`);
  return [
    c.label,
    String(c.constraints),
    sj.length ? sMed.toFixed(0) : '-',
    nMed.toFixed(0),
    sj.length ? (sMed / nMed).toFixed(1) + '×' : '-',
    Math.round(c.constraints / (nMed / 1000)).toLocaleString('en-US'),
    ((msmMs * 1e6) / t.msmPoints! / 1000).toFixed(2),
    c.small ? `${ms(nSmall).toFixed(0)} / ${ms(nSmallOff).toFixed(0)}` : '-',
    c.small ? (ms(nSmallOff) / ms(nSmall)).toFixed(2) + '×' : '-',
    sj.length ? Math.max(...sj.map((r) => r.maxRssMB)).toFixed(0) : '-',
    `${Math.max(...nFull.map((r) => r.maxRssMB)).toFixed(0)} (${median(nFull.map((r) => r.baseRssMB!)).toFixed(0)})`,
    rssCell(rss.map((x) => x.native), true),
    (() => { const b = nFull.filter((r) => r.batchMsPerProof !== undefined).map((r) => r.batchMsPerProof!); return b.length ? `${median(b).toFixed(0)} (${(nMed / median(b)).toFixed(2)}×)` : '-'; })(),
    // key load with the sidecar (every round after the first): the part a CLI prover pays per proof
    (() => { const hits = [...nFull, ...nSmall].filter((r) => r.cacheHit).map((r) => r.loadMs!); return hits.length ? median(hits).toFixed(1) : '-'; })(),
    ...(rapid
      ? [
          ms(rFull).toFixed(0),
          (ms(rFull) / nMed).toFixed(2) + '×',
          c.small ? `${ms(rSmall).toFixed(0)} (${(ms(rSmall) / ms(nSmall)).toFixed(2)}×)` : '-',
          Math.max(...rFull.map((r) => r.maxRssMB)).toFixed(0),
          rssCell(rss.map((x) => x.rapid!), false),
        ]
      : []),
    ...(endoAB ? [`${ms(nEndoOn).toFixed(0)} (${(ms(nEndoOn) / nMed).toFixed(2)}×)`] : []),
  ];
}

/** "before key → peak (anon / file at peak)" in MB, medians over the RSS rounds ("-" when there were none). */
function rssCell(rs: RssReport[], withBefore: boolean): string {
  if (!rs.length) return '-';
  const m = (f: (r: RssReport) => number) => median(rs.map(f)).toFixed(0);
  return `${withBefore ? m((r) => r.beforeKeyMB!) + ' → ' : ''}${m((r) => r.peakMB)} (${m((r) => r.anonAtPeakMB)} / ${m((r) => r.fileAtPeakMB)})`;
}

/** The compiled staking LSTM (src/models zoo, compiled by `zkinfer`'s model pipeline), when present. */
async function lstmCase(): Promise<Case | undefined> {
  const dir = userCacheDir('circuits', 'staking-lstm');
  const zkey = join(dir, 'circuit.zkey');
  if (!existsSync(zkey) || !existsSync(join(dir, 'vk.json')) || !existsSync(join(dir, 'witness.wasm'))) return undefined;
  const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as {
    constraints: number;
    inputs: Array<{ signal: string; shape: number[]; scaleBits: number }>;
  };
  const input: Record<string, string[]> = {};
  for (const inp of meta.inputs) {
    const len = inp.shape.reduce((a, b) => a * b, 1);
    // a plausible normalised position: values in [−1, 1] at the input's fixed-point scale
    input[inp.signal] = Array.from({ length: len }, () => {
      const v = BigInt(Math.round((Math.random() * 2 - 1) * 2 ** inp.scaleBits));
      return ((v + R) % R).toString();
    });
  }
  const full = join(CACHE, 'staking-lstm.wtns');
  await snarkjs.wtns.calculate(input, join(dir, 'witness.wasm'), full);
  return { label: 'staking LSTM', constraints: meta.constraints, zkey, full };
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) return worker();
  const sizes = arg('sizes', '12,15,17').split(',').filter(Boolean).map(Number);
  const runs = Number(arg('runs', '5'));
  const sRuns = Number(arg('snarkjs-runs', '3'));
  const rssRuns = Number(arg('rss-runs', '3'));
  const withSnarkjs = !process.argv.includes('--no-snarkjs');
  const endoAB = !process.argv.includes('--no-endo-ab');
  const probe = loadNativeProver();
  if (!probe) throw new Error('native addon not built: run `npm run build:native` first');
  const rapid = process.env.RAPIDSNARK;
  if (rapid && !existsSync(rapid)) throw new Error(`RAPIDSNARK=${rapid}: no such file (build it as docs/native-prover.md says)`);
  if (rapid && !existsSync('/usr/bin/time')) throw new Error('RAPIDSNARK needs GNU time (/usr/bin/time, Debian package "time") for its peak RSS');
  console.error(`[bench] native threads: ${probe.threads}; rounds: native ${runs}, snarkjs ${sRuns}`);

  const cases: Case[] = [];
  for (const k of sizes) {
    const a = await artifacts(k);
    cases.push({ label: `2^${k}`, constraints: a.constraints, zkey: a.zkey, full: await witnessFile(a.dir, a.n, 'full'), small: await witnessFile(a.dir, a.n, 'small') });
  }
  if (!process.argv.includes('--no-lstm')) {
    const lstm = await lstmCase();
    if (lstm) cases.push(lstm);
    else console.error('[bench] staking LSTM not compiled here (.cache/circuits/staking-lstm): row skipped');
  }
  await releaseSnarkjsCurve(); // the RSS rounds verify with a fresh one

  const rows: string[][] = [];
  for (const c of cases) {
    console.error(`[bench] ${c.label}: ${c.constraints} constraints — proving…`);
    rows.push(await measure(c, runs, sRuns, withSnarkjs, rapid, endoAB, rssRuns));
  }
  await releaseSnarkjsCurve();
  const head = ['circuit', 'constraints', 'snarkjs ms', 'native ms', 'speed-up', 'native constr/s', 'MSM µs/point', 'small wtns ms (on/off)', 'small-scalar gain', 'snarkjs peak RSS MB', 'bench worker peak RSS MB (tsx + snarkjs loaded; at start)', 'native prove process RSS MB: before key → peak (anon / file at peak)', `native batch of ${arg('batch', '4')} ms/proof (gain)`, 'native key load ms (sidecar)'];
  if (rapid) head.push('rapidsnark ms', 'native vs rapidsnark', 'rapidsnark small ms (vs native)', 'rapidsnark peak RSS MB', 'rapidsnark RSS MB: peak (anon / file at peak)');
  if (endoAB) head.push('native, endomorphisms on: ms (on / off)');
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padStart(widths[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log(`\nmedians over ${runs} native${withSnarkjs ? ` / ${sRuns} snarkjs` : ''} rounds; each round runs every prover once, alternating, each in its own process`);
  console.log(`(key loaded, snarkjs curve built and ${arg('warmup', '1')} untimed warm-up proof(s) before the timed one); "full" witness = random field elements (LSTM: random inputs).`);
  console.log('every native proof checked with snarkjs groth16 verify: ok');
  console.log(`native fixed-base factor (precompute): ${arg('precompute', '1')}`);
  if (rapid) console.log(`rapidsnark: ${rapid} (own process per proof, key loaded each time; "native vs rapidsnark" = rapidsnark median / native median)`);
  console.log('small-scalar gain: native on signed 8-bit witnesses with the small-scalar path on vs off (ZKINFER_NATIVE_SMALL_SCALARS=0).');
  console.log("bench worker peak RSS: this bench's own worker (Node + tsx + snarkjs + the bench loaded) over its single proofs (key mapped; before the batch and before snarkjs verifies), in brackets its RSS before the key was loaded — not what a user's process holds.");
  console.log(`native prove process RSS (the user-facing figure): a fresh bare \`node\` that loads only the addon, the key (its sidecar) and the witness and proves once (bench/prove-rss-child.mjs), ${rssRuns} rounds, medians: its RSS before the key, its peak (VmHWM) and, at the largest sampled VmRSS (/proc/self/status every ms), RssAnon / RssFile (+RssShmem).`);
  console.log('RssFile counts Node\'s own mapped binary (~35 MB) and the key\'s pages while a section is in use; released sections leave the process but stay in the page cache (docs/native-prover.md, "Memory"). Each of these proofs is verified with snarkjs.');
  if (rapid) console.log("rapidsnark RSS split: the same files, sampled the same way under /usr/bin/time (peak = GNU time's maximum; its mmapped zkey counts as RssFile).");
  if (endoAB) console.log('endomorphisms on: full witness with ZKINFER_NATIVE_ENDO=1 (GLV / ψ split; off is the default), alternating in the same rounds; the ratio is on / off (> 1: the split is slower).');
  console.log(`machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

await main();
