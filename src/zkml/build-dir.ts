/**
 * All-or-nothing compiles (docs/zkml-compile.md "Output directory"): a compile writes every artifact into a temporary
 * build directory on the output's file system, and moves them into the output directory only once everything
 * succeeded. A failed compile removes the build directory, and an interrupted one (the CLI runs `cleanupSync` on
 * Ctrl-C) too, so the output directory is left exactly as it was. The move is synchronous: a signal handler never runs
 * in the middle of it.
 */
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ARTIFACT_FILES } from './artifacts/names.js';
import { makeParentDirs, outputPathError, removeDirsSync } from '../out-path.js';
import { pidAlive } from '../lifecycle/lock.js';

/** The file that says which compile produced a directory (docs/zkml-compile.md "Progress"): moved in last. */
export const COMPILE_KEY_FILE = 'compile-key.txt';

export interface BuildDir {
  /** Where the compile writes. */
  path: string;
  /**
   * Move the build into the output directory: `all` (a full compile: every entry; stale outputs of an older backend
   * removed; metadata.json and the compile key last) or `source` (a reused compile: only source/).
   */
  commitSync(mode: 'all' | 'source'): void;
  /** Remove the build directory and any folders made above the output (a no-op after a commit). */
  cleanupSync(): void;
}

const SIBLING = (base: string) => `.${base}.zkinfer-build-`;
const INSIDE = '.zkinfer-build-';

/** A build directory for output `dir` (already checked by checkOutputDir); `shown`: the path as the user gave it. */
export function openBuildDir(dir: string, shown = dir): BuildDir {
  const abs = resolve(dir), parent = dirname(abs), base = basename(abs);
  const existed = existsSync(abs);
  sweepStale(parent, SIBLING(base));
  if (existed) sweepStale(abs, INSIDE);
  const made = existed ? [] : makeParentDirs(abs, shown);
  // beside the output when the parent is writable and on the same file system (a rename then moves it), else inside it
  const beside = !existed || (writable(parent) && statSync(parent).dev === statSync(abs).dev);
  let path: string;
  try {
    path = mkdtempSync(beside ? join(parent, `${SIBLING(base)}${process.pid}-`) : join(abs, `${INSIDE}${process.pid}-`));
  } catch (err) {
    removeDirsSync(made);
    throw outputPathError(shown, err, 'directory');
  }
  let done = false;
  const cleanupSync = (): void => {
    if (done) return;
    done = true;
    // on a signal a write of the compile may still be in flight: moved away first, a file it opens by its old path
    // fails instead of landing in a folder being removed; retried when one landed meanwhile (ENOTEMPTY)
    let target = path;
    try { renameSync(path, `${path}.rm`); target = `${path}.rm`; } catch { /* removed where it is */ }
    try { rmSync(target, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 }); } catch { /* left to the next compile's sweep */ }
    removeDirsSync(made);
  };
  const commitSync = (mode: 'all' | 'source'): void => {
    if (!existsSync(abs) && mode === 'all') {
      try {
        renameSync(path, abs); // a new directory appears whole
        done = true;
        return;
      } catch (err) {
        // another compile made it meanwhile: moved in file by file as into any existing directory
        if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
      }
    }
    // an existing directory (other files in it are the user's and stay): first drop the compile key, so a directory
    // caught half-moved (power loss) is never taken for a finished compile; the key goes in last
    if (mode === 'all') {
      rmSync(join(abs, COMPILE_KEY_FILE), { force: true });
      rmSync(join(abs, ARTIFACT_FILES.wasm), { force: true }); // outputs of the circom backend, not made any more
      rmSync(join(abs, 'build'), { recursive: true, force: true });
      // the native prover's sidecars of the old key (circuit.zkey.t<t>.zkn, docs/native-prover.md)
      for (const n of readdirSync(abs)) if (n.startsWith(`${ARTIFACT_FILES.zkey}.`) && n.endsWith('.zkn')) rmSync(join(abs, n), { force: true });
    }
    const last = [ARTIFACT_FILES.metadata, COMPILE_KEY_FILE];
    const names = readdirSync(path).filter((n) => mode === 'all' || n === 'source');
    names.sort((a, b) => last.indexOf(a) - last.indexOf(b));
    for (const n of names) {
      const dst = join(abs, n);
      if (existsSync(dst) && statSync(dst).isDirectory()) renameSync(dst, join(path, `.old-${n}`)); // removed with the build dir
      renameSync(join(path, n), dst);
    }
    cleanupSync();
  };
  return { path, commitSync, cleanupSync };
}

function writable(p: string): boolean {
  try { accessSync(p, constants.W_OK); return true; } catch { return false; }
}

/** Remove build directories left by a compile that was killed (its process is gone). */
function sweepStale(where: string, prefix: string): void {
  let names: string[];
  try { names = readdirSync(where); } catch { return; }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(n.slice(prefix.length))?.[1]);
    if (!pid || pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(where, n), { recursive: true, force: true });
  }
}
