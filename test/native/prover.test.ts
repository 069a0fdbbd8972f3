import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as snarkjs from 'snarkjs';
import { loadNativeProver, nativeAddonError } from '../../src/zkml/prove/native/index.js';
import { endSnarkjs, fixture, inputsFor, R, witness } from './fixtures.js';

const prover = loadNativeProver();
const skip = prover ? false : `native addon not built: ${nativeAddonError()}`;

after(async () => {
  await prover?.close();
  await endSnarkjs();
});

describe('native Groth16 prover', { skip }, () => {
  for (const [name, variants] of [['prod', 3], ['wide', 2], ['mix', 2]] as const) {
    test(`${name}: proofs verify under snarkjs and carry the witness's public signals`, async () => {
      const fx = await fixture(name);
      for (let v = 0; v < variants; v++) {
        const wtns = await witness(fx, inputsFor(name, v));
        const res = await prover!.prove(fx.zkey, wtns);
        const ref = await snarkjs.groth16.prove(fx.zkey, wtns);
        assert.deepEqual(res.publicSignals, ref.publicSignals, 'public signals match snarkjs');
        assert.equal(await snarkjs.groth16.verify(fx.vk, res.publicSignals, res.proof), true, `${name} variant ${v} verifies`);
        // A proof for other public signals must not verify (the check above is not vacuous).
        if (res.publicSignals.length > 0) {
          const wrong = [...res.publicSignals];
          wrong[0] = ((BigInt(wrong[0]!) + 1n) % R).toString();
          assert.equal(await snarkjs.groth16.verify(fx.vk, wrong, res.proof), false, 'tampered public signal is rejected');
        }
      }
    });
  }

  test('witness values 0, p−1 and small negatives appear in the public signals as snarkjs encodes them', async () => {
    const fx = await fixture('prod');
    const res = await prover!.prove(fx.zkey, await witness(fx, inputsFor('prod', 0)));
    // outputs y (8) then inputs x (8): x = [0, p−1, p−5, 7, ...]
    assert.equal(res.publicSignals.length, 16);
    assert.deepEqual(res.publicSignals.slice(8, 11), ['0', (R - 1n).toString(), (R - 5n).toString()]);
  });

  test('many public signals: 192 signals, all verified', async () => {
    const fx = await fixture('wide');
    const res = await prover!.prove(fx.zkey, await witness(fx, inputsFor('wide', 1)));
    assert.equal(res.publicSignals.length, 192);
    assert.equal(await snarkjs.groth16.verify(fx.vk, res.publicSignals, res.proof), true);
    const wrong = [...res.publicSignals];
    wrong[191] = '1';
    assert.equal(await snarkjs.groth16.verify(fx.vk, wrong, res.proof), false, 'the last public signal is bound too');
  });

  test('output has exactly snarkjs JSON shape (projective, "1"-normalised)', async () => {
    const fx = await fixture('prod');
    const wtns = await witness(fx, inputsFor('prod', 2));
    const res = await prover!.prove(fx.zkey, wtns);
    const ref = await snarkjs.groth16.prove(fx.zkey, wtns);
    const shape = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(shape)
        : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shape(v)]))
          : typeof x === 'string' && /^[0-9]+$/.test(x) ? 'n' : x;
    assert.deepEqual(Object.keys(res.proof).sort(), Object.keys(ref.proof).sort());
    assert.deepEqual(shape(res.proof), shape(ref.proof));
    assert.equal(res.proof.pi_a[2], '1');
    assert.equal(res.proof.pi_c[2], '1');
    assert.deepEqual(res.proof.pi_b[2], ['1', '0']);
    assert.deepEqual(ref.proof.pi_b[2], ['1', '0'], 'snarkjs uses the same normalisation');
    assert.equal(res.proof.protocol, 'groth16');
    assert.equal(res.proof.curve, 'bn128');
  });

  test('two proofs of the same witness differ (fresh blinding r, s) and both verify', async () => {
    const fx = await fixture('prod');
    const wtns = await witness(fx, inputsFor('prod', 0));
    const p1 = await prover!.prove(fx.zkey, wtns);
    const p2 = await prover!.prove(fx.zkey, wtns);
    assert.notDeepEqual(p1.proof.pi_a, p2.proof.pi_a);
    assert.notDeepEqual(p1.proof.pi_b, p2.proof.pi_b);
    assert.notDeepEqual(p1.proof.pi_c, p2.proof.pi_c);
    assert.equal(await snarkjs.groth16.verify(fx.vk, p2.publicSignals, p2.proof), true);
  });

  test('concurrent proofs on one loaded key all verify', async () => {
    const fx = await fixture('mix');
    const wtns = await Promise.all([0, 1, 2].map((v) => witness(fx, inputsFor('mix', v))));
    const proofs = await Promise.all(wtns.map((w) => prover!.prove(fx.zkey, w)));
    for (const p of proofs) assert.equal(await snarkjs.groth16.verify(fx.vk, p.publicSignals, p.proof), true);
  });

  test('timings report the small-scalar path on quantized-style witnesses', async () => {
    const fx = await fixture('mix');
    const res = await prover!.proveWithTimings(fx.zkey, await witness(fx, inputsFor('mix', 0)));
    assert.ok(res.timings.witnessTerms > 0);
    // a[i], b[i] and p[i] are small signed values: over half of the witness terms fit in 64 bits once folded
    assert.ok(res.timings.smallTerms > res.timings.witnessTerms / 2, `small ${res.timings.smallTerms} of ${res.timings.witnessTerms}`);
    const info = await prover!.load(fx.zkey);
    assert.equal(info.domainSize, 2048);
  });
});
