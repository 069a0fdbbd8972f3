import { resolve } from 'node:path';
import { userCacheDir } from '../../paths.js';

/** Where dev ptau files and setup keys are cached: `dir` option, else the user cache (src/paths.ts). */
export function cacheDir(dir?: string): string {
  return resolve(dir ?? userCacheDir());
}
