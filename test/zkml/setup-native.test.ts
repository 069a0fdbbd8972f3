// The native addon's fixed-base multiplication (native/src/setup.cpp) gives the same affine points, byte for byte, as
// the WASM engine (src/zkml/setup/fixed-base.ts), in G1 and G2, for edge scalars (0, 1, r − 1) and random ones.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BN254_R } from '../../src/zkml/fixed-point.js';
import { loadNativeAddon } from '../../src/zkml/prove/native/addon.js';
import { FixedBaseEngine, scalarsToLE } from '../../src/zkml/setup/fixed-base.js';

const native = loadNativeAddon()?.fixedBaseMul;

test('native fixed-base multiplication = WASM engine (G1 and G2)', { skip: native ? false : 'native addon not built (npm run build:native)' }, async () => {
  const wasm = await FixedBaseEngine.create();
  try {
    const xs = [0n, 1n, 2n, BN254_R - 1n, ...Array.from({ length: 5000 }, () => BigInt('0x' + randomBytes(32).toString('hex')) % BN254_R)];
    const sc = scalarsToLE(xs);
    for (const g of ['G1', 'G2'] as const) {
      const n = g === 'G1' ? xs.length : 300;
      const part = sc.subarray(0, 32 * n);
      const got = await native!(g, wasm.generator(g), part);
      const want = wasm.mulMany(g, wasm.generator(g), part);
      assert.equal(Buffer.compare(Buffer.from(got), Buffer.from(want)), 0, `${g}: native points equal the WASM engine's`);
      // a base other than the generator
      const base = wasm.mulMany(g, wasm.generator(g), scalarsToLE([12345n]));
      assert.equal(Buffer.compare(Buffer.from(await native!(g, base, part.subarray(0, 32 * 50))), Buffer.from(wasm.mulMany(g, base, part.subarray(0, 32 * 50)))), 0);
    }
  } finally {
    await wasm.close();
  }
});
