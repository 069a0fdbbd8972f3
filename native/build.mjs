#!/usr/bin/env node
// Builds the native Groth16 prover addon with node-gyp, offline: headers come from the running Node's own
// install (<prefix>/include/node), never from the network. Usage:
//   node native/build.mjs             build (skipped when the addon is newer than every source); exit 1 on failure
//   node native/build.mjs --optional  same, but a failure only prints a notice (used by `npm install`)
//   node native/build.mjs --force     rebuild even when up to date
// Beside the addon it links the native one-shot `zkinfer prove` (src/cli_prove.cpp; docs/network.md "CLI start-up",
// round 21) from the addon's prover objects and its own sources; that one is optional in every mode: without it
// `zkinfer prove` runs in Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const optional = process.argv.includes('--optional');
const force = process.argv.includes('--force');
const output = join(here, 'build', 'Release', 'zkinfer_prover.node');
const program = join(here, 'build', 'Release', 'zkinfer-prove');
/** The program's own sources; it shares the addon's others (all of binding.gyp's but addon.cpp), linked from their objects. */
const PROGRAM_SOURCES = ['cli_prove', 'js_number', 'input_json', 'prove_plan'];

function fail(msg) {
  if (optional) {
    console.warn(`zkinfer: native prover not built (${msg}); falling back to snarkjs`);
    process.exit(0);
  }
  console.error(`zkinfer: native prover build failed: ${msg}`);
  process.exit(1);
}

function upToDate() {
  if (!existsSync(output) || !existsSync(program)) return false;
  const built = Math.min(statSync(output).mtimeMs, statSync(program).mtimeMs);
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

const objects = join(here, 'build', 'Release', 'obj.target', 'zkinfer_prover');
const shared = JSON.parse(readFileSync(join(here, 'binding.gyp'), 'utf8')).targets[0].sources
  .filter((f) => f !== 'src/addon.cpp').map((f) => join(objects, f.replace(/\.cpp$/, '.o')));
const link = spawnSync(process.env.CXX ?? 'c++', [
  '-O3', '-std=c++17', '-pthread', '-Wall', `-I${join(here, 'src')}`, `-I${join(prefix, 'include', 'node')}`,
  ...PROGRAM_SOURCES.map((n) => join(here, 'src', `${n}.cpp`)), ...shared,
  '-l:libcrypto.so.3', // the system's OpenSSL 3 (the addon uses the copy inside Node; same API, Node's headers)
  '-o', program,
], { stdio: ['ignore', 'inherit', 'inherit'] });
if (link.status === 0) console.log(`zkinfer: native \`zkinfer prove\` built: ${program}`);
else console.warn(`zkinfer: the native \`zkinfer prove\` was not built (the compiler exited with ${link.status ?? link.signal}); \`zkinfer prove\` runs in Node`);
