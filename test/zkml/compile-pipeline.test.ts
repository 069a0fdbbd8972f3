// End to end: compile (import → quantize → codegen → circom2 → setup → metadata) → prove → verify, the artifact
// cache, and the PyTorch-exported LSTM. Artifacts are cached under .cache/ (a cold run does the dev setup).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CircuitMetadataSchema } from '../../src/zkml/format/metadata.js';
import { compile, emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { importOnnxFile } from '../../src/zkml/onnx/import.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { checkInputRange, InputRangeError } from '../../src/zkml/quantize/input-range.js';
import { presetVariants, PRESETS } from '../../src/zkml/quantize/precision.js';
import { verify } from '../../src/zkml/verify/index.js';
import { lstmModel, mlpModel, rand } from '../fixtures/onnx/models.js';
import { CACHE, repoRoot } from '../fixtures/onnx/paths.js';

// the setup cache (dev ptau files, keys) is shared with the setup/prove tests
const setupCache = join(repoRoot(), '.cache', 'zkinfer-test');
after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

test('compile an MLP with a calibration file: metadata, per-op constraints, error, cache, prove, verify', async () => {
  mkdirSync(join(CACHE, 'models'), { recursive: true });
  const modelPath = join(CACHE, 'models', 'mlp.onnx');
  writeFileSync(modelPath, mlpModel());
  const calib = join(CACHE, 'models', 'mlp-calibration.json');
  writeFileSync(calib, JSON.stringify({ input_data: [rand(77, 4 * 6, 2)] })); // 6 samples of [1,4]
  const outDir = join(CACHE, 'art-mlp');
  const stages: string[] = [];
  const res = await compile(modelPath, { outDir, calibration: calib, cacheDir: setupCache, onProgress: (s) => stages.push(s) });
  const md = CircuitMetadataSchema.parse(res.metadata);
  assert.equal(md.name, 'mlp');
  assert.equal(md.security, 'INSECURE-DEV');
  assert.equal(md.ops.reduce((s, o) => s + o.constraints, 0), md.constraints, 'per-op constraints add up to the circuit');
  assert.ok(md.ops.some((o) => o.op === 'Sigmoid') && md.ops.some((o) => o.op === 'Relu'));
  // layout v2: outputs, the 4 inputs packed into one word (docs/eth.md "Packed public inputs"), the recipient
  assert.deepEqual(md.publicLayout, { version: 2, outputs: [{ name: 'y', offset: 0, length: 3 }], inputs: [{ name: 'x', offset: 0, length: 4 }], packed: { offset: 3, words: 1 }, recipient: 4, total: 5 });
  assert.equal(md.error?.samples, 6);
  assert.ok(md.error!.maxAbs < 0.03, `quantization error ${md.error!.maxAbs}`);
  assert.ok(md.inputs[0]!.rangeBits - md.inputs[0]!.scaleBits >= 2, 'calibration samples (|x| < 2) fit the input range');
  const audit = readFileSync(join(outDir, 'circuit.circom'), 'utf8');
  assert.match(audit, /^\/\/ ONNX node ".+" \((Gemm|Relu|Sigmoid|MatMul)\)/m, 'the audit export has a template per ONNX node');

  // the same model + options + ptau reuses the artifacts; another scale does not
  const again = await compile(modelPath, { outDir, calibration: calib, cacheDir: setupCache });
  assert.equal(again.cached, true);
  assert.equal(again.metadata.id, md.id);

  // prove with the prove engineer's API: the circuit's outputs equal the exact integer emulation
  const x = rand(5, 4, 1.2);
  const proof = await prove(outDir, { input_data: [x] }, { prover: 'snarkjs' });
  const { graph } = await importOnnxFile(modelPath);
  const calSamples = Array.from({ length: 6 }, (_, k) => [rand(77, 24, 2).slice(4 * k, 4 * k + 4)]);
  // the preset's table variant the calibration search chose (metadata.tableVariant) at the scale it chose
  const tables = presetVariants(PRESETS[md.precision ?? 'balanced'])[md.tableVariant ?? 0]!;
  const emu = emulateFloat(quantizeGraph(graph, md.inputs[0]!.scaleBits, calSamples, { precision: tables }), [x]);
  assert.deepEqual(proof.outputs[0], emu, 'proven outputs = exact integer emulation');
  const ok = await verify(outDir, proof, { input: { input_data: [x] } });
  assert.equal(ok.valid, true, ok.reason);
  // an input beyond the range check is refused before proving
  assert.throws(() => checkInputRange(md, [[1e6, 0, 0, 0]]), InputRangeError);
});

test('recompiling at another scale changes the circuit', async () => {
  const modelPath = join(CACHE, 'models', 'mlp.onnx');
  const a = await compile(modelPath, { outDir: join(CACHE, 'art-mlp-s6'), scale: 6, cacheDir: setupCache });
  const b = await compile(modelPath, { outDir: join(CACHE, 'art-mlp-s10'), scale: 10, cacheDir: setupCache });
  assert.notEqual(a.metadata.id, b.metadata.id);
  assert.ok(a.metadata.constraints < b.metadata.constraints);
  assert.equal(a.metadata.inputs[0]!.scaleBits, 6);
});

test('an LSTM with PyTorch-style Slice/Squeeze wrappers compiles, proves and verifies through the CLI path', async () => {
  const modelPath = join(CACHE, 'models', 'lstm-small.onnx');
  writeFileSync(modelPath, lstmModel({ steps: 3, input: 2, hidden: 3 }));
  const outDir = join(CACHE, 'art-lstm-small');
  const res = await compile(modelPath, { outDir, scale: 7, cacheDir: setupCache });
  const md = res.metadata;
  assert.ok(md.ops.some((o) => o.op === 'LSTM' && o.constraints > 0));
  assert.ok(md.error!.maxAbs < 0.05, `quantization error ${md.error!.maxAbs}`);
  const x = rand(9, 6, 1);
  const proof = await prove(outDir, { input_data: [x] }, { prover: 'snarkjs' });
  assert.equal((await verify(outDir, proof, { input: { input_data: [x] } })).valid, true);
  // a verifier with different inputs rejects the proof
  const other = [...x];
  other[0] = x[0]! + 0.5;
  assert.equal((await verify(outDir, proof, { input: { input_data: [other] } })).valid, false);
});

test('zkinfer compile (CLI): prints constraints per op, the error and INSECURE-DEV; bad input is a clear error', async () => {
  const { main } = await import('../../src/cli/main.js');
  const modelPath = join(CACHE, 'models', 'mlp.onnx');
  writeFileSync(modelPath, mlpModel());
  const lines: string[] = [];
  const orig = console.log, origErr = console.error, origWrite = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { lines.push(a.join(' ')); };
  process.stderr.write = ((s: string) => { lines.push(String(s)); return true; }) as typeof process.stderr.write;
  const prevCache = process.env['ZKINFER_CACHE_DIR'];
  process.env['ZKINFER_CACHE_DIR'] = setupCache;
  try {
    process.exitCode = 0;
    await main(['node', 'zkinfer', 'compile', modelPath, '--out', join(CACHE, 'art-mlp-s6'), '--scale', '6']);
    assert.equal(process.exitCode ?? 0, 0);
    const out = lines.join('\n');
    assert.match(out, /INSECURE-DEV/);
    assert.match(out, /constraints per op:/);
    assert.match(out, /Sigmoid\s+\d+/);
    assert.match(out, /error vs onnxruntime \(8 samples\): max/);
    assert.match(out, /quantize (\d+)\/\1 done in/, 'quantize reports progress per graph node');
    lines.length = 0;
    await main(['node', 'zkinfer', 'compile', join(CACHE, 'models', 'no-such.onnx'), '--out', join(CACHE, 'art-none')]);
    assert.equal(process.exitCode, 2);
    assert.match(lines.join('\n'), /cannot read ONNX model/);
  } finally {
    console.log = orig; console.error = origErr; process.stderr.write = origWrite;
    if (prevCache === undefined) delete process.env['ZKINFER_CACHE_DIR']; else process.env['ZKINFER_CACHE_DIR'] = prevCache;
    process.exitCode = 0;
  }
});
