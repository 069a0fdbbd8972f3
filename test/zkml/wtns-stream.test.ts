// The streamed .wtns writer (src/zkml/r1cs/write.ts writeWtnsFile, docs/zkml-compile.md "Memory"): the same bytes as
// the in-memory wtnsBytes, across its 1 MiB buffer boundary, read back by snarkjs's own .wtns reader, and accepted
// by `snarkjs wtns check` against the .r1cs our writer made for a real model.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as snarkjs from 'snarkjs';
import { toField, toFixed, BN254_R } from '../../src/zkml/fixed-point.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { writeR1csFile, writeWtnsFile, wtnsBytes } from '../../src/zkml/r1cs/write.js';
import { directWitness } from '../../src/zkml/witness/direct.js';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { mlpModel, rand } from '../fixtures/onnx/models.js';
import { CACHE } from '../fixtures/onnx/paths.js';

after(releaseSnarkjsCurve);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const dir = join(CACHE, 'wtns-stream');
mkdirSync(dir, { recursive: true });

// small values (zeros, bits, values up to and past 2^52) take putField's Number path; placed after big ones so a reused
// stream buffer's stale bytes would show
const SMALL_VALUES = [0n, 1n, 2n, 0xffffffffn, 0x100000000n, (1n << 52n) - 1n, 1n << 52n, (1n << 53n) + 1n, (1n << 64n) - 1n, 1n << 64n];

test('a witness of 40,003 values (past the 1 MiB buffer) streams to the bytes wtnsBytes builds; snarkjs reads it back', async () => {
  let x = 0x9e3779b97f4a7c15n;
  const witness = Array.from({ length: 40_003 }, (_, i) => {
    x = (x * 6364136223846793005n + 1442695040888963407n) % BN254_R;
    return i === 0 ? 1n : i % 7 === 0 ? BN254_R - 1n : i % 3 === 0 ? SMALL_VALUES[(i / 3) % SMALL_VALUES.length]! : i % 5 === 0 ? x % 1000n : x;
  });
  const path = join(dir, 'big.wtns');
  await writeWtnsFile(path, witness);
  assert.ok(Buffer.from(readFileSync(path)).equals(Buffer.from(wtnsBytes(witness))), 'streamed file differs from wtnsBytes');
  const back = await snarkjs.wtns.exportJson(path);
  assert.equal(back.length, witness.length);
  for (let i = 0; i < witness.length; i++) if (BigInt(back[i]!) !== witness[i]) assert.fail(`value ${i}: snarkjs reads ${back[i]}, written ${witness[i]}`);
});

test('the streamed witness of a real model satisfies the .r1cs we wrote for it (snarkjs wtns check)', async () => {
  const c = quantizeGraph(importOnnx(mlpModel(), 'mlp'), 8, undefined);
  const emitted = emitProgram(c.program, { constraints: true });
  await writeR1csFile(join(dir, 'mlp.r1cs'), emitted);
  const ins = rand(5, c.program.nIn, 0.8).map((v) => toField(toFixed(v, c.scale)));
  await writeWtnsFile(join(dir, 'mlp.wtns'), directWitness(c.program, ins));
  assert.equal(await snarkjs.wtns.check(join(dir, 'mlp.r1cs'), join(dir, 'mlp.wtns'), quiet), true);
  // a tampered witness file is refused by the same check (the test can fail)
  const bad = directWitness(c.program, ins);
  bad[bad.length - 1] = bad.at(-1)! + 1n;
  await writeWtnsFile(join(dir, 'bad.wtns'), bad);
  assert.equal(await snarkjs.wtns.check(join(dir, 'mlp.r1cs'), join(dir, 'bad.wtns'), quiet), false);
});
