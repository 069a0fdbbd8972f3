// The direct backend (r1cs straight from the fixed-point program, witness from the exact emulator) against the
// circom path on the same programs: equal constraint counts, both accept the honest witness of the same input with
// the same public signals, both reject the same mutations (forged outputs, quotients, remainders, products, inputs);
// the files it writes are read back by our reader and by snarkjs (zkey new + zkey verify, groth16 prove + verify).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as snarkjs from 'snarkjs';
import { compile } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { SetupError } from '../../src/zkml/setup/errors.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { linEval } from '../../src/zkml/quantize/lin.js';
import { emulate, programCost } from '../../src/zkml/quantize/program.js';
import { checkR1cs, checkR1csChange } from '../../src/zkml/r1cs/check.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { programPackPlan } from '../../src/zkml/r1cs/public-wires.js';
import { divisionTampers, tamperWitness, type CircuitView, type Tamper } from '../../src/zkml/r1cs/mutate.js';
import { readR1cs, readSym } from '../../src/zkml/r1cs/read.js';
import { computeWitness } from '../../src/zkml/r1cs/witness.js';
import { asR1cs, writeR1csFile, writeSymFile, wtnsBytes } from '../../src/zkml/r1cs/write.js';
import { getDevPtau } from '../../src/zkml/setup/dev-ptau.js';
import { writeDirectZkey } from '../../src/zkml/setup/direct-zkey.js';
import { readR1csHeader, requiredPower } from '../../src/zkml/setup/r1cs-header.js';
import { directWitness } from '../../src/zkml/witness/direct.js';
import { WitnessInputError } from '../../src/zkml/witness/errors.js';
import { programFromJson, programToJson } from '../../src/zkml/witness/program-file.js';
import { buildTestCircuit } from '../fixtures/onnx/circuit.js';
import { lstmModel, mlpModel, rand } from '../fixtures/onnx/models.js';
import { MODELS, OP_MODELS } from '../fixtures/onnx/op-models.js';
import { COVERAGE_MODELS } from '../fixtures/onnx/coverage-models.js';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { CACHE } from '../fixtures/onnx/paths.js';
import { zkeyVerifies } from './prove-fixtures.js';

after(releaseSnarkjsCurve);

const CASES: Record<string, () => Uint8Array> = {
  ...OP_MODELS,
  ...MODELS,
  ...Object.fromEntries(Object.entries(COVERAGE_MODELS).map(([k, c]) => [`coverage: ${k}`, c.bytes])),
  'model: LSTM whose Y_h repeats Y (an output equality)': () => lstmModel({ steps: 2, input: 2, hidden: 3, outputs: 2 }),
  'third-party: the PyTorch-exported LSTM': () => readFileSync(BURN_LSTM),
};

function directView(name: string, bytes: Uint8Array) {
  return buildTestCircuit(name, bytes).then((c) => {
    const emitted = emitProgram(c.program, { constraints: true });
    const view: CircuitView = {
      r1cs: asR1cs(emitted), program: c.program, gadgetNames: emitted.gadgetNames,
      sym: new Map(emitted.labels.map((l) => [l.name, l.wire])),
    };
    return { circom: c, direct: view, emitted };
  });
}

/** Every tamper the harness can apply to gadget k, with the honest bit-decomposed value. */
function tampersOf(c: CircuitView, k: number, signals: bigint[]): Tamper[] {
  const g = c.program.gadgets[k]!;
  if (g.kind === 'mul') return (c.sym.get(`main.${c.gadgetNames[k]}`) ?? -1) >= 0 ? [{ kind: 'product', gadget: k }] : [];
  if (g.kind === 'div') return divisionTampers(c, k, signals);
  const honestValue = linEval(g.x, signals) + (1n << BigInt(g.n - 1));
  const d = g.kind === 'act' ? g.sx - g.table.st : g.kind === 'range' ? 0 : g.d;
  return d > 0 ? [{ kind: 'quotient', gadget: k, honestValue }, { kind: 'remainder', gadget: k, honestValue }] : [{ kind: 'quotient', gadget: k, honestValue }];
}

for (const [name, make] of Object.entries(CASES)) {
  test(`direct backend = circom path: ${name}`, async () => {
    const { circom, direct } = await directView(name, make());
    const nWords = programPackPlan(circom.program).length;
    assert.equal(direct.r1cs.constraints.length, programCost(circom.program), 'each word is solved for an input: free');
    assert.equal(direct.r1cs.constraints.length, circom.r1cs.constraints.length, 'same constraint count as circom -O2');
    const nPub = 1 + circom.program.outputs.length + nWords + 1; // outputs, packed inputs, recipient
    for (const seed of [11, 12]) {
      const ints = circom.graph.inputs.flatMap((vi, i) => rand(seed + i, sizeOf(vi.shape), 1.5)).map((v) => toFixed(v, circom.low.scale));
      const wc = await computeWitness(circom.wasmPath, { in: ints.map((v) => toField(v).toString()), recipient: '0' });
      const wd = directWitness(circom.program, ints.map(toField));
      assert.deepEqual(checkR1cs(circom.r1cs, wc), { ok: true, failures: 0 });
      assert.deepEqual(checkR1cs(direct.r1cs, wd), { ok: true, failures: 0 }, 'the emulator witness satisfies the direct r1cs');
      assert.deepEqual(wd.slice(0, nPub), wc.slice(0, nPub), 'same public signals');
      if (seed !== 11) continue;
      // the witness-only walk folds rows off the outputs' cone (docs/zkml-compile.md "Witness-only walk"): the same
      // witness, wire for wire, as the walk that writes the constraints
      assert.deepEqual(wd, emitProgram(circom.program, { inputs: ints, constraints: true }).witness, 'folded walk = constraint walk');
      const signals = emulate(circom.program, ints).signals;
      let compared = 0;
      for (let i = 0; i < circom.program.outputs.length; i++) {
        const t: Tamper = { kind: 'output', index: i };
        assert.equal(checkR1csChange(circom.r1cs, wc, tamperWitness(circom, wc, t)).ok, false);
        assert.equal(checkR1csChange(direct.r1cs, wd, tamperWitness(direct, wd, t)).ok, false, `direct: forged out[${i}]`);
      }
      // every gadget of the small circuits; an even spread of 40 in the larger ones
      const step = Math.max(1, Math.floor(circom.program.gadgets.length / 40));
      for (let k = 0; k < circom.program.gadgets.length; k += step) {
        for (const t of tampersOf(direct, k, signals)) {
          // a one-bit remainder (d = 1) is implied by x and q: no witness can change it alone, nothing to forge
          const g = direct.program.gadgets[k]!;
          if (t.kind === 'remainder' && g.kind !== 'mul' && g.kind !== 'range' && g.kind !== 'div' && (g.kind === 'act' ? g.sx - g.table.st : g.d) === 1) {
            assert.throws(() => tamperWitness(direct, wd, t), /optimised-away/);
            continue;
          }
          assert.equal(checkR1csChange(direct.r1cs, wd, tamperWitness(direct, wd, t)).ok, false, `direct: ${t.kind} of gadget ${k} must fail`);
          let onCircom: bigint[] | undefined;
          try { onCircom = tamperWitness(circom, wc, t); } catch { /* -O2 removed that wire on the circom side */ }
          if (onCircom) assert.equal(checkR1csChange(circom.r1cs, wc, onCircom).ok, false, `circom: ${t.kind} of gadget ${k} must fail`);
          compared++;
        }
      }
      assert.ok(compared > 0);
      // a changed public input (witness not recomputed) fails both
      // (inputs are private: one an output or a packed word was solved for has no wire of its own)
      const live = (i: number) => [direct, circom].every((v) => (v.sym.get(`main.in[${i}]`) ?? -1) >= 0);
      const inLive = Array.from({ length: circom.program.nIn }, (_, i) => i).find(live);
      if (inLive !== undefined) {
        const t: Tamper = { kind: 'signal', name: `main.in[${inLive}]`, delta: 1n };
        assert.equal(checkR1csChange(circom.r1cs, wc, tamperWitness(circom, wc, t)).ok, false);
        assert.equal(checkR1csChange(direct.r1cs, wd, tamperWitness(direct, wd, t)).ok, false);
      }
      // a changed packed public word (inputs unchanged) fails both; so does a re-split of the same word (in[0]
      // carried into in[1]'s bits): the range checks make the unpacking unique
      const w: Tamper = { kind: 'signal', name: 'main.packed[0]', delta: 1n };
      assert.equal(checkR1csChange(circom.r1cs, wc, tamperWitness(circom, wc, w)).ok, false);
      assert.equal(checkR1csChange(direct.r1cs, wd, tamperWitness(direct, wd, w)).ok, false);
      const first = programPackPlan(circom.program)[0]!;
      if (first.length > 2 && live(0) && live(1)) {
        const carry = (v: CircuitView, wit: bigint[]) => tamperWitness(v, tamperWitness(v, wit, { kind: 'signal', name: 'main.in[0]', delta: 1n << BigInt(first[0]!.width) }), { kind: 'signal', name: 'main.in[1]', delta: -1n });
        assert.equal(checkR1csChange(direct.r1cs, wd, carry(direct, wd)).ok, false, 'direct: re-split packed word');
        assert.equal(checkR1csChange(circom.r1cs, wc, carry(circom, wc)).ok, false, 'circom: re-split packed word');
      }
    }
    // an input out of the compiled range: the circom witness asserts, the direct witness is a typed error
    const spec = circom.low.inputs[0]!;
    const bad = new Array<bigint>(circom.program.nIn).fill(0n);
    bad[0] = 1n << BigInt(spec.rangeBits);
    await assert.rejects(computeWitness(circom.wasmPath, { in: bad.map((v) => toField(v).toString()), recipient: '0' }, { quiet: true }));
    assert.throws(() => directWitness(circom.program, bad.map(toField)), WitnessInputError);
  });
}

test('direct files: .r1cs/.sym read back, the witness program round-trips, snarkjs sets up, proves and verifies', async () => {
  const dir = join(CACHE, `direct-files-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const { circom, emitted } = await directView('model: MLP', mlpModel());
    const r1csPath = join(dir, 'c.r1cs'), symPath = join(dir, 'c.sym');
    await writeR1csFile(r1csPath, emitted);
    await writeSymFile(symPath, emitted);
    const back = await readR1cs(r1csPath);
    assert.deepEqual(back.constraints, emitted.constraints.toArray());
    assert.equal(back.nWires, emitted.nWires);
    const sym = await readSym(symPath);
    assert.equal(sym.get('main.out[0]'), 1);
    assert.ok([...sym.keys()].some((n) => n.includes('.b.bits[')) && [...sym.keys()].every((n) => n.startsWith('main.')));
    // the witness program file computes the same witness
    const p2 = programFromJson(programToJson(circom.program));
    const ints = rand(3, 4, 1).map((v) => toFixed(v, circom.low.scale));
    assert.deepEqual(directWitness(p2, ints.map(toField)), directWitness(circom.program, ints.map(toField)));
    // a program written for another wire layout, or not a program at all, is a typed error
    const json = JSON.parse(programToJson(circom.program)) as Record<string, unknown>;
    assert.throws(() => programFromJson(JSON.stringify({ ...json, layout: -1 })), (e: unknown) => e instanceof WitnessInputError && /layout/.test(e.message));
    assert.throws(() => programFromJson('{"format": "x"}'), WitnessInputError);
    // snarkjs: zkey from its own `zkey new` and ours agree byte for byte, zkey verify passes, a proof verifies
    const power = requiredPower(await readR1csHeader(r1csPath));
    const ptau = await getDevPtau(power, { cacheDir: join(CACHE, 'setup') });
    const mine = join(dir, 'direct.zkey'), ref = join(dir, 'new.zkey'), final = join(dir, 'final.zkey');
    await writeDirectZkey({ r1csPath, zkeyPath: mine, toxic: ptau.toxic, ptauPower: ptau.power });
    await snarkjs.zKey.newZKey(r1csPath, ptau.path, ref);
    assert.ok(readFileSync(mine).equals(readFileSync(ref)), 'direct zkey bytes == snarkjs zkey new bytes');
    await snarkjs.zKey.contribute(mine, final, 'test', 'entropy');
    assert.equal(await zkeyVerifies(r1csPath, ptau.path, final), true);
    const wtns = wtnsBytes(directWitness(circom.program, ints.map(toField)));
    const { proof, publicSignals } = await snarkjs.groth16.prove(final, wtns);
    const vk = await snarkjs.zKey.exportVerificationKey(final);
    assert.equal(await snarkjs.groth16.verify(vk, publicSignals, proof), true);
    const forged = [...publicSignals];
    forged[0] = (BigInt(forged[0]!) + 1n).toString();
    assert.equal(await snarkjs.groth16.verify(vk, forged, proof), false, 'a changed output is rejected');
    const forgedIn = [...publicSignals];
    forgedIn[forgedIn.length - 1] = (BigInt(forgedIn[forgedIn.length - 1]!) + 1n).toString();
    assert.equal(await snarkjs.groth16.verify(vk, forgedIn, proof), false, 'a changed input is rejected');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compile refuses a ptau that is too small before any expensive step, naming constraints and power', async () => {
  const dir = join(CACHE, `direct-ptau-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const model = join(dir, 'mlp.onnx');
    writeFileSync(model, mlpModel());
    const small = await getDevPtau(4, { cacheDir: join(CACHE, 'setup') });
    await assert.rejects(compile(model, { outDir: join(dir, 'art'), ptau: small.path, precision: 'fast' }), (e: unknown) =>
      e instanceof SetupError && e.code === 'PTAU_TOO_SMALL' && /278 constraints/.test(e.message) && /power 9/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
