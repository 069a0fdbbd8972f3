// Multi-input / multi-output models end to end (issue #12 item 1): ONNX with 1, 2, 4 and 16 float graph inputs
// and two outputs → compile → prove (EZKL input_data: one array per graph input, graph order) → verify with the
// verifier's own inputs. Before the format module, every input was written to the circuit's `in` signal.
import { inputWidths, packedWordCount } from '../../src/zkml/format/packing.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// through the package's main entry, as a library user writes `import { compile, prove, verify } from 'zkinfer'`
import { closeDefaultPools, compile, prove, releaseSnarkjsCurve, verify } from '../../src/zkml/index.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { testCache } from './prove-fixtures.js';

after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

/** sum = x0 + Σ_k≥1 (k+1)·x_k (elementwise over [1,2]); act = Relu(0.5·sum): N inputs, 2 outputs. */
function model(n: number): Uint8Array {
  const b = new OnnxBuilder(`multi-in-${n}`);
  let acc = b.input('x0', [1, 2]);
  for (let k = 1; k < n; k++) {
    const xk = b.input(`x${k}`, [1, 2]);
    const m = b.node('Mul', [xk, b.init(`c${k}`, [1], [k + 1])], [`m${k}`]);
    acc = b.node('Add', [acc, m], [`a${k}`]);
  }
  b.node('Identity', [acc], ['sum']);
  const h = b.node('Mul', [acc, b.init('half', [1], [0.5])], ['h']);
  b.node('Relu', [h], ['act']);
  b.output('sum', [1, 2]);
  b.output('act', [1, 2]);
  return b.toBytes();
}

const work = join(testCache, 'multi-io');
const inputOf = (n: number) => Array.from({ length: n }, (_, k) => [((k % 5) - 2) * 0.25, ((k % 3) - 1) * 0.125 + 0.0625]);

for (const n of [1, 2, 4, 16]) {
  test(`${n} float input(s), 2 outputs: compile → prove → verify binds every input in graph order`, async () => {
    await mkdir(work, { recursive: true });
    const onnx = join(work, `multi-in-${n}.onnx`);
    await writeFile(onnx, model(n));
    const { metadata } = await compile(onnx, { outDir: join(work, `c${n}`), cacheDir: testCache, scale: 6 });
    assert.deepEqual(metadata.inputs.map((t) => t.name), Array.from({ length: n }, (_, k) => `x${k}`));
    assert.deepEqual(metadata.outputs.map((t) => t.name), ['sum', 'act']);
    // outputs (2 × 2), then every input value (n × 2) packed into words in graph order, then the recipient
    const words = packedWordCount(inputWidths(metadata.inputs));
    assert.ok(words < 2 * n || n === 1);
    assert.deepEqual(metadata.publicLayout.packed, { offset: 4, words });
    assert.equal(metadata.publicLayout.total, 4 + words + 1);
    assert.equal(metadata.publicLayout.recipient, 4 + words);

    const xs = inputOf(n);
    const pf = await prove(join(work, `c${n}`), { input_data: xs }, { prover: 'snarkjs' });
    const sum = [0, 1].map((i) => xs.reduce((a, x, k) => a + (k === 0 ? 1 : k + 1) * x[i]!, 0));
    assert.deepEqual(pf.outputs[0], sum, 'sum of every input, in graph order');
    assert.deepEqual(pf.outputs[1], sum.map((s) => Math.max(0, s / 2)));
    // each input's values sit in its own slot of the public signals
    const r = await verify(join(work, `c${n}`), pf, { input: { input_data: xs } });
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.inputsBound, true);
    // the recipient is bound like an input: a proof for recipient 0 fails for recipient 1
    assert.equal((await verify(join(work, `c${n}`), pf, { input: { input_data: xs }, recipient: 1n })).valid, false);
    if (n > 1) {
      // the same values for other inputs (two inputs swapped) are not the proof's inputs
      const swapped = [xs[1]!, xs[0]!, ...xs.slice(2)];
      const bad = await verify(join(work, `c${n}`), pf, { input: { input_data: swapped } });
      assert.equal(bad.valid, false);
      assert.match(bad.reason ?? '', /not for the verifier's inputs/);
    }
  });
}
