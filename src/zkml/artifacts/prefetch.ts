// Early hashes for a one-shot `zkinfer prove` (docs/network.md "CLI start-up", round 8; trust argument in
// docs/security.md "Artifact checks"): the bundle's runner starts hashing the circuit folder's files on libuv's pool
// before the ≈ 50 ms in which the bundle loads, and loadArtifacts' sha256File takes those results instead of
// reading the files again. Nothing is skipped: every file is still compared with metadata.json before anything is
// proven; only the moment its bytes were read moves earlier, within the same process.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNativeAddon } from '../prove/native/addon.js';
import { ARTIFACT_FILES } from './names.js';

/** Shared through a registered symbol: the runner (dist/bundle/run.cjs) and the bundle are separate module instances. */
const STORE = Symbol.for('zkinfer.artifacts.prefetch');
const store = (): Map<string, Promise<string>> => ((globalThis as Record<symbol, Map<string, Promise<string>> | undefined>)[STORE] ??= new Map());

/**
 * Start hashing the files of `dir` that loadArtifacts checks for a proof (vk, witness generator, r1cs, zkey), one after
 * another in one job on libuv's pool (the addon's sha256Files): it runs while this thread loads and runs the bundle,
 * where a chain of sha256File calls waited for that to end before its first file and for a free turn between two files
 * (round 10). The JS thread, loading the CLI meanwhile, keeps the other core. Only with the native addon; otherwise,
 * and for a folder without metadata.json, nothing happens (loadArtifacts then hashes every file itself).
 */
export function prefetchArtifactHashes(dir: string): void {
  const sha256Files = loadNativeAddon()?.sha256Files;
  if (!sha256Files || !existsSync(join(dir, ARTIFACT_FILES.metadata))) return;
  const witness = existsSync(join(dir, ARTIFACT_FILES.program)) ? ARTIFACT_FILES.program : ARTIFACT_FILES.wasm;
  const paths = [ARTIFACT_FILES.vk, witness, ARTIFACT_FILES.r1cs, ARTIFACT_FILES.zkey].map((f) => resolve(dir, f));
  const series = sha256Files(paths);
  series.catch(() => undefined);
  paths.forEach((path, i) => {
    const hash = series.then((all) => all[i] ?? Promise.reject(new Error(`${path} could not be hashed early`)));
    hash.catch(() => undefined); // a failed early hash is simply not used (sha256File hashes the file itself)
    store().set(path, hash);
  });
}

/** The early hash of `path`, once (a later check of the same file reads it again), or undefined. */
export function takePrefetchedHash(path: string): Promise<string> | undefined {
  const key = resolve(path);
  const hash = store().get(key);
  store().delete(key);
  return hash;
}
