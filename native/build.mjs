#!/usr/bin/env node
// Builds the native Groth16 prover addon with node-gyp, offline: headers come from the running Node's own
// install (<prefix>/include/node), never from the network. Usage:
//   node native/build.mjs             build (skipped when the addon is newer than every source); exit 1 on failure
//   node native/build.mjs --optional  same, but a failure only prints a notice (used by `npm install`)
//   node native/build.mjs --force     rebuild even when up to date
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const optional = process.argv.includes('--optional');
const force = process.argv.includes('--force');
const output = join(here, 'build', 'Release', 'zkinfer_prover.node');

function fail(msg) {
  if (optional) {
    console.warn(`zkinfer: native prover not built (${msg}); falling back to snarkjs`);
    process.exit(0);
  }
  console.error(`zkinfer: native prover build failed: ${msg}`);
  process.exit(1);
}

function upToDate() {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  const sources = [join(here, 'binding.gyp'), ...readdirSync(join(here, 'src')).map((f) => join(here, 'src', f))];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (process.env.ZKINFER_SKIP_NATIVE === '1') fail('ZKINFER_SKIP_NATIVE=1');
if (!force && upToDate()) {
  console.log('zkinfer: native prover is up to date');
  process.exit(0);
}

// node-gyp: the one npm passes to lifecycle scripts, else the one bundled with npm beside this node.
const prefix = dirname(dirname(process.execPath));
const candidates = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) fail('node-gyp not found (it ships with npm)');
if (!existsSync(join(prefix, 'include', 'node', 'node_api.h'))) fail(`Node headers not found under ${prefix}/include/node`);

const args = [candidates[0], 'rebuild', `--nodedir=${prefix}`, '--jobs=max', '--directory', here];
const res = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_nodedir: prefix } });
if (res.status !== 0 || !existsSync(output)) fail(`node-gyp exited with ${res.status ?? res.signal}`);
console.log(`zkinfer: native prover built: ${output}`);
