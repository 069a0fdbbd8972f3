import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as snarkjs from 'snarkjs';
import { ARTIFACT_FILES, sha256File } from '../artifacts/files.js';
import { circuitIdOfVk } from '../artifacts/canonical.js';
import type { SecurityLevel } from '../format/metadata.js';
import { cacheDir } from './cache.js';
import { devPtauSource, getDevPtau } from './dev-ptau.js';
import { writeDirectZkey } from './direct-zkey.js';
import { SetupError } from './errors.js';
import { checkCeremonyPtau } from './ptau.js';
import { readR1csHeader, requiredPower } from './r1cs-header.js';

export { SetupError } from './errors.js';
export { readPtauInfo, checkCeremonyPtau } from './ptau.js';
export { readR1csHeader, requiredPower } from './r1cs-header.js';
export { devPtauPathOf, getDevPtau } from './dev-ptau.js';

export type SetupProgress = (stage: string, done: number, total: number) => void;

export interface SetupCircuitOptions {
  r1csPath: string;
  /** A circom witness generator to copy beside the keys (hand-written circom circuits). */
  wasmPath?: string;
  /** The direct backend's witness program (witness.json), copied beside the keys instead of a wasm. */
  programPath?: string;
  /** Artifacts directory: circuit.r1cs, the witness generator, circuit.zkey and vk.json are written here. */
  outDir: string;
  /** Ceremony powers-of-tau file (prepared for phase 2). Without it: dev mode, INSECURE-DEV keys. */
  ptauPath?: string;
  onProgress?: SetupProgress;
  /** Cache for dev ptau files and keys; default $ZKINFER_CACHE_DIR or ~/.cache/zkinfer. */
  cacheDir?: string;
}

export interface SetupCircuitResult {
  zkeyPath: string;
  vkPath: string;
  /** sha256 of the canonical verification key. */
  circuitId: string;
  security: SecurityLevel;
  ptau: { sha256: string; power: number; source: string };
  constraints: number;
  /** True when the keys came from the (r1cs sha256, ptau sha256) cache. */
  cached: boolean;
}

/**
 * Groth16 setup of a compiled circuit. With `ptauPath` (a ceremony file): checks it, runs snarkjs `zkey new`
 * and a random phase-2 contribution. Without: dev mode — a cached dev ptau from a known secret and a zkey
 * computed directly from that secret plus a random contribution; marked INSECURE-DEV.
 * Keys are cached by (r1cs sha256, ptau sha256, security label); the label comes from the ptau's provenance.
 */
export async function setupCircuit(opts: SetupCircuitOptions): Promise<SetupCircuitResult> {
  const progress: SetupProgress = opts.onProgress ?? (() => {});
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const header = await readR1csHeader(opts.r1csPath);
  const power = requiredPower(header);
  const cache = cacheDir(opts.cacheDir);

  let ptau: { path: string; sha256: string; power: number; source: string };
  let security: SecurityLevel;
  let dev: Awaited<ReturnType<typeof getDevPtau>> | undefined;
  if (opts.ptauPath) {
    progress('check ptau', 0, 1);
    const info = await checkCeremonyPtau(opts.ptauPath, power, { cacheDir: cache });
    ptau = { path: resolve(opts.ptauPath), sha256: info.sha256, power: info.power, source: resolve(opts.ptauPath) };
    security = 'ceremony';
    progress('check ptau', 1, 1);
  } else {
    dev = await getDevPtau(power, { cacheDir: cache, onProgress: progress });
    ptau = { path: dev.path, sha256: dev.sha256, power: dev.power, source: devPtauSource(dev.path) };
    security = 'INSECURE-DEV';
  }

  const r1csSha = await sha256File(opts.r1csPath);
  // the security label is part of the key's cache identity: one key (one circuit id) never carries two labels
  const keyDir = join(cache, 'keys', `${r1csSha}-${ptau.sha256}-${security}`);
  const cachedZkey = join(keyDir, ARTIFACT_FILES.zkey);
  const cachedVk = join(keyDir, ARTIFACT_FILES.vk);
  const cached = existsSync(cachedZkey) && existsSync(cachedVk);
  if (!cached) {
    await mkdir(join(cache, 'keys'), { recursive: true });
    const tmp = `${keyDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(tmp);
    try {
      const zkey0 = join(tmp, 'circuit_0000.zkey');
      const name = 'zkinfer phase-2 contribution';
      progress('zkey', 0, 2);
      if (!dev) {
        const csHash = await snarkjs.zKey.newZKey(opts.r1csPath, ptau.path, zkey0);
        if (!(csHash instanceof Uint8Array)) throw new SetupError('SETUP_FAILED', `snarkjs zkey new failed for ${opts.r1csPath} with ${ptau.path}`);
        progress('zkey', 1, 2);
        await snarkjs.zKey.contribute(zkey0, join(tmp, ARTIFACT_FILES.zkey), name, randomBytes(32).toString('hex'));
        await rm(zkey0);
      } else {
        // dev: the key and its random phase-2 contribution computed in one pass (docs/zkml-compile.md, "Setup")
        const delta = BigInt('0x' + randomBytes(32).toString('hex'));
        await writeDirectZkey({ r1csPath: opts.r1csPath, zkeyPath: join(tmp, ARTIFACT_FILES.zkey), toxic: dev.toxic, ptauPower: dev.power, contribution: { delta, name }, onProgress: progress });
      }
      progress('zkey', 2, 2);
      const vk = await snarkjs.zKey.exportVerificationKey(join(tmp, ARTIFACT_FILES.zkey));
      await writeFile(join(tmp, ARTIFACT_FILES.vk), JSON.stringify(vk, null, 1) + '\n');
      // Publish zkey and vk together by renaming the whole directory; if a concurrent setup published first,
      // keep its pair (zkey and vk must come from the same contribution).
      try {
        await rename(tmp, keyDir);
      } catch (err) {
        if (!existsSync(cachedZkey) || !existsSync(cachedVk)) throw err;
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  const zkeyPath = join(outDir, ARTIFACT_FILES.zkey);
  const vkPath = join(outDir, ARTIFACT_FILES.vk);
  await copyFile(cachedZkey, zkeyPath);
  await copyFile(cachedVk, vkPath);
  const copies: Array<[string | undefined, string]> = [[opts.r1csPath, ARTIFACT_FILES.r1cs], [opts.wasmPath, ARTIFACT_FILES.wasm], [opts.programPath, ARTIFACT_FILES.program]];
  for (const [src, name] of copies) {
    if (!src) continue;
    const dst = join(outDir, name);
    if (resolve(src) !== dst) await copyFile(src, dst);
  }
  const vk = JSON.parse(await readFile(vkPath, 'utf8')) as unknown;
  return {
    zkeyPath,
    vkPath,
    circuitId: circuitIdOfVk(vk),
    security,
    ptau: { sha256: ptau.sha256, power: ptau.power, source: ptau.source },
    constraints: header.nConstraints,
    cached,
  };
}
