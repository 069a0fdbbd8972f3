import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../artifacts/files.js';
import { BinWriter, bigIntLE, u32le } from './binwriter.js';
import { R, lagrangeAtIndices, mod, mul, pow, powers } from './field.js';
import { FixedBaseEngine, scalarsToLE, type GroupName } from './fixed-base.js';
import { ParallelFixedBase } from './fixed-base-parallel.js';
import { BN254_Q } from './ptau.js';

/**
 * INSECURE-DEV toxic waste: the secrets of the dev powers of tau. Whoever knows them can forge proofs for
 * every key made from them, so keys made this way are only for development and tests.
 */
export interface DevToxic { tau: bigint; alpha: bigint; beta: bigint; id: string }

export interface DevPtau { path: string; sha256: string; power: number; toxic: DevToxic }

type Progress = (stage: string, done: number, total: number) => void;

/** metadata.ptau.source of INSECURE-DEV keys: this prefix, then the dev ptau's path. */
const DEV_SOURCE_PREFIX = 'INSECURE-DEV generated (known tau), ';
export const devPtauSource = (path: string): string => `${DEV_SOURCE_PREFIX}${path}`;
/** The dev ptau path named by an INSECURE-DEV metadata.ptau.source (undefined for other sources). */
export const devPtauPathOf = (source: string): string | undefined => (source.startsWith(DEV_SOURCE_PREFIX) ? source.slice(DEV_SOURCE_PREFIX.length) : undefined);

function randomScalar(): bigint {
  for (;;) {
    const x = BigInt('0x' + randomBytes(32).toString('hex')) & ((1n << 254n) - 1n);
    if (x > 1n && x < R) return x;
  }
}

/** Load (or create once) the dev toxic waste of a cache dir. */
export async function devToxic(cacheDir: string): Promise<DevToxic> {
  const dir = join(cacheDir, 'ptau');
  const path = join(dir, 'dev-toxic-INSECURE.json');
  if (existsSync(path)) {
    const j = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    return { tau: BigInt(j.tau!), alpha: BigInt(j.alpha!), beta: BigInt(j.beta!), id: j.id! };
  }
  await mkdir(dir, { recursive: true });
  const t = { tau: randomScalar(), alpha: randomScalar(), beta: randomScalar(), id: randomBytes(6).toString('hex') };
  // unique per call: two setups in one process (Promise.all) must not write the same temporary file
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify({
    warning: 'INSECURE-DEV: known powers-of-tau secrets; anything made from them can be forged',
    id: t.id, tau: '0x' + t.tau.toString(16), alpha: '0x' + t.alpha.toString(16), beta: '0x' + t.beta.toString(16),
  }, null, 1));
  // First writer wins (link fails if the file exists) so every process of this cache shares one secret.
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  return devToxic(cacheDir);
}

/**
 * The cached dev .ptau of `power` (created on first use): a prepared (phase-2 ready) powers-of-tau file
 * computed straight from the known secrets — the monomial sections τ^i·G, α·τ^i·G1, β·τ^i·G1, β·G2 and the
 * Lagrange-basis sections 12–15 as `snarkjs powersoftau prepare phase2` would write them — without the
 * hour-long FFTs of prepare phase2. It records zero contributions: it is INSECURE-DEV by construction.
 */
export async function getDevPtau(power: number, opts: { cacheDir: string; onProgress?: Progress }): Promise<DevPtau> {
  const toxic = await devToxic(opts.cacheDir);
  const path = join(opts.cacheDir, 'ptau', `dev-${toxic.id}-${String(power).padStart(2, '0')}.INSECURE.ptau`);
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
    try {
      await writeDevPtau(tmp, power, toxic, opts.onProgress);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  const shaPath = `${path}.sha256`;
  let sha256: string;
  if (existsSync(shaPath)) sha256 = (await readFile(shaPath, 'utf8')).trim();
  else { sha256 = await sha256File(path); await writeFile(shaPath, sha256 + '\n'); }
  return { path, sha256, power, toxic };
}

/** Points multiplied and written at a time: 2^18 (8 MiB of scalars, 16–32 MiB of points), so no section is ever held whole. */
const CHUNK = 1 << 18;

/**
 * Write a prepared dev ptau for `power` from the known secrets, streamed: every section's scalars are made per chunk
 * (τ powers from τ^lo, Lagrange values from lagrangeAtIndices), multiplied and written, so memory stays at a few
 * chunks plus the kept Lagrange scalars at any power (docs/zkml-compile.md, "Memory at 2^21–2^22").
 */
export async function writeDevPtau(path: string, power: number, toxic: DevToxic, onProgress?: Progress, chunk = CHUNK): Promise<void> {
  const progress = onProgress ?? (() => {});
  const par = await ParallelFixedBase.create();
  const engine = par.engine;
  try {
    // the engine's own curve gives the roots of unity (no second WASM curve to build)
    const omega = (k: number): bigint => BigInt(engine.Fr.toObject(engine.Fr.w[k]));
    const n = 2 ** power;
    const base = { G1: engine.generator('G1'), G2: engine.generator('G2') };
    const stage = `dev ptau 2^${power}`;
    // points of sections 2–5 and 12–15, for progress
    const total = (2 * n - 1) + 3 * n + (4 * n - 1) + 3 * (2 * n - 1);
    let done = 0;
    const w = await BinWriter.create(path, 'ptau', 1, 11);
    /** One section of k_j·G for j < count, the scalars of [lo, hi) from `scalars`. */
    const points = (id: number, g: GroupName, count: number, scalars: (lo: number, hi: number) => Uint8Array) =>
      w.streamSection(id, count * FixedBaseEngine.affineSize(g), async (write) => {
        for (let lo = 0; lo < count; lo += chunk) {
          const hi = Math.min(count, lo + chunk);
          progress(stage, done, total);
          await write(await par.mulMany(g, base[g], scalars(lo, hi)));
          done += hi - lo;
        }
      });
    /** factor·τ^j. */
    const tauPowers = (factor: bigint) => (lo: number, hi: number) => scalarsToLE(powers(toxic.tau, hi - lo, mul(pow(toxic.tau, BigInt(lo)), factor)));
    /**
     * The Lagrange blocks for every domain 2^k, k = 0, 1, …, concatenated, at indices [lo, hi): block k holds
     * [2^k − 1, 2^(k+1) − 1). Block power+1 (section 12 only) lacks its τ^(2n−1) term, as prepare phase2 computes it.
     */
    const lagrange = (lo: number, hi: number): bigint[] => {
      const xs: bigint[] = [];
      for (let j = lo; j < hi;) {
        const k = 31 - Math.clz32(j + 1), start = 2 ** k - 1, end = Math.min(hi, 2 ** (k + 1) - 1);
        for (const x of lagrangeAtIndices(toxic.tau, 2 ** k, omega(k), j - start, 1, end - j, k === power + 1)) xs.push(x);
        j = end;
      }
      return xs;
    };
    // Sections 13–15 are the blocks k ≤ power (the first 2n − 1 values) times 1, α, β: section 12's pass keeps them as
    // 32-byte scalars (3 × 32 × (2n − 1) bytes, 768 MB at 2^22), so each Lagrange value is computed once.
    const nL = 2 * n - 1;
    const kept = [1n, toxic.alpha, toxic.beta].map((f) => ({ f, scalars: new Uint8Array(32 * nL) }));
    const section12 = (lo: number, hi: number): Uint8Array => {
      const xs = lagrange(lo, hi);
      const own = xs.slice(0, Math.max(0, Math.min(hi, nL) - lo));
      for (const { f, scalars } of kept) if (own.length) scalars.set(scalarsToLE(f === 1n ? own : own.map((x) => mul(x, f))), 32 * lo);
      return scalarsToLE(xs);
    };
    const keptScalars = (i: number) => (lo: number, hi: number) => kept[i]!.scalars.subarray(32 * lo, 32 * hi);
    await w.section(1, [u32le(32), bigIntLE(BN254_Q, 32), u32le(power, power)]);
    await points(2, 'G1', 2 * n - 1, tauPowers(1n));
    await points(3, 'G2', n, tauPowers(1n));
    await points(4, 'G1', n, tauPowers(toxic.alpha));
    await points(5, 'G1', n, tauPowers(toxic.beta));
    await w.section(6, [engine.mulMany('G2', base.G2, scalarsToLE([mod(toxic.beta)]))]);
    await w.section(7, [u32le(0)]);
    await points(12, 'G1', 4 * n - 1, section12);
    await points(13, 'G2', nL, keptScalars(0));
    await points(14, 'G1', nL, keptScalars(1));
    await points(15, 'G1', nL, keptScalars(2));
    await w.close();
    progress(stage, total, total);
  } finally {
    await par.close();
  }
}
