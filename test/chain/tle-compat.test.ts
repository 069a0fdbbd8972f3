/**
 * Timelock interoperability with the arkworks-based `tle` crate subtensor reveals with (issue #18 item 3;
 * docs/chain.md "What the tle compatibility test shows"). No Rust crates are available offline, so the Rust
 * side is a transcription: `ark-bls12-pairing.ts` (arkworks' BLS12-381 Miller loop and final exponentiation,
 * ark-ec 0.4.2 as subtensor's Cargo.lock pins it) and, below, tle's FullIdent encrypt/decrypt, AES-GCM body
 * and `TLECiphertext` layout, read from ideal-lab5/timelock at rev 5416406cfd32799e31e1795393d4916894de4468
 * (`tle/src/ibe/fullident.rs`, `ibe/utils.rs`, `tlock.rs`, `stream_ciphers.rs`, `curves/drand.rs`).
 *
 * Real drand material: quicknet's public key and round 1000's signature (origin: opentensor/subtensor
 * `pallets/drand/src/tests.rs` at 14bc6f9f964b9cc362e9635dd110a487fa5d15a0; the same pulse is in
 * ideal-lab5/timelock's `examples/python/drand_tlock.py`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import type { ProjPointType } from '@noble/curves/abstract/weierstrass';
import type { Fp2 } from '@noble/curves/abstract/tower';
import { TypeRegistry } from '@polkadot/types';
import { TimelockDecryptError } from '../../src/chain/errors.js';
import { QUICKNET } from '../../src/chain/timelock/beacon.js';
import { buildTimelockedCommit } from '../../src/chain/timelock/commit.js';
import { decodeWeightsPayload, encodeWeightsPayload } from '../../src/chain/timelock/payload.js';
import { deserializeTlock, gtBytes, tlockDecrypt } from '../../src/chain/timelock/tlock.js';
import { arkMillerLoop, arkPairing, arkSerializeFp12 } from './ark-bls12-pairing.js';

const ROUND = 1000;
const ROUND_SIG = 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
/** tle `curves/drand.rs` QUICKNET_CTX, the hash-to-G1 domain of `Identity::public`. */
const QUICKNET_CTX = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
type G1 = ProjPointType<bigint>;
type G2 = ProjPointType<Fp2>;
const G2gen = bls.G2.ProjectivePoint.BASE as unknown as G2;
const Fr = bls.fields.Fr;

const sha256 = (...xs: Uint8Array[]): Buffer => xs.reduce((h, x) => h.update(x), createHash('sha256')).digest();
const xor = (a: Uint8Array, b: Uint8Array): Buffer => Buffer.from(a.subarray(0, 32).map((x, i) => x ^ b[i]!));
/** utils.rs h3: sha256(a ‖ b) as a big-endian integer mod r (`from_be_bytes_mod_order`). */
const h3 = (a: Uint8Array, b: Uint8Array): bigint => Fr.create(BigInt(`0x${sha256(a, b).toString('hex')}`));
/** utils.rs h2: sha256 of the pairing value's compressed serialisation. */
const h2 = (g1: G1, g2: G2): Buffer => sha256(arkSerializeFp12(arkPairing(g1, g2)));
/** ark-serialize: a Vec<u8> is a u64 little-endian length, then the bytes. */
const vec = (b: Uint8Array): Buffer => { const n = Buffer.alloc(8); n.writeBigUInt64LE(BigInt(b.length)); return Buffer.concat([n, b]); };
/** drand's identity of a round (tle `Identity::new(b"", [sha256(round u64 BE)])`, as bittensor-drand builds it). */
function identity(round: number): G1 {
  const r = Buffer.alloc(8);
  r.writeBigUInt64BE(BigInt(round));
  return bls.G1.hashToCurve(sha256(r), { DST: QUICKNET_CTX }) as unknown as G1;
}
const quicknetPk = (): G2 => bls.G2.ProjectivePoint.fromHex(QUICKNET.publicKey) as unknown as G2;
const roundSig = (): G1 => bls.G1.ProjectivePoint.fromHex(ROUND_SIG) as unknown as G1;

/** tle `tle::<TinyBLS381, AESGCMStreamCipherProvider>` with fixed randomness, serialised compressed. */
function tleEncrypt(message: Uint8Array, round: number, secretKey: Buffer, t: bigint, nonce: Buffer): Buffer {
  // fullident.rs Identity::encrypt: sigma = h4(t serialised, 32 bytes LE), r = h3(sigma, key), U = r·P (G2)
  const tLe = Buffer.from(t.toString(16).padStart(64, '0'), 'hex').reverse();
  const sigma = sha256(tLe);
  const r = h3(sigma, secretKey);
  const u = G2gen.multiply(r);
  // TinyBLS pairing(p_pub·r, Q_id) = arkworks pairing(Q_id, p_pub·r)
  const v = xor(sigma, h2(identity(round), quicknetPk().multiply(r)));
  const w = xor(secretKey, sha256(sigma));
  // stream_ciphers.rs: AES-256-GCM in place (tag appended), AESOutput { ciphertext, nonce } serialised
  const c = createCipheriv('aes-256-gcm', secretKey, nonce);
  const ct = Buffer.concat([c.update(message), c.final(), c.getAuthTag()]);
  const body = Buffer.concat([vec(ct), vec(nonce)]);
  return Buffer.concat([Buffer.from(u.toRawBytes(true)), vec(v), vec(w), vec(body), vec(Buffer.from('AES_GCM_'))]);
}

/** tle `tld` as subtensor's reveal_commits.rs calls it: parse, IBE-decrypt with the signature, check U, open the body. */
function tleDecrypt(bytes: Buffer, sig: G1): Buffer {
  let at = 0;
  const take = (n: number): Buffer => { assert.ok(at + n <= bytes.length, 'truncated'); const b = bytes.subarray(at, at + n); at += n; return b; };
  const takeVec = (): Buffer => take(Number(take(8).readBigUInt64LE()));
  const u = bls.G2.ProjectivePoint.fromHex(take(96)) as unknown as G2;
  u.assertValidity(); // deserialize_compressed validates (on curve, in subgroup)
  const v = takeVec();
  const w = takeVec();
  const body = takeVec();
  const suite = takeVec();
  assert.equal(at, bytes.length, 'trailing bytes');
  assert.equal(suite.toString('latin1'), 'AES_GCM_');
  const sigma = xor(v, h2(sig, u));
  const key = xor(w, sha256(sigma));
  if (!G2gen.multiply(h3(sigma, key)).equals(u)) throw new Error('tle: DecryptionFailed (U ≠ rP)');
  bytes = body; // AESOutput { ciphertext, nonce }, two more Vec<u8>
  at = 0;
  const ct = takeVec();
  const nonce = takeVec();
  assert.equal(at, bytes.length, 'trailing bytes in the body');
  assert.equal(nonce.length, 12);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAuthTag(ct.subarray(ct.length - 16));
  return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
}

const payload = {
  hotkey: Buffer.from('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d', 'hex'), // //Alice
  uids: [0, 3, 7],
  values: [65535, 1200, 7],
  versionKey: 2_010_000n,
};

test('GT: arkworks\' pairing (ark-ec 0.4.2 Miller loop + final exponentiation, transcribed) serialises byte for byte as ours', () => {
  const cases: Array<[G1, G2]> = [
    [bls.G1.ProjectivePoint.BASE as unknown as G1, G2gen],
    [roundSig(), G2gen.multiply(0x1234_5678_9abc_def0n)],
    [identity(ROUND), quicknetPk()],
  ];
  for (const [p, q] of cases) assert.deepEqual(arkSerializeFp12(arkPairing(p, q)), gtBytes(bls.pairing(p, q)));
  // the check can fail: the plain exponent (p^12 − 1)/r gives another value (noble and arkworks both return e^3)
  const [p, q] = cases[0]!;
  const plain = bls.fields.Fp12.pow(arkMillerLoop(p, q), (bls.fields.Fp.ORDER ** 12n - 1n) / Fr.ORDER);
  assert.notDeepEqual(arkSerializeFp12(plain), gtBytes(bls.pairing(p, q)));
});

test('tle → zkinfer: a commit made by the tle algorithm to quicknet round 1000 opens with drand\'s real round-1000 signature', () => {
  const plaintext = encodeWeightsPayload(payload);
  const commit = tleEncrypt(plaintext, ROUND, sha256(Buffer.from('aes key')), 0x5eed_0001n, Buffer.alloc(12, 7));
  const opened = tlockDecrypt(deserializeTlock(commit), Buffer.from(ROUND_SIG, 'hex'));
  assert.deepEqual(opened, plaintext);
  assert.deepEqual(decodeWeightsPayload(opened), { ...payload, hotkey: new Uint8Array(payload.hotkey) });
  // a signature of another round does not open it
  const other = identity(1001).multiply(3n).toRawBytes(true);
  assert.throws(() => tlockDecrypt(deserializeTlock(commit), other), TimelockDecryptError);
});

test('zkinfer → tle: our commit to quicknet round 1000 parses and opens by tle\'s rules with the real signature; the payload decodes by SCALE', () => {
  const commit = buildTimelockedCommit(payload.hotkey, { netuid: 1, uids: payload.uids, weights: payload.values, versionKey: Number(payload.versionKey) }, QUICKNET, ROUND);
  const opened = tleDecrypt(commit, roundSig());
  const registry = new TypeRegistry();
  registry.register({ WeightsTlockPayload: { hotkey: 'Vec<u8>', uids: 'Vec<u16>', values: 'Vec<u16>', version_key: 'u64' } });
  const decoded = registry.createType('WeightsTlockPayload', opened).toJSON() as Record<string, unknown>;
  assert.deepEqual(decoded, { hotkey: `0x${payload.hotkey.toString('hex')}`, uids: payload.uids, values: payload.values, version_key: Number(payload.versionKey) });
  // locked to round 1000: round 999's identity key (any scalar multiple) does not open it
  assert.throws(() => tleDecrypt(commit, identity(999).multiply(5n)), /DecryptionFailed/);
});
