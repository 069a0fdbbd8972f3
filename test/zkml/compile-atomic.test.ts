// A compile is all-or-nothing (docs/zkml-compile.md "Output directory"): a failed or interrupted compile into an
// existing circuit directory leaves it byte for byte as it was, usable, with no build directory behind; and the
// source/ a miner serves for the audit is refused when its model is not the circuit's (docs/competitions.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { CompileSourceError, readCompileSource } from '../../src/zkml/source.js';
import { CircuitStore, servedArtifacts } from '../../src/miner/circuit-store.js';
import { SynapseParsingError } from '../../src/protocol/errors.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { startCli } from '../lifecycle/spawn-cli.js';
import { testCache, zkinfer } from './prove-fixtures.js';

const work = join(testCache, `compile-atomic-${process.pid}`);
const D = join(work, 'D');
const env = { ZKINFER_CACHE_DIR: join(testCache, 'user-cache') };

/** A small MatMul + Add + Relu model: 2 → `n` outputs. */
function model(name: string, n: number, opset = 17): Uint8Array {
  const b = new OnnxBuilder(name, opset);
  b.input('x', [1, 2]);
  const m = b.node('MatMul', ['x', b.init('W', [2, n], Array.from({ length: 2 * n }, (_, i) => ((i % 7) - 3) / 4))], ['m']);
  const a = b.node('Add', [m, b.init('B', [n], Array.from({ length: n }, (_, i) => (i % 3) / 10))], ['a']);
  b.node('Relu', [a], ['y']);
  b.output('y', [1, n]);
  return b.toBytes();
}

/**
 * Every file under `dir` with its sha256 (relative paths), except the native prover's key sidecar, which each
 * `zkinfer prove` rewrites (docs/native-prover.md) and no compile writes.
 */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!n.endsWith('.zkn')) out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const leftovers = (): string[] => [...readdirSync(work), ...readdirSync(D)].filter((n) => n.includes('zkinfer-build'));

function usable(tag: string): void {
  const proof = join(work, `proof-${tag}.json`);
  const p = zkinfer(['prove', D, '--input', join(work, 'in.json'), '--out', proof], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const v = zkinfer(['verify', D, proof, '--input', join(work, 'in.json')], env);
  assert.equal(v.code, 0, v.stdout + v.stderr);
}

let good: Record<string, string>;
before(() => {
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'tiny.onnx'), model('tiny', 2));
  writeFileSync(join(work, 'wide.onnx'), model('wide', 300)); // its fresh setup takes seconds: time to interrupt it
  writeFileSync(join(work, 'opset99.onnx'), model('opset99', 2, 99));
  writeFileSync(join(work, 'in.json'), JSON.stringify({ input_data: [[0.5, -0.3]] }));
  const c = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', D, '--precision', 'fast'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  writeFileSync(join(D, 'notes.txt'), 'the user\'s own file\n'); // not the compiler's: kept by every later compile
  good = snapshot(D);
});
after(async () => { rmSync(work, { recursive: true, force: true }); await releaseSnarkjsCurve(); });

test('a failed compile into an existing circuit directory leaves it byte-identical and usable, with no build directory behind', () => {
  // a model onnxruntime refuses (fails after quantization), and a good model with a missing --ptau
  const bad = zkinfer(['compile', join(work, 'opset99.onnx'), '--out', D], env);
  assert.notEqual(bad.code, 0, bad.stdout + bad.stderr);
  assert.deepEqual(snapshot(D), good);
  const noPtau = zkinfer(['compile', join(work, 'wide.onnx'), '--out', D, '--ptau', join(work, 'missing.ptau')], env);
  assert.equal(noPtau.code, 2, noPtau.stdout + noPtau.stderr);
  assert.deepEqual(snapshot(D), good);
  assert.deepEqual(leftovers(), []);
  usable('failed');
  // a compile that fails into a new directory leaves nothing at all (not even the folders above it)
  const fresh = join(work, 'new', 'deeper', 'E');
  assert.notEqual(zkinfer(['compile', join(work, 'opset99.onnx'), '--out', fresh], env).code, 0);
  assert.deepEqual(readdirSync(work).filter((n) => n === 'new' || n.includes('zkinfer-build')), []);
});

test('Ctrl-C in the middle of a recompile leaves the old directory byte-identical and usable, and removes the build directory', async () => {
  // a fresh cache: the setup generates its dev powers of tau and key, seconds after the self-check
  const cache = mkdtempSync(join(work, 'cache-'));
  const run = startCli(['--cache-dir', cache, 'compile', join(work, 'wide.onnx'), '--out', D, '--precision', 'accurate'], { env });
  await run.waitFor(/self-check 1\/1 done/, 120_000);
  assert.ok(readdirSync(work).some((n) => n.startsWith('.D.zkinfer-build-')), 'the build directory exists mid-compile');
  run.proc.kill('SIGINT');
  const r = await run.exited(60_000);
  assert.equal(r.code, 130, run.out() + run.err());
  assert.match(run.err(), /SIGINT: compile interrupted; .* left as it was/);
  assert.deepEqual(snapshot(D), good);
  assert.deepEqual(leftovers(), []);
  usable('interrupted');
});

test('Ctrl-C while a large model\'s constraints are generated (one long synchronous call) ends the compile at once; the next compile of that --out removes its build directory', async () => {
  // [1, 2048] × [2048, 2048] into a Relu: 2^22 multiply-adds folded into the Relu's inputs, ≈ 10 s of constraint
  // generation on a loaded 2-core machine that no signal handler could interrupt (over 10 minutes at 4096: docs/zkml-compile.md
  // "Output directory")
  const n = 2048;
  const b = new OnnxBuilder('large', 17);
  b.input('x', [1, n]);
  const m = b.node('MatMul', ['x', b.init('W', [n, n], Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 101 - 50) / 2000))], ['m']);
  const r = b.node('Relu', [m], ['r']);
  b.node('MatMul', [r, b.init('V', [n, 2], Float32Array.from({ length: 2 * n }, (_, i) => ((i % 13) - 6) / 50))], ['y']);
  b.output('y', [1, 2]);
  writeFileSync(join(work, 'large.onnx'), b.toBytes());
  const out = join(work, 'large');
  const run = startCli(['compile', join(work, 'large.onnx'), '--out', out], { env });
  await run.waitFor(/error 1\/1 done/, 600_000); // the constraint generation starts right after this line
  await new Promise((r) => setTimeout(r, 1000));
  run.proc.kill('SIGINT');
  const exit = await run.exited(10_000);
  assert.equal(exit.signal, 'SIGINT', run.err());
  assert.equal(readdirSync(work).filter((f) => f.startsWith('.large.zkinfer-build-')).length, 1, 'its build directory is left');
  const next = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', out, '--precision', 'fast'], env);
  assert.equal(next.code, 0, next.stdout + next.stderr);
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.large.zkinfer-build-')), [], 'removed by the next compile of the same --out');
});

test('a successful recompile replaces the circuit and keeps the user\'s other files; an identical one reuses it', () => {
  const again = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', D, '--precision', 'fast'], env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /reused cached artifacts/);
  assert.deepEqual(snapshot(D), good);
  const other = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', D, '--precision', 'accurate'], env);
  assert.equal(other.code, 0, other.stdout + other.stderr);
  assert.equal(JSON.parse(readFileSync(join(D, 'metadata.json'), 'utf8')).precision, 'accurate');
  assert.equal(JSON.parse(readFileSync(join(D, 'source', 'compile.json'), 'utf8')).precision, 'accurate');
  assert.equal(readFileSync(join(D, 'notes.txt'), 'utf8'), 'the user\'s own file\n');
  assert.deepEqual(leftovers(), []);
  usable('recompiled');
});

test('source/model.onnx that is not the circuit\'s model is refused by the source loader and not served for the audit', async () => {
  const copy = join(work, 'edited');
  const c = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', copy, '--precision', 'fast'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.ok(await readCompileSource(copy), 'the compiled source reads');
  writeFileSync(join(copy, 'source', 'model.onnx'), readFileSync(join(work, 'wide.onnx')));
  await assert.rejects(readCompileSource(copy), (e: unknown) => e instanceof CompileSourceError && e.code === 'SOURCE_MISMATCH' && /metadata\.modelSha256/.test(e.message));
  const store = new CircuitStore();
  const served = await store.add(copy);
  await assert.rejects(servedArtifacts(store, served.id, true), (e: unknown) => e instanceof SynapseParsingError && /source\/model\.onnx has sha256/.test(e.message));
});
