import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedModelDir } from '../../src/models/paths.js';
import { ZOO } from '../../src/models/zoo.js';
import { choosePrecision, emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { generateCircom } from '../../src/zkml/codegen/circom.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { readSamplesFile } from '../../src/zkml/quantize/calibration.js';

// The engine compiles each zoo model at the scale and table variant choosePrecision picks from the model's
// calibration.json (the cheapest setting within the preset's goal). Here the exact integer emulation of that circuit
// runs on *fresh* seeded requests (not the calibration samples, plus the extreme ±bound input) and must stay within
// 1 % of max(1, output range).
for (const model of ZOO) {
  test(`${model.name}: quantized circuit stays within the engine's error bound on fresh inputs`, async () => {
    const dir = shippedModelDir(model.name);
    const bytes = readFileSync(join(dir, 'model.onnx'));
    const graph = importOnnx(bytes, model.name);
    const calib = await readSamplesFile(graph, join(dir, 'calibration.json'));
    const { scale, preset } = choosePrecision(graph, calib);
    const low = quantizeGraph(graph, scale, calib, { precision: preset });
    const calibRef = await runOnnxRuntime(bytes, graph, calib);
    const range = Math.max(...calibRef.flatMap((o) => Array.from(o[0]!, Math.abs)));
    const bound = 0.01 * Math.max(1, range);

    const fresh = Array.from({ length: 8 }, (_, i) => [model.sampleInput(900 + i)]);
    if (model.inputBound !== undefined) {
      const n = model.inputShape.reduce((a, b) => a * b, 1);
      fresh.push([Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -model.inputBound! : model.inputBound!))]);
    }
    const ref = await runOnnxRuntime(bytes, graph, fresh);
    let worst = 0;
    fresh.forEach((sample, k) => {
      const q = emulateFloat(low, sample);
      q.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[k]![0]![i]!))));
    });
    assert.ok(worst <= bound, `scale ${scale}: max |circuit − float| ${worst} > bound ${bound}`);
    assert.ok(worst > 0, "fixed point is never exact: zero error would mean nothing was compared");
    // and the engine turns that program into a Circom circuit (circom + setup + prove run in compile-zoo.test.ts
    // for exit-mlp and in `npm run bench:models` for all four)
    const circuit = generateCircom(low.program);
    assert.match(circuit.source, /component main/);
    assert.equal(circuit.gadgetNames.length, low.program.gadgets.length);
  });
}
