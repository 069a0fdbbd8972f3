// The witness program file (src/zkml/witness/program-file.ts, docs/zkml-compile.md "Direct backend"): a real
// quantized model round-trips to the same gadgets and witness; integers of every size come back exact (the ≤ 15-digit
// ones take the Number parse); a malformed integer is a typed error, not a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { directWitness } from '../../src/zkml/witness/direct.js';
import { WitnessInputError } from '../../src/zkml/witness/errors.js';
import { programFromJson, programToJson } from '../../src/zkml/witness/program-file.js';
import { mlpModel, rand } from '../fixtures/onnx/models.js';

const EDGE = [0n, -0n, 1n, -1n, 999_999_999_999_999n, -999_999_999_999_999n, 1_000_000_000_000_000n, 9_007_199_254_740_993n, -(2n ** 200n) + 7n, 2n ** 253n + 12345n];

test('a quantized MLP round-trips: the same gadgets and outputs, the same witness', () => {
  const c = quantizeGraph(importOnnx(mlpModel(), 'mlp'), 8, undefined);
  const back = programFromJson(programToJson(c.program));
  assert.deepEqual(back.gadgets, c.program.gadgets);
  assert.deepEqual(back.outputs, c.program.outputs);
  const ins = rand(11, c.program.nIn, 0.8).map((v) => toField(toFixed(v, c.scale)));
  assert.deepEqual(directWitness(back, ins), directWitness(c.program, ins));
});

test('integers of every size come back exact, in tables, maps and fields', () => {
  const c = quantizeGraph(importOnnx(mlpModel(), 'mlp'), 8, undefined);
  const json = JSON.parse(programToJson(c.program)) as { tables: unknown[]; gadgets: Array<Record<string, unknown>>; outputs: unknown[] };
  json.tables.push({ A: EDGE.map((x) => `n:${x}`), B: [] });
  json.gadgets.push({ kind: 'mul', node: 'edge', a: { terms: { $map: EDGE.map((x, i) => [i, `n:${x}`]) }, c: `n:${EDGE.at(-1)}` }, t: { $table: json.tables.length - 1 } });
  const back = programFromJson(JSON.stringify(json));
  const g = back.gadgets.at(-1) as unknown as { a: { terms: Map<number, bigint>; c: bigint }; t: { A: bigint[] } };
  assert.deepEqual([...g.a.terms.values()], EDGE);
  assert.equal(g.a.c, EDGE.at(-1));
  assert.deepEqual(g.t.A, EDGE);
});

test('a malformed integer is a WitnessInputError naming it', () => {
  const c = quantizeGraph(importOnnx(mlpModel(), 'mlp'), 8, undefined);
  for (const bad of ['n:1e5', 'n:12abc', 'n:0x1f', 'n:1.5', 'n:']) {
    const json = JSON.parse(programToJson(c.program)) as { outputs: Array<{ c: string }> };
    json.outputs[0]!.c = bad;
    assert.throws(() => programFromJson(JSON.stringify(json)), (e: unknown) => e instanceof WitnessInputError && e.message.includes(bad), bad);
  }
});
