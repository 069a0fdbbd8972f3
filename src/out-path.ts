/**
 * Paths a user names for output (`--out`, `--proof-out`): file-system failures become a typed OutputPathError
 * (exit 2 in the CLI) that names the path and what to do, never a stack trace (docs/zkml-compile.md "Output
 * directory"). Synchronous node:fs only: a one-shot `zkinfer prove` never loads node:fs/promises (docs/network.md
 * "CLI start-up").
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ZkinferError, type ZkinferErrorOptions } from './errors/base.js';

/** A path given for output cannot be written. */
export class OutputPathError extends ZkinferError {
  override readonly name = 'OutputPathError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('OUTPUT_PATH', message, opts);
  }
}

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * The typed error for a failed write of `path` (`kind`: what was being written there). `path` is what the user typed.
 */
export function outputPathError(path: string, err: unknown, kind: 'file' | 'directory' = 'file', example = kind === 'file' ? 'out.json' : 'circuit'): OutputPathError {
  const code = codeOf(err) ?? 'EIO';
  const parent = dirname(resolve(path));
  const opts = { cause: err, details: { path, code } };
  switch (code) {
    case 'EISDIR':
      return new OutputPathError(`cannot write ${path}: it is a directory (EISDIR)`, { ...opts, hint: `give a file path, e.g. ${join(path, example)}` });
    case 'ENOTDIR':
      return kind === 'directory' && isFile(path)
        ? new OutputPathError(`cannot write ${path}: it is a file, not a directory (ENOTDIR)`, { ...opts, hint: 'give the path of a new or existing directory' })
        : new OutputPathError(`cannot write ${path}: a parent of it is a file, not a directory (ENOTDIR)`, { ...opts, hint: 'choose a path whose parent folders are directories' });
    case 'ENOENT':
      return exists(parent)
        ? new OutputPathError(`cannot write ${path}: cannot create a ${kind} in ${parent} (ENOENT)`, { ...opts, hint: 'choose a path in an ordinary writable folder' })
        : new OutputPathError(`cannot write ${path}: folder ${parent} does not exist (ENOENT)`, { ...opts, hint: 'create the folder first, or choose another path' });
    case 'EACCES':
    case 'EPERM':
      return new OutputPathError(`cannot write ${path}: permission denied (${code})`, { ...opts, hint: 'choose a path you can write, or fix the folder\'s permissions' });
    case 'EROFS':
      return new OutputPathError(`cannot write ${path}: the file system is read-only (EROFS)`, { ...opts, hint: 'choose a path on a writable file system' });
    case 'ENOSPC':
      return new OutputPathError(`cannot write ${path}: no space left on the device (ENOSPC)`, { ...opts, hint: 'free some space or choose another disk' });
    default:
      return new OutputPathError(`cannot write ${path}: ${(err as Error | undefined)?.message ?? String(err)} (${code})`, { ...opts, hint: 'choose another path' });
  }
}

function exists(p: string): boolean {
  try { statSync(p); return true; } catch { return false; }
}
function isFile(p: string): boolean {
  try { return !statSync(p).isDirectory(); } catch { return false; }
}

/**
 * Refuse at once, before the work whose result goes there, an output file path that is a directory or whose folder is
 * missing (a write can still fail later for other reasons: writeOutputFile says why).
 */
export function checkOutputFile(path: string, example?: string): void {
  let st;
  try { st = statSync(path); } catch { /* not there yet: its folder is checked below */ }
  if (st?.isDirectory()) throw outputPathError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), 'file', example);
  if (st) return;
  let parent;
  try { parent = statSync(dirname(resolve(path))); } catch (err) { throw outputPathError(path, err, 'file'); }
  if (!parent.isDirectory()) throw outputPathError(path, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }), 'file');
}

/** Write a user-named output file; any failure is an OutputPathError. */
export function writeOutputFile(path: string, data: string | Uint8Array, example?: string): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw outputPathError(path, err, 'file', example);
  }
}

/**
 * Check, without writing anything lasting, that `dir` can be the output directory of a compile: an existing directory
 * we can write, or a path whose nearest existing ancestor is a writable directory where a folder can be created
 * (probed with one empty folder, removed at once). Never a recursive mkdir: Node 20's loops forever on procfs.
 */
export function checkOutputDir(dir: string, shown = dir): void {
  const abs = resolve(dir);
  let st;
  try { st = statSync(abs); } catch (err) { if (codeOf(err) !== 'ENOENT' && codeOf(err) !== 'ENOTDIR') throw outputPathError(shown, err, 'directory'); }
  if (st) {
    if (!st.isDirectory()) throw outputPathError(shown, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }), 'directory');
    try { accessSync(abs, constants.W_OK); } catch (err) { throw outputPathError(shown, err, 'directory'); }
    return;
  }
  let anc = dirname(abs);
  for (;;) {
    let a;
    try { a = statSync(anc); } catch (err) {
      if (codeOf(err) !== 'ENOENT' && codeOf(err) !== 'ENOTDIR') throw outputPathError(shown, err, 'directory');
    }
    if (a) {
      if (!a.isDirectory()) throw new OutputPathError(`cannot write ${shown}: ${anc} is a file, not a directory (ENOTDIR)`, { hint: 'choose a path whose parent folders are directories', details: { path: shown, code: 'ENOTDIR' } });
      break;
    }
    if (dirname(anc) === anc) break;
    anc = dirname(anc);
  }
  try {
    accessSync(anc, constants.W_OK);
    rmdirSync(mkdtempSync(join(anc, `.${basename(abs)}.zkinfer-probe-`)));
  } catch (err) {
    throw outputPathError(shown, err, 'directory');
  }
}

/**
 * Create the missing folders above `dir` one level at a time (no recursive mkdir, see checkOutputDir); returns those
 * created, deepest last, so a failed compile can remove them again.
 */
export function makeParentDirs(dir: string, shown = dir): string[] {
  const missing: string[] = [];
  for (let p = dirname(resolve(dir)); !exists(p) && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  const made: string[] = [];
  for (const p of missing) {
    try { mkdirSync(p); } catch (err) {
      removeDirsSync(made);
      throw outputPathError(shown, err, 'directory');
    }
    made.push(p);
  }
  return made;
}

/** Remove folders made by makeParentDirs (deepest first), each only if still empty. */
export function removeDirsSync(made: readonly string[]): void {
  for (const p of [...made].reverse()) { try { rmdirSync(p); } catch { /* not empty or gone: leave it */ } }
}
