#!/usr/bin/env node
// The one `zkinfer` command. The TypeScript sources are compiled to dist/ by `npm ci` (the prepare script).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('zkinfer is not built yet: run `npm ci` (or `npm run build`) in the zkinfer folder first.');
  process.exit(2);
}
// `zkinfer prove …` runs the one-file bundle (docs/network.md "CLI start-up") when it was built after the last
// tsc run (tsc rewrites every file of dist/, so an older bundle may hold older code and is not used; the same
// rule as proveBundleFresh in src/cli/bundle.ts), compiled with a V8 code cache (src/cli/bundle-run.ts)
const bundle = fileURLToPath(new URL('../dist/bundle/prove.cjs', import.meta.url));
const fresh = () => { try { return statSync(bundle).mtimeMs >= statSync(entry).mtimeMs; } catch { return false; } };
if (process.argv[2] === 'prove' && process.env.ZKINFER_NO_BUNDLE !== '1' && fresh()) {
  const { runProveBundle } = await import(new URL('../dist/src/cli/bundle-run.js', import.meta.url).href);
  await runProveBundle(bundle);
} else {
  const { runCli } = await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
  await runCli(process.argv);
}
