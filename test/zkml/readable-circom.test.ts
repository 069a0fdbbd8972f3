// The readable .circom export (audit): one template per ONNX node with loops over constant tables, comments naming
// the nodes, no line over 120 characters — and it is the same circuit: circom2 compiles it to the constraint count of
// the direct backend, its witness for an input carries the direct witness's public signals and satisfies its r1cs,
// and a forged output or a changed public input fails both (docs/zkml-compile.md, "Audit export").
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileCircomSource } from '../../src/zkml/circom/compile.js';
import { exportReadableCircom, wrapLine } from '../../src/zkml/codegen/readable.js';
import { templatesDir } from '../../src/zkml/codegen/templates.js';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { programCost } from '../../src/zkml/quantize/program.js';
import { checkR1cs } from '../../src/zkml/r1cs/check.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { readR1cs } from '../../src/zkml/r1cs/read.js';
import { computeWitness } from '../../src/zkml/r1cs/witness.js';
import { asR1cs } from '../../src/zkml/r1cs/write.js';
import { lstmModel, rand } from '../fixtures/onnx/models.js';
import { MODELS, OP_MODELS } from '../fixtures/onnx/op-models.js';
import { NONLINEAR_MODELS } from '../fixtures/onnx/nonlinear-models.js';
import { CACHE } from '../fixtures/onnx/paths.js';

const CASES: Record<string, () => Uint8Array> = {
  'Gemm+Relu': OP_MODELS['Gemm+Relu']!,
  'MatMul+Sigmoid': OP_MODELS['MatMul+Sigmoid']!,
  'Mul (var×var)+Add': OP_MODELS['Mul (var×var)+Add']!,
  'Conv+MaxPool': OP_MODELS['Conv+MaxPool']!,
  'two inputs': OP_MODELS['two inputs: Add+Relu, Concat with a constant']!,
  ...MODELS,
  'LSTM whose Y_h repeats Y': () => lstmModel({ steps: 2, input: 2, hidden: 3, outputs: 2 }),
  'Tan (sin/cos tables, period reduction, signed div)': NONLINEAR_MODELS['Tan (proven |x| ≤ 1.4, and shifted by π: range reduction)']!.bytes,
};

for (const [name, make] of Object.entries(CASES)) {
  test(`readable .circom = direct backend: ${name}`, async () => {
    const graph = importOnnx(make(), name);
    const low = quantizeGraph(graph, 8, undefined);
    const src = exportReadableCircom(low.program, { nodeOps: low.nodeOps });
    const lines = src.split('\n');
    assert.ok(lines.every((l) => l.length <= 120), `a line of ${Math.max(...lines.map((l) => l.length))} characters`);
    for (const node of new Set(low.program.gadgets.map((g) => g.node))) {
      assert.ok(src.includes(`// ONNX node "${node.replace(/[\r\n]/g, ' ')}"`), `a comment names node ${node}`);
    }
    const nLayers = (src.match(/^template L\d+_/gm) ?? []).length;
    assert.ok(nLayers >= 1 && nLayers <= low.program.gadgets.length, 'one template per layer');
    assert.match(src, /for \(var i = 0; i < \d+; i\+\+\)/, 'loops');

    const tdir = templatesDir();
    const dir = join(CACHE, 'readable', createHash('sha256').update(src).update(readFileSync(join(tdir, 'zkinfer.circom'))).digest('hex').slice(0, 24));
    const r1csPath = join(dir, 'circuit.r1cs'), wasmPath = join(dir, 'circuit_js', 'circuit.wasm');
    if (!existsSync(r1csPath) || !existsSync(wasmPath)) await compileCircomSource(src, { outDir: dir, name: 'circuit', includeDirs: [tdir] });
    const r1cs = await readR1cs(r1csPath);
    assert.equal(r1cs.constraints.length, programCost(low.program), 'circom -O2 of the export = the direct backend\'s count');

    const nPub = 1 + low.program.outputs.length + low.program.nIn + 1;
    const ints = graph.inputs.flatMap((vi, i) => rand(21 + i, sizeOf(vi.shape), 1.5)).map((v) => toFixed(v, low.scale));
    const direct = emitProgram(low.program, { inputs: ints, constraints: true });
    const wc = await computeWitness(wasmPath, { in: ints.map((v) => toField(v).toString()), recipient: '0' });
    assert.deepEqual(wc.slice(0, nPub), direct.witness!.slice(0, nPub), 'same public signals as the direct witness');
    assert.deepEqual(checkR1cs(r1cs, wc), { ok: true, failures: 0 });
    assert.deepEqual(checkR1cs(asR1cs(direct), direct.witness!), { ok: true, failures: 0 });
    for (const at of [1, 1 + low.program.outputs.length]) { // a forged out[0], a changed in[0]
      const forge = (w: bigint[]) => w.map((x, i) => (i === at ? (x + 1n) % (toField(-1n) + 1n) : x));
      assert.equal(checkR1cs(r1cs, forge(wc)).ok, false, `circom export: wire ${at} changed must fail`);
      assert.equal(checkR1cs(asR1cs(direct), forge(direct.witness!)).ok, false, `direct: wire ${at} changed must fail`);
    }
  });
}

test('long lines are wrapped after separators, continuation indented', () => {
  const line = `    x <== ${Array.from({ length: 40 }, (_, i) => `(${i}) * b.bits[${i}]`).join(' + ')};`;
  const out = wrapLine(line);
  assert.ok(out.length > 1 && out.every((l) => l.length <= 120));
  assert.equal(out.join(' ').replace(/\s+/g, ' '), line.replace(/\s+/g, ' '));
  assert.ok(out.slice(1).every((l) => l.startsWith(' '.repeat(12))));
  const comment = `    // 5 × [${Array.from({ length: 20 }, () => 'Act_tanh_8_13_31_28()').join(', ')}]`;
  const wrapped = wrapLine(comment);
  assert.ok(wrapped.length > 1 && wrapped.every((l) => l.length <= 120 && l.trimStart().startsWith('//')), 'a wrapped comment stays a comment');
});

test('readable .circom of a layer with 200,000 gadgets whose arguments vary (a 2^22 CNN has such blocks)', () => {
  // RangeCheck(n) with n alternating 7, 8 on x with a large coefficient that differs each time: the argument range and
  // the coefficient tables' lines once overflowed the call stack (spread into call arguments)
  const N = 200_000;
  const gadgets = Array.from({ length: N }, (_, i) => ({ kind: 'range' as const, node: 'wide', x: { terms: new Map([[0, 2n ** 200n + BigInt(i)]]), c: BigInt(i) }, n: 7 + (i % 2) }));
  const input = { kind: 'range' as const, node: 'in', x: { terms: new Map([[0, 1n]]), c: 0n }, n: 8 }; // the input's own range check
  const text = exportReadableCircom({ nIn: 1, nSignals: 1, gadgets: [input, ...gadgets], outputs: [{ terms: new Map([[0, 1n]]), c: 0n }], bounds: [[0n, 1n]] });
  assert.match(text, /RangeCheck\(7…8\)/);
});
