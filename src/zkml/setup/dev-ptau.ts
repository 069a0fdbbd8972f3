import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../artifacts/files.js';
import { BinWriter, bigIntLE, u32le } from './binwriter.js';
import { R, lagrangeAt, mod, mul, powers } from './field.js';
import { scalarsToLE } from './fixed-base.js';
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
  const tmp = `${path}.${process.pid}.tmp`;
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

/** Write a prepared dev ptau for `power` from the known secrets. */
export async function writeDevPtau(path: string, power: number, toxic: DevToxic, onProgress?: Progress): Promise<void> {
  const progress = onProgress ?? (() => {});
  const par = await ParallelFixedBase.create();
  const engine = par.engine;
  try {
    // the engine's own curve gives the roots of unity (no second WASM curve to build)
    const omega = (k: number): bigint => BigInt(engine.Fr.toObject(engine.Fr.w[k]));
    const n = 2 ** power;
    const g1 = engine.generator('G1'), g2 = engine.generator('G2');
    const tauPow = powers(toxic.tau, 2 * n - 1);
    const total = 8;
    let step = 0;
    const mulG = async (g: 'G1' | 'G2', xs: bigint[], _section: string) => {
      progress(`dev ptau 2^${power}`, step, total);
      const out = await par.mulMany(g, g === 'G1' ? g1 : g2, scalarsToLE(xs));
      step++;
      return out;
    };
    const w = await BinWriter.create(path, 'ptau', 1, 11);
    await w.section(1, [u32le(32), bigIntLE(BN254_Q, 32), u32le(power, power)]);
    await w.section(2, [await mulG('G1', tauPow, 'tauG1')]);
    await w.section(3, [await mulG('G2', tauPow.slice(0, n), 'tauG2')]);
    await w.section(4, [await mulG('G1', tauPow.slice(0, n).map((x) => mul(x, toxic.alpha)), 'alphaTauG1')]);
    await w.section(5, [await mulG('G1', tauPow.slice(0, n).map((x) => mul(x, toxic.beta)), 'betaTauG1')]);
    await w.section(6, [engine.mulMany('G2', g2, scalarsToLE([mod(toxic.beta)]))]);
    await w.section(7, [u32le(0)]);
    // Lagrange sections: for every domain 2^k, k ≤ power (tauG1 also k = power+1, whose τ^(2n−1) term is
    // absent in section 2 — reproduced exactly as prepare phase2 computes it).
    const lag = (maxK: number) => {
      const out: bigint[] = [];
      for (let k = 0; k <= maxK; k++) for (const x of lagrangeAt(toxic.tau, 2 ** k, omega(k), k === power + 1)) out.push(x);
      return out;
    };
    const L1 = lag(power + 1);
    const L = L1.slice(0, 2 * n - 1);
    await w.section(12, [await mulG('G1', L1, 'Lagrange tauG1')]);
    await w.section(13, [await mulG('G2', L, 'Lagrange tauG2')]);
    await w.section(14, [await mulG('G1', L.map((x) => mul(x, toxic.alpha)), 'Lagrange alphaTauG1')]);
    await w.section(15, [await mulG('G1', L.map((x) => mul(x, toxic.beta)), 'Lagrange betaTauG1')]);
    await w.close();
    progress(`dev ptau 2^${power}`, total, total);
  } finally {
    await par.close();
  }
}
