#!/bin/sh
':' /*
# The one `zkinfer` command: this file is a POSIX sh launcher and the CommonJS program it runs (to JavaScript, the
# lines up to the end of this comment are a string and a comment). Node 20 reads the certificates named by
# NODE_EXTRA_CA_CERTS at every start, before any script runs (~40 ms on a machine whose environment names the system
# bundle). The commands below never open a TLS connection, so their Node starts without the variable; the program
# puts it back into process.env at once, so that child processes inherit it (docs/network.md "CLI start-up").
# `zkinfer prove` runs the native one-shot prover (native/src/cli_prove.cpp, built by `npm ci` beside the addon) when
# it is built: it proves without starting Node where it can, and otherwise execs Node on the same arguments itself
# (docs/network.md "CLI start-up", round 21; ZKINFER_NATIVE_CLI=0: always Node).
# Every other command starts as `node bin/zkinfer.js` would. `node bin/zkinfer.js …` skips the launcher.
case "$1" in
  prove|verify|--version|-V|--help|-h|help|'')
    if [ -n "${NODE_EXTRA_CA_CERTS+set}" ]; then
      ZKINFER_DEFERRED_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
      export ZKINFER_DEFERRED_EXTRA_CA_CERTS
      unset NODE_EXTRA_CA_CERTS
    fi
    if [ "$1" = prove ] && [ "${ZKINFER_NATIVE_CLI-}" != 0 ]; then
      self=$0 # this file, through the links npm makes to it (node_modules/.bin/zkinfer)
      while [ -L "$self" ]; do
        link=$(readlink "$self")
        case $link in /*) self=$link ;; *) self=${self%/*}/$link ;; esac
      done
      native=${self%/*}/../native/build/Release/zkinfer-prove
      if [ -x "$native" ]; then exec "$native" "$0" "$@"; fi
    fi ;;
esac
exec node "$0" "$@"
*/
// The TypeScript sources are compiled to dist/ by `npm ci` (the prepare script). CommonJS (bin/package.json):
// `zkinfer prove` starts without Node's ES module loader (docs/network.md "CLI start-up").
'use strict';
if (process.env.ZKINFER_DEFERRED_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.ZKINFER_DEFERRED_EXTRA_CA_CERTS;
  delete process.env.ZKINFER_DEFERRED_EXTRA_CA_CERTS;
}
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('zkinfer is not built yet: run `npm ci` (or `npm run build`) in the zkinfer folder first.');
  process.exit(2);
}
// Each command runs from a one-file bundle (docs/network.md "CLI start-up"): `zkinfer prove …` from dist/bundle/prove.cjs,
// `zkinfer eth …` from dist/bundle/eth.cjs, every other command from dist/bundle/cli.cjs (bundleFor in
// src/cli/bundle.ts), when `npm run build` made it after the last tsc run that wrote anything (dated by tsc's
// dist/.tsbuildinfo, else dist/src/cli/main.js: an older bundle may hold older code and is not used; the same rule as
// bundleFresh in src/cli/bundle.ts), compiled with a V8 code cache by their runner (src/cli/bundle-run.ts, built
// beside them as dist/bundle/run.cjs). ZKINFER_NO_BUNDLE=1, or no fresh bundle: the compiled modules under dist/src/.
const runner = join(root, 'dist', 'bundle', 'run.cjs');
const bundle = join(root, 'dist', 'bundle', `${process.argv[2] === 'prove' || process.argv[2] === 'eth' ? process.argv[2] : 'cli'}.cjs`);
const fresh = () => {
  try {
    const info = join(root, 'dist', '.tsbuildinfo');
    const tsc = statSync(existsSync(info) ? info : entry).mtimeMs;
    return statSync(bundle).mtimeMs >= tsc && statSync(runner).mtimeMs >= tsc;
  } catch {
    return false;
  }
};
const main = process.env.ZKINFER_NO_BUNDLE !== '1' && fresh()
  ? require(runner).runBundle(bundle)
  : import(pathToFileURL(entry).href).then((m) => m.runCli(process.argv));
// An error the program did not report itself (src/cli/program.ts reports every error of a command): one line, exit 1.
// Not rethrown: Node would print an uncaught error with the source line it was raised at, which for JSON.parse is the
// parsed text, a keyfile's secrets included. ZKINFER_DEBUG=1: rethrown with its stack (docs/network.md "CLI errors").
main.catch((err) => {
  process.exitCode = 1;
  if (process.env.ZKINFER_DEBUG === '1') throw err;
  const line = err instanceof Error ? `${err.name}: ${err.name === 'SyntaxError' ? 'invalid data (message withheld)' : String(err.message).split('\n', 1)[0]}` : 'unexpected failure';
  console.error(`error: ${line}\n  → ZKINFER_DEBUG=1 prints its stack`);
});
