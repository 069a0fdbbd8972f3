// Test fixtures for the native prover: small Circom circuits compiled with circom2, their keys made by snarkjs's
// `zkey new` from a power-11 dev ptau (src/zkml/setup/dev-ptau.ts: ≈ 1 s, where snarkjs's own powersoftau new +
// contribute + prepare phase2 took ≈ 33 s, most of a cold test run's fixture time; test/zkml/setup-circuit.test.ts
// has snarkjs verify keys made from that ptau), cached under .cache/native-test/. Everything here is INSECURE-DEV
// test material.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { packageRoot } from '../../src/zkml/prove/native/addon.js';
import { getDevPtau } from '../../src/zkml/setup/dev-ptau.js';

export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const ROOT = packageRoot();
export const CACHE = join(ROOT, '.cache', 'native-test');
const PTAU_POWER = 11;

export interface Fixture {
  name: string;
  zkey: string;
  wasm: string;
  vk: Record<string, unknown>;
}

/** Circuits under test. Each is small; `mix` fills a 2^11 domain so the multi-threaded MSM paths run. */
export const CIRCUITS: Record<string, string> = {
  // Products of public inputs: exercises 0, p−1 and small negative values as witness scalars.
  prod: `pragma circom 2.0.0;
template Prod(N) {
  signal input x[N];
  signal output y[N];
  signal t[N];
  for (var i = 0; i < N; i++) {
    t[i] <== x[i] * x[(i + 1) % N];
    y[i] <== t[i] * x[i] + 1;
  }
}
component main {public [x]} = Prod(8);
`,
  // Many public signals: 96 public inputs and 96 outputs.
  wide: `pragma circom 2.0.0;
template Wide(N) {
  signal input x[N];
  signal input k;
  signal output y[N];
  for (var i = 0; i < N; i++) {
    y[i] <== x[i] * k;
  }
}
component main {public [x]} = Wide(96);
`,
  // ~2000 constraints: small signed products (quantized-model-like) plus a squaring chain of full-size values.
  mix: `pragma circom 2.0.0;
template Mix(N) {
  signal input a[N];
  signal input b[N];
  signal output out;
  signal p[N];
  signal c[N];
  var acc = 0;
  for (var i = 0; i < N; i++) {
    p[i] <== a[i] * b[i];
    acc += p[i];
  }
  c[0] <== a[0] * a[0] + 7;
  for (var i = 1; i < N; i++) {
    c[i] <== c[i - 1] * c[i - 1] + b[i];
  }
  out <== c[N - 1] + acc;
}
component main = Mix(1000);
`,
};

/** Inputs for each circuit (field elements as decimal strings; negatives as p − |x|). */
export function inputsFor(name: string, variant = 0): Record<string, unknown> {
  const f = (x: bigint) => (((x % R) + R) % R).toString();
  if (name === 'prod') {
    const sets = [
      [0n, R - 1n, -5n, 7n, 123456789n, 1n, 2n, 3n],
      [R - 1n, R - 1n, R - 1n, R - 1n, 0n, 0n, 0n, 0n],
      [-1n, -2n, -3n, -4n, -(1n << 40n), 1n << 100n, R - 2n, 9n],
    ];
    return { x: sets[variant % sets.length]!.map(f) };
  }
  if (name === 'wide') {
    return { x: Array.from({ length: 96 }, (_, i) => f(BigInt(i - 48) * 1000n)), k: f(-3n - BigInt(variant)) };
  }
  if (name === 'mix') {
    const a = Array.from({ length: 1000 }, (_, i) => f(BigInt(((i * 37 + variant) % 255) - 127)));
    const b = Array.from({ length: 1000 }, (_, i) => f(BigInt(((i * 91 + 3 * variant) % 65535) - 32767)));
    return { a, b };
  }
  throw new Error(`no inputs for ${name}`);
}

function circom2Cli(): string {
  return createRequire(join(ROOT, 'package.json')).resolve('circom2/cli.js');
}

/** Run `build` once per `dir` across concurrent test processes (a mkdir lock, stale after 15 min). */
async function once(dir: string, build: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(join(dir, 'done'))) return;
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(join(dir, 'done'))) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished: retry */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(join(dir, 'done'))) return;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await build(tmp);
    writeFileSync(join(tmp, 'done'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A prepared phase-2 dev ptau at power 11 (about a second; cached). */
export async function testPtau(): Promise<string> {
  return (await getDevPtau(PTAU_POWER, { cacheDir: CACHE })).path;
}

/** Compile and set up one of CIRCUITS (cached). */
export async function fixture(name: string): Promise<Fixture> {
  const source = CIRCUITS[name];
  if (!source) throw new Error(`unknown circuit ${name}`);
  const ptau = await testPtau();
  const dir = join(CACHE, name);
  await once(dir, async (tmp) => {
    writeFileSync(join(tmp, `${name}.circom`), source);
    execFileSync(process.execPath, [circom2Cli(), `${name}.circom`, '--r1cs', '--wasm', '-o', tmp], { cwd: tmp, stdio: 'pipe' });
    await snarkjs.zKey.newZKey(join(tmp, `${name}.r1cs`), ptau, join(tmp, 'circuit.zkey'));
    const vk = await snarkjs.zKey.exportVerificationKey(join(tmp, 'circuit.zkey'));
    writeFileSync(join(tmp, 'vk.json'), JSON.stringify(vk));
  });
  return {
    name,
    zkey: join(dir, 'circuit.zkey'),
    wasm: join(dir, `${name}_js`, `${name}.wasm`),
    vk: JSON.parse(readFileSync(join(dir, 'vk.json'), 'utf8')) as Record<string, unknown>,
  };
}

/** Witness (.wtns bytes) for a fixture's inputs, computed by snarkjs from the circuit's wasm. */
export async function witness(fx: Fixture, input: Record<string, unknown>): Promise<Uint8Array> {
  const out: snarkjs.MemFile = { type: 'mem' };
  await snarkjs.wtns.calculate(input, fx.wasm, out);
  if (!out.data) throw new Error('snarkjs produced no witness');
  return out.data;
}

/** Stop snarkjs's bn128 worker threads so the test process can exit. */
export async function endSnarkjs(): Promise<void> {
  const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } | null }).curve_bn128;
  await curve?.terminate();
}
