// Soundness of every op template and of whole small models, on the compiled r1cs (witness-mutation harness):
// an honest witness satisfies every constraint and equals the exact integer emulation; a witness with a tampered
// output, rescale quotient, rescale remainder or product fails; out-of-range inputs are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { InputRangeError, checkInputRange } from '../../src/zkml/quantize/input-range.js';
import { linEval } from '../../src/zkml/quantize/lin.js';
import { emulate, programCost } from '../../src/zkml/quantize/program.js';
import { checkR1cs } from '../../src/zkml/r1cs/check.js';
import { tamperWitness } from '../../src/zkml/r1cs/mutate.js';
import { computeWitness } from '../../src/zkml/r1cs/witness.js';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { buildTestCircuit, type TestCircuit } from '../fixtures/onnx/circuit.js';
import { rand } from '../fixtures/onnx/models.js';
import { MODELS, OP_MODELS } from '../fixtures/onnx/op-models.js';

async function honestWitness(c: TestCircuit, seed: number): Promise<{ w: bigint[]; emulated: bigint[] }> {
  const xs = c.graph.inputs.flatMap((vi, i) => rand(seed + i, sizeOf(vi.shape), 1.5));
  const ints = xs.map((v) => toFixed(v, c.low.scale));
  const w = await computeWitness(c.wasmPath, { in: ints.map((v) => toField(v).toString()), recipient: '0' });
  return { w, emulated: emulate(c.program, ints).signals.concat(emulate(c.program, ints).outputs) };
}

async function checkCircuit(name: string, bytes: Uint8Array, opts: { seeds?: number[]; tampers?: number } = {}): Promise<void> {
  const c = await buildTestCircuit(name, bytes);
  // the per-gadget constraint accounting is exact
  assert.equal(c.r1cs.constraints.length, programCost(c.program), 'constraints per op add up to the r1cs');
  for (const seed of opts.seeds ?? [11, 12]) {
    const xs = c.graph.inputs.flatMap((vi, i) => rand(seed + i, sizeOf(vi.shape), 1.5));
    const ints = xs.map((v) => toFixed(v, c.low.scale));
    const w = await computeWitness(c.wasmPath, { in: ints.map((v) => toField(v).toString()), recipient: '0' });
    const em = emulate(c.program, ints);
    assert.deepEqual(checkR1cs(c.r1cs, w), { ok: true, failures: 0 }, `${name}: honest witness satisfies the r1cs`);
    // the emulation is the witness: outputs and every gadget output that survived as a wire
    em.outputs.forEach((o, i) => assert.equal(w[c.sym.get(`main.out[${i}]`)!], toField(o), `${name}: out[${i}]`));
    let compared = 0;
    c.program.gadgets.forEach((g, k) => {
      if (g.kind === 'range') return;
      const wire = c.sym.get(g.kind === 'mul' ? `main.${c.gadgetNames[k]}` : `main.${c.gadgetNames[k]}.out`);
      if (wire !== undefined && wire >= 0) { assert.equal(w[wire], toField(em.signals[g.out]!), `${name}: gadget ${k} (${g.kind})`); compared++; }
    });
    void compared; // gadget outputs that feed an output directly are merged into the output wire by -O2
    if (seed !== 11) continue;
    // tampering: a forged output, and each gadget's quotient / remainder / product
    for (let i = 0; i < em.outputs.length; i++) {
      assert.equal(checkR1cs(c.r1cs, tamperWitness(c, w, { kind: 'output', index: i })).ok, false, `${name}: tampered out[${i}] must fail`);
    }
    let tampered = 0;
    const step = Math.max(1, Math.floor(c.program.gadgets.length / (opts.tampers ?? 24)));
    c.program.gadgets.forEach((g, k) => {
      if (k % step !== 0 && (g.kind !== 'mul' || opts.tampers !== undefined)) return;
      // (-O2 may fold a product straight into an output wire; the output tamper above covers that case)
      const tries = g.kind === 'mul' ? ((c.sym.get(`main.${c.gadgetNames[k]}`) ?? -1) >= 0 ? (['product'] as const) : ([] as const)) : g.kind === 'range' ? (['quotient'] as const)
        : (g.kind === 'act' ? g.sx - g.table.st : g.d) > 0 ? (['quotient', 'remainder'] as const) : (['quotient'] as const);
      const honestValue = g.kind === 'mul' ? undefined : linEval(g.x, em.signals) + (1n << BigInt(g.n - 1));
      for (const kind of tries) {
        const bad = tamperWitness(c, w, kind === 'product' ? { kind, gadget: k } : { kind, gadget: k, honestValue: honestValue! });
        assert.equal(checkR1cs(c.r1cs, bad).ok, false, `${name}: tampered ${kind} of gadget ${k} (${g.kind}) must fail`);
        tampered++;
      }
    });
    assert.ok(tampered > 0);
  }
  // out-of-range inputs: the witness generator cannot satisfy the range check, and the prover-side check refuses
  const spec = c.low.inputs[0]!;
  const big = 2 ** (spec.rangeBits - c.low.scale);
  const ints = new Array(c.program.nIn).fill(0n);
  ints[0] = 1n << BigInt(spec.rangeBits);
  await assert.rejects(computeWitness(c.wasmPath, { in: ints.map((v: bigint) => toField(v).toString()), recipient: '0' }, { quiet: true }), /Assert Failed/, `${name}: witness for out-of-range input`);
  const meta = { name, inputs: c.low.inputs.map((i) => ({ name: i.name, signal: 'in', shape: i.shape, scaleBits: c.low.scale, rangeBits: i.rangeBits })) };
  const floats = c.low.inputs.map((i) => new Array(sizeOf(i.shape)).fill(0));
  checkInputRange(meta, floats);
  floats[0]![0] = big * 1.01;
  assert.throws(() => checkInputRange(meta, floats), InputRangeError);
  // …and a witness that forces the out-of-range value onto the input wire fails the r1cs
  const { w } = await honestWitness(c, 11);
  assert.equal(checkR1cs(c.r1cs, tamperWitness(c, w, { kind: 'signal', name: 'main.in[0]', delta: 1n << BigInt(spec.rangeBits + 1) })).ok, false);
}

for (const [name, make] of Object.entries({ ...OP_MODELS, ...MODELS })) {
  test(`soundness: ${name}`, async () => { await checkCircuit(name, make()); });
}

test('soundness: the PyTorch-exported LSTM (third-party ONNX, 5 steps × batch 2, hidden 8)', async () => {
  await checkCircuit('burn-pytorch-lstm', readFileSync(BURN_LSTM), { seeds: [11], tampers: 6 });
});
