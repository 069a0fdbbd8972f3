import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { readBinSections } from '../../src/zkml/setup/binfile.js';
import { loadNativeProver, NativeProverError, nativeAddonError } from '../../src/zkml/prove/native/index.js';
import { endSnarkjs, fixture, inputsFor, witness, type Fixture } from './fixtures.js';

const prover = loadNativeProver();
const skip = prover ? false : `native addon not built: ${nativeAddonError()}`;
let dir: string;
let fx: Fixture;
let good: Uint8Array;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkinfer-native-err-'));
  if (!prover) return;
  fx = await fixture('prod');
  good = await witness(fx, inputsFor('prod', 0));
});
after(async () => {
  await prover?.close();
  rmSync(dir, { recursive: true, force: true });
  await endSnarkjs();
});

/** Proving with `zkey` is refused with a ZKEY_INVALID NativeProverError whose message matches `pattern`. */
async function refused(zkey: string, pattern: RegExp): Promise<void> {
  await assert.rejects(prover!.prove(zkey, good), (err: unknown) => {
    assert.ok(err instanceof NativeProverError, `typed error, got ${String(err)}`);
    assert.equal(err.code, 'ZKEY_INVALID');
    assert.match(err.message, pattern);
    assert.ok(err.hint && err.hint.length > 0, 'says what to do');
    return true;
  });
}

describe('native prover: bad keys and witnesses get clear errors, never a crash', { skip }, () => {
  test('truncated zkey', async () => {
    const bytes = readFileSync(fx.zkey);
    for (const len of [0, 8, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const p = join(dir, `trunc-${len}.zkey`);
      writeFileSync(p, bytes.subarray(0, len));
      await refused(p, len < 12 ? /not a zkey file/ : /truncated|section/);
    }
  });

  test('corrupted point in the A section', async () => {
    const { sections } = await readBinSections(fx.zkey);
    const a = sections.get(5)![0]!;
    const bytes = Buffer.from(readFileSync(fx.zkey));
    // flip bits of the y coordinate of the second A point (the first is often the point at infinity)
    bytes[a.offset + 64 + 40] ^= 0x5a;
    const p = join(dir, 'corrupt-a.zkey');
    writeFileSync(p, bytes);
    await refused(p, /section 5.*(not on the curve|not below)/);
  });

  test('corrupted G2 point and out-of-range coefficient', async () => {
    const { sections } = await readBinSections(fx.zkey);
    const b2 = sections.get(7)![0]!;
    const bytes = Buffer.from(readFileSync(fx.zkey));
    let i = 0;
    while (bytes.subarray(b2.offset + i * 128, b2.offset + i * 128 + 128).every((x) => x === 0)) i++;
    bytes[b2.offset + i * 128 + 3] ^= 0x01;
    writeFileSync(join(dir, 'corrupt-b2.zkey'), bytes);
    await refused(join(dir, 'corrupt-b2.zkey'), /section 7.*not on the curve/);

    const coefs = sections.get(4)![0]!;
    const c = Buffer.from(readFileSync(fx.zkey));
    c.writeUInt32LE(0xfffffff0, coefs.offset + 4 + 8); // signal index of the first coefficient
    writeFileSync(join(dir, 'corrupt-coef.zkey'), c);
    await refused(join(dir, 'corrupt-coef.zkey'), /coefficient 0 points outside the circuit/);
  });

  test('not a zkey at all, a missing file, and a PLONK-style protocol id', async () => {
    writeFileSync(join(dir, 'garbage.zkey'), Buffer.from('hello, this is not a proving key'.repeat(10)));
    await refused(join(dir, 'garbage.zkey'), /not a zkey file/);
    await refused(join(dir, 'missing.zkey'), /cannot open/);
    const { sections } = await readBinSections(fx.zkey);
    const bytes = Buffer.from(readFileSync(fx.zkey));
    bytes.writeUInt32LE(2, sections.get(1)![0]!.offset);
    writeFileSync(join(dir, 'plonk.zkey'), bytes);
    await refused(join(dir, 'plonk.zkey'), /not a Groth16 key/);
  });

  test('bad witnesses: wrong circuit, truncated, out-of-field value', async () => {
    const wide = await fixture('wide');
    const other = await witness(wide, inputsFor('wide', 0));
    const bad = async (w: Uint8Array, pattern: RegExp) =>
      assert.rejects(prover!.prove(fx.zkey, w), (err: unknown) => {
        assert.ok(err instanceof NativeProverError);
        assert.equal(err.code, 'WITNESS_INVALID');
        assert.match(err.message, pattern);
        return true;
      });
    await bad(other, /signals but the circuit has/);
    await bad(good.subarray(0, good.length - 5), /truncated|wrong size/);
    await bad(new Uint8Array(0), /not a wtns file/);
    const big = Uint8Array.from(good);
    big.fill(0xff, big.length - 32); // last signal = 2^256 − 1
    await bad(big, /not a field element/);
  });

  test('the prover keeps working after every refusal', async () => {
    const res = await prover!.prove(fx.zkey, good);
    assert.equal(await snarkjs.groth16.verify(fx.vk, res.publicSignals, res.proof), true);
  });
});

describe('native prover loader', () => {
  test('loadNativeProver() returns null, without throwing, when the addon is not built', () => {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const mod = fileURLToPath(new URL(`../../src/zkml/prove/native/index${ext}`, import.meta.url));
    const code = `const m = await import(${JSON.stringify(mod)}); const p = m.loadNativeProver(); console.log(JSON.stringify({ isNull: p === null, why: m.nativeAddonError() }));`;
    const run = (addon: string) => {
      const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--test')), '--input-type=module', '-e', code], {
        env: { ...process.env, ZKINFER_NATIVE_ADDON: addon },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { isNull: boolean; why?: string };
    };
    const missing = run(join(tmpdir(), 'no-such-dir', 'zkinfer_prover.node'));
    assert.equal(missing.isNull, true);
    assert.match(missing.why!, /not built/);
    const notAddon = join(mkdtempSync(join(tmpdir(), 'zkinfer-native-bad-')), 'zkinfer_prover.node');
    writeFileSync(notAddon, 'not a shared object');
    const broken = run(notAddon);
    assert.equal(broken.isNull, true);
    assert.match(broken.why!, /failed to load/);
    rmSync(join(notAddon, '..'), { recursive: true, force: true });
  });
});
