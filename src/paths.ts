/**
 * User-level folders (docs/network.md, "Where zkinfer keeps files"), so the CLI works from any directory
 * and after a global install (the package folder may not be writable):
 *   cache  $ZKINFER_CACHE_DIR, else $XDG_CACHE_HOME/zkinfer, else ~/.cache/zkinfer   (`--cache-dir DIR`)
 *          compiled zoo circuits, dev powers of tau and keys, solc output — safe to delete
 * The global `--cache-dir` flag sets ZKINFER_CACHE_DIR for the command it runs.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const CACHE_DIR_ENV = 'ZKINFER_CACHE_DIR';

/** The user cache folder (see above), or a path inside it. */
export function userCacheDir(...parts: string[]): string {
  const env = process.env[CACHE_DIR_ENV];
  const xdg = process.env['XDG_CACHE_HOME'];
  const root = env ? resolve(env) : xdg && isAbsolute(xdg) ? join(xdg, 'zkinfer') : join(homedir(), '.cache', 'zkinfer');
  return join(root, ...parts);
}
