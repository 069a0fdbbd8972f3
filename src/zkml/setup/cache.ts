import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where dev ptau files and setup keys are cached: `dir` option, else $ZKINFER_CACHE_DIR, else ~/.cache/zkinfer. */
export function cacheDir(dir?: string): string {
  return resolve(dir ?? process.env.ZKINFER_CACHE_DIR ?? join(homedir(), '.cache', 'zkinfer'));
}
