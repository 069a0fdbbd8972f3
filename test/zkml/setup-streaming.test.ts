// Issue #11 scale item: setup streams its large sections (docs/zkml-compile.md, "Memory at 2^21–2^22"). The dev ptau
// made in small chunks that cut across its Lagrange blocks is byte-identical to the one made in one chunk (whose
// Lagrange sections snarkjs's own prepare phase2 reproduces in setup-direct-zkey.test.ts), Lagrange values at an index
// range equal the whole block's, and a streamed section that writes another size than it declared is refused.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BinWriter } from '../../src/zkml/setup/binwriter.js';
import { writeDevPtau } from '../../src/zkml/setup/dev-ptau.js';
import { lagrangeAt, lagrangeAtIndices, R } from '../../src/zkml/setup/field.js';
import { testCache } from './prove-fixtures.js';

const toxic = { tau: 0x1234567890abcdef1234567890abcdefn, alpha: 0xa11ce5n, beta: 0xb0bn, id: 'stream-test' };

test('a dev ptau streamed in 7-point chunks equals the one written in one chunk', async () => {
  const dir = join(testCache, `setup-stream-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const [a, b] = [join(dir, 'a.ptau'), join(dir, 'b.ptau')];
    let calls = 0;
    await writeDevPtau(a, 5, toxic, () => { calls++; }, 7);
    await writeDevPtau(b, 5, toxic, undefined, 1 << 18);
    assert.ok(readFileSync(a).equals(readFileSync(b)), 'chunked and whole dev ptau differ');
    assert.ok(calls > 20, `progress per chunk (${calls} calls)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lagrangeAtIndices equals lagrangeAt at those indices, with and without the dropped last power', () => {
  // ω: a primitive 16th root of unity of Fr (5 generates Fr*; (R − 1) / 16 is an integer)
  let omega = 1n, b = 5n, e = (R - 1n) / 16n;
  while (e > 0n) { if (e & 1n) omega = (omega * b) % R; b = (b * b) % R; e >>= 1n; }
  for (const drop of [false, true]) {
    const all = lagrangeAt(toxic.tau, 16, omega, drop);
    assert.deepEqual(lagrangeAtIndices(toxic.tau, 16, omega, 5, 1, 7, drop), all.slice(5, 12));
    assert.deepEqual(lagrangeAtIndices(toxic.tau, 16, omega, 1, 2, 8, drop), all.filter((_, i) => i % 2 === 1));
  }
});

test('a streamed section that writes another size than it declared is refused', async () => {
  const dir = join(testCache, `setup-stream-size-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const w = await BinWriter.create(join(dir, 'x.bin'), 'test', 1, 1);
    await assert.rejects(w.streamSection(1, 10, async (write) => { await write(new Uint8Array(6)); }), /section 1: wrote 6 bytes, declared 10/);
    await w.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
