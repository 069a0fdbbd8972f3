import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL(findPackageJson(), import.meta.url), 'utf8')) as { version: string };

function findPackageJson(): string {
  // src/version.ts runs from dist/src/version.js after the build.
  return import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json';
}

/** The zkinfer package version, e.g. `0.1.0`. */
export const VERSION: string = pkg.version;

/** Bittensor-style integer version: major·10^6 + minor·10^3 + patch. */
export const VERSION_KEY: number = (() => {
  const [major, minor, patch] = VERSION.split('.').map((p) => Number.parseInt(p, 10));
  return (major ?? 0) * 1_000_000 + (minor ?? 0) * 1_000 + (patch ?? 0);
})();
