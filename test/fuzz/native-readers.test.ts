// Property-based fuzzing (fast-check) of the native addon's zkey and wtns readers (docs/native-prover.md,
// docs/security.md): a real small key and witness (test/native/fixtures.ts), mutated — bytes flipped in the
// header or anywhere, truncated, extended, random — go through the C++ readers. Every input is either proven
// (a parse the prover accepts) or refused with a typed NativeProverError (ZKEY_INVALID / WITNESS_INVALID); never
// a crash (which would end this process) or a hang (each call has 10 s). After the runs the prover still proves a
// valid proof. A failure prints fast-check's seed and path (`FUZZ_SEED=N` replays a run). Each run draws a new seed
// from the clock, so CI runs add up; FUZZ_SCALE=k runs k times as many inputs (30 keys and 50 witnesses at 1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as snarkjs from 'snarkjs';
import { loadNativeProver, NativeProverError, nativeAddonError } from '../../src/zkml/prove/native/index.js';
import { endSnarkjs, fixture, inputsFor, witness, type Fixture } from '../native/fixtures.js';

const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Date.now() % 2 ** 31;
const scale = Math.max(1, Number(process.env['FUZZ_SCALE'] ?? 1) || 1);
console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
const prover = loadNativeProver();
const skip = prover ? false : `native addon not built: ${nativeAddonError()}`;
let dir: string;
let fx: Fixture;
let zkey: Buffer;
let good: Uint8Array;
let n = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkinfer-fuzz-native-'));
  if (!prover) return;
  fx = await fixture('prod');
  zkey = readFileSync(fx.zkey);
  good = await witness(fx, inputsFor('prod', 0));
});
after(async () => {
  await prover?.close();
  rmSync(dir, { recursive: true, force: true });
  await endSnarkjs();
});

/** A mutation of `base`: byte flips (biased to the header), a truncation, an extension, or random bytes. */
function mutated(base: () => Uint8Array, headerBytes: number): fc.Arbitrary<Uint8Array> {
  const flip = fc.record({ at: fc.oneof(fc.nat({ max: headerBytes - 1 }), fc.nat({ max: 1 << 30 })), xor: fc.integer({ min: 1, max: 255 }) });
  return fc.oneof(
    fc.array(flip, { minLength: 1, maxLength: 6 }).map((flips) => {
      const b = Uint8Array.from(base());
      for (const f of flips) b[f.at % b.length] ^= f.xor;
      return b;
    }),
    fc.nat({ max: 1 << 30 }).map((cut) => base().subarray(0, cut % base().length)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => Uint8Array.from([...base(), ...tail])),
    fc.uint8Array({ maxLength: 512 }),
    fc.record({ at: fc.nat({ max: headerBytes - 4 }), v: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x80000000) }).map(({ at, v }) => {
      const b = Buffer.from(base());
      b.writeUInt32LE(v, at); // a length, count or section id set to an edge value
      return Uint8Array.from(b);
    }),
  );
}

/** Resolve, or reject with a NativeProverError of `code`; 10 s at most. */
async function provedOrRefused(p: Promise<unknown>, code: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the native prover hung (10 s)')), 10_000); });
  try {
    await Promise.race([p, hang]);
  } catch (err) {
    assert.ok(err instanceof NativeProverError, `untyped ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.hint, 'says what to do');
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzz: native zkey / wtns readers', { skip }, () => {
  test('mutated zkey files are proven with or refused with ZKEY_INVALID', async () => {
    await fc.assert(fc.asyncProperty(mutated(() => zkey, 1024), async (bytes) => {
      const path = join(dir, `k${n++}.zkey`); // a new path each time: the prover caches keys by path
      writeFileSync(path, bytes);
      await provedOrRefused(prover!.prove(path, good), 'ZKEY_INVALID');
      await prover!.unload(path);
      rmSync(path, { force: true });
    }), { numRuns: 30 * scale, seed });
  });

  test('mutated witnesses are proven or refused with WITNESS_INVALID', async () => {
    await fc.assert(fc.asyncProperty(mutated(() => good, 128), async (bytes) => {
      await provedOrRefused(prover!.prove(fx.zkey, bytes), 'WITNESS_INVALID');
    }), { numRuns: 50 * scale, seed });
  });

  test('the prover still proves a valid proof afterwards', async () => {
    const r = await prover!.prove(fx.zkey, good);
    assert.equal(await snarkjs.groth16.verify(fx.vk, r.publicSignals, r.proof), true);
  });
});
