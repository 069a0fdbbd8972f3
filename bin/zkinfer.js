#!/usr/bin/env node
// The one `zkinfer` command. The TypeScript sources are compiled to dist/ by `npm ci` (the prepare script).
// CommonJS (bin/package.json): `zkinfer prove` starts without Node's ES module loader (docs/network.md "CLI start-up").
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('zkinfer is not built yet: run `npm ci` (or `npm run build`) in the zkinfer folder first.');
  process.exit(2);
}
// `zkinfer prove …` runs the one-file bundle (docs/network.md "CLI start-up") when it was built after the last
// tsc run (tsc rewrites every file of dist/, so an older bundle may hold older code and is not used; the same
// rule as proveBundleFresh in src/cli/bundle.ts), compiled with a V8 code cache by its runner (src/cli/bundle-run.ts,
// built beside it as dist/bundle/run.cjs)
const bundle = join(root, 'dist', 'bundle', 'prove.cjs');
const runner = join(root, 'dist', 'bundle', 'run.cjs');
const fresh = () => {
  try {
    const tsc = statSync(entry).mtimeMs;
    return statSync(bundle).mtimeMs >= tsc && statSync(runner).mtimeMs >= tsc;
  } catch {
    return false;
  }
};
const main = process.argv[2] === 'prove' && process.env.ZKINFER_NO_BUNDLE !== '1' && fresh()
  ? require(runner).runProveBundle(bundle)
  : import(pathToFileURL(entry).href).then((m) => m.runCli(process.argv));
main.catch((err) => {
  process.exitCode = 1;
  throw err; // an uncaught error: Node prints it with its stack, as for any crash
});
