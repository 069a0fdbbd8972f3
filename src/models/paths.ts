import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userCacheDir } from '../paths.js';

/** The zkinfer package root (works from src/ under tsx and from dist/src/ after the build). */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('zkinfer package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();

/** Where a zoo model's shipped files live: models/<name>/ in the package. */
export function shippedModelDir(name: string): string {
  return join(PACKAGE_ROOT, 'models', name);
}

/** Cache folder for generated artifacts: the user cache (src/paths.ts: ~/.cache/zkinfer, --cache-dir). */
export function cacheDir(...parts: string[]): string {
  return userCacheDir(...parts);
}
