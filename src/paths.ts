/**
 * User-level folders (docs/network.md, "Where zkinfer keeps files"), so the CLI works from any directory
 * and after a global install (the package folder may not be writable):
 *   cache  $ZKINFER_CACHE_DIR, else $XDG_CACHE_HOME/zkinfer, else ~/.cache/zkinfer        (`--cache-dir DIR`)
 *          compiled zoo circuits, dev powers of tau and keys, solc output — safe to delete
 *   state  $ZKINFER_STATE_DIR, else $XDG_STATE_HOME/zkinfer, else ~/.local/state/zkinfer  (`--state-dir DIR`)
 *          devnet chains (`devnet node`, `devnet up`) and validator databases — keep it
 * The global `--cache-dir` / `--state-dir` flags set the env var for the command they run; each command's own
 * `--data` / `--db` flag still picks one folder or file.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const CACHE_DIR_ENV = 'ZKINFER_CACHE_DIR';
export const STATE_DIR_ENV = 'ZKINFER_STATE_DIR';

/** $env, else $XDG_x/zkinfer (absolute only, per the XDG spec), else ~/<fallback>/zkinfer. */
function userDir(env: string, xdgVar: string, fallback: string[], parts: string[]): string {
  const own = process.env[env];
  const xdg = process.env[xdgVar];
  const root = own ? resolve(own) : xdg && isAbsolute(xdg) ? join(xdg, 'zkinfer') : join(homedir(), ...fallback, 'zkinfer');
  return join(root, ...parts);
}

/** The user cache folder (see above), or a path inside it. */
export function userCacheDir(...parts: string[]): string {
  return userDir(CACHE_DIR_ENV, 'XDG_CACHE_HOME', ['.cache'], parts);
}

/** The user state folder (see above), or a path inside it. */
export function userStateDir(...parts: string[]): string {
  return userDir(STATE_DIR_ENV, 'XDG_STATE_HOME', ['.local', 'state'], parts);
}

/**
 * Default location of a piece of state: inside the state folder, unless state already sits at its pre-XDG
 * default (`legacy`, e.g. ./.zkinfer/devnet) and not at the new one — then that is kept, with a note, so an
 * upgrade never loses a chain or a validator's scores.
 */
export function defaultStatePath(parts: string[], legacy: string, note: (line: string) => void = (l) => console.error(l)): string {
  const fresh = userStateDir(...parts);
  const old = resolve(legacy);
  if (!existsSync(fresh) && existsSync(old)) {
    note(`note: using the existing state in ${old} (the default is now ${fresh}; move it there, or pass the path explicitly)`);
    return old;
  }
  return fresh;
}
