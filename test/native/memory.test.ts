import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadNativeAddon } from '../../src/zkml/prove/native/addon.js';
import { loadNativeProver, NativeProverError, nativeAddonError } from '../../src/zkml/prove/native/index.js';
import { endSnarkjs, fixture, inputsFor, witness } from './fixtures.js';

const prover = loadNativeProver();
const skip = prover ? false : `native addon not built: ${nativeAddonError()}`;

after(async () => {
  await prover?.close();
  await endSnarkjs();
});

describe('native prover memory', { skip }, () => {
  test('RSS does not grow over repeated load / prove / unload', async () => {
    const fx = await fixture('mix');
    const wtns = await witness(fx, inputsFor('mix', 1));
    const cycle = async () => {
      const info = await prover!.load(fx.zkey);
      await prover!.prove(fx.zkey, wtns);
      await prover!.unload(fx.zkey);
      return info.bytes;
    };
    // warm up allocator arenas and the JS side
    let keyBytes = 0;
    for (let i = 0; i < 3; i++) keyBytes = await cycle();
    assert.ok(keyBytes > 1_000_000, `key holds ${keyBytes} bytes`);
    const before = process.memoryUsage().rss;
    const cycles = 30;
    for (let i = 0; i < cycles; i++) await cycle();
    const grown = process.memoryUsage().rss - before;
    // A leak of the key alone would add cycles × keyBytes (≈ 30×); allow a few keys of allocator slack.
    assert.ok(grown < 6 * keyBytes, `RSS grew ${grown} bytes over ${cycles} cycles (key ${keyBytes} bytes)`);
  });

  test('unload and close free the key: info is gone and a later prove reloads it', async () => {
    const fx = await fixture('prod');
    const wtns = await witness(fx, inputsFor('prod', 1));
    await prover!.prove(fx.zkey, wtns);
    await prover!.close();
    const again = await prover!.prove(fx.zkey, wtns);
    assert.equal(again.publicSignals.length, 16);
    await prover!.unload(fx.zkey);
    await prover!.unload(fx.zkey); // twice is harmless
  });

  test('a key closed by another caller mid-flight does not crash an in-flight proof', async () => {
    const fx = await fixture('mix');
    const wtns = await witness(fx, inputsFor('mix', 0));
    await prover!.load(fx.zkey);
    const pending = prover!.prove(fx.zkey, wtns);
    await prover!.unload(fx.zkey);
    const res = await pending.catch((err: unknown) => err);
    // Either the proof finished (the native side keeps the key alive until it is done) or a typed error.
    assert.ok(!(res instanceof Error) || res instanceof NativeProverError, String(res));
    if (!(res instanceof Error)) assert.equal((res as { publicSignals: string[] }).publicSignals.length, 1);
  });

  test('hugeBuffer: zeroed huge-page buffers (a big witness goes there), given back to the pool when collected and zeroed again', async () => {
    // src/zkml/witness/tape-witness.ts writes witnesses from 256 kB into them (docs/native-prover.md "Page faults of
    // a fresh process"); a block taken again from the pool must read as zeros like a fresh one
    const addon = loadNativeAddon()!;
    assert.ok(addon.hugeBuffer, 'this addon has hugeBuffer');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const n = 700_000;
    for (let round = 0; round < 4; round++) {
      let b: Buffer | undefined = Buffer.from(addon.hugeBuffer(n));
      assert.equal(b.length, n);
      assert.ok(b.every((x) => x === 0), `round ${round}: the buffer reads as zeros`);
      b.fill(0xff);
      b = undefined;
      gc(); // once its finalizer has run, the block is back in the pool, where the next round may take it again
      await tick();
    }
    const a = Buffer.from(addon.hugeBuffer(3 * 1024 * 1024)), c = Buffer.from(addon.hugeBuffer(1));
    a.fill(1);
    assert.equal(c[0], 0, 'two live buffers do not share memory');
    for (const bad of [0, -1, 1.5, Number.NaN, 2e12]) assert.throws(() => addon.hugeBuffer!(bad), RangeError, String(bad));
    assert.throws(() => (addon.hugeBuffer as unknown as (x: unknown) => unknown)('7'), TypeError);
  });
});
