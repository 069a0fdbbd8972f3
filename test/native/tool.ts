// Builds a stand-alone C++ check under native/tools/ with the system g++, cached in .cache/native-test/ by a hash
// of its sources (every native/src header included), so a warm run costs nothing. The native/src units it needs are
// linked from the addon's own object files (node-gyp's, built by `npm ci`) when each is newer than its source and
// every header: the check then runs the very code the addon runs, and a clean clone does not compile those units a
// second time (endo_test: ≈ 4 s instead of ≈ 14 s); otherwise they are compiled from source. Used by endo.test.ts
// and field.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ROOT } from './fixtures.js';

const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
/** false, or why the native unit tests are skipped. */
export const noGxx: false | string = gxx.status === 0 ? false : 'g++ not found (needed to build the native unit test)';

/** `tool` is native/tools/<tool>.cpp; `units` the native/src/<unit>.cpp files it links. Returns the binary. */
export function buildNativeTool(tool: string, units: string[]): string {
  const headers = readdirSync(join(ROOT, 'native/src')).filter((f) => f.endsWith('.hpp')).sort().map((f) => `native/src/${f}`);
  const toolHeaders = readdirSync(join(ROOT, 'native/tools')).filter((f) => f.endsWith('.hpp')).sort().map((f) => `native/tools/${f}`);
  const objects = addonObjects(units, headers);
  const cpp = [`native/tools/${tool}.cpp`, ...(objects ? [] : units.map((u) => `native/src/${u}.cpp`))];
  const h = createHash('sha256');
  for (const f of [...cpp, ...(objects ?? []), ...headers, ...toolHeaders]) h.update(f).update(readFileSync(join(ROOT, f)));
  const bin = join(CACHE, `${tool}-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  // the addon's code-generation flags (node-gyp: position-independent, frame pointer kept), so the inline asm gets
  // the same few free registers as in the addon
  const args = ['-O2', '-std=c++17', '-pthread', '-fPIC', '-fno-omit-frame-pointer', `-I${join(ROOT, 'native/src')}`, ...[...cpp, ...(objects ?? [])].map((f) => join(ROOT, f)), '-o', tmp];
  const r = spawnSync('g++', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `g++ failed:\n${r.stderr}`);
  renameSync(tmp, bin);
  return bin;
}

/** The addon's object files of native/src/<unit>.cpp (relative to ROOT), if every one is newer than its source and every header. */
function addonObjects(units: string[], headers: string[]): string[] | undefined {
  const objects = units.map((u) => `native/build/Release/obj.target/zkinfer_prover/src/${u}.o`);
  try {
    const newestHeader = Math.max(...headers.map((f) => statSync(join(ROOT, f)).mtimeMs));
    const fresh = objects.every((o, i) => {
      const t = statSync(join(ROOT, o)).mtimeMs;
      return t >= newestHeader && t >= statSync(join(ROOT, 'native/src', `${units[i]}.cpp`)).mtimeMs;
    });
    return fresh ? objects : undefined;
  } catch {
    return undefined; // the addon is not built
  }
}
