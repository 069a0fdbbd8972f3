/**
 * Timelock encryption to a drand round, byte-compatible with what subtensor decrypts for commit-reveal
 * v3 (docs/chain.md "Commit-reveal weights"): Boneh–Franklin IBE (FullIdent) on BLS12-381 with the
 * beacon's public key in G2 and round signatures in G1 ("bls-unchained-g1-rfc9380", drand quicknet),
 * identity = sha256(round as u64 big-endian), the 32-byte IBE message an AES-256-GCM key for the body.
 *
 * Serialised as arkworks' `CanonicalSerialize` (compressed) of
 *   TLECiphertext { header: { u: G2, v: Vec<u8>, w: Vec<u8> }, body: AESOutput { ciphertext, nonce }, cipher_suite }
 * where G1/G2 points use the zcash compressed encoding, a Vec is a u64 little-endian length then its
 * bytes, and the pairing value hashed by H2 is the Fp12 tower c0..c1 / c0..c2 / c0..c1 of 48-byte
 * little-endian base-field elements (576 bytes).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import type { ProjPointType } from '@noble/curves/abstract/weierstrass';
import type { Fp2 } from '@noble/curves/abstract/tower';
import { InvalidTimelockCommitError, TimelockDecryptError } from '../errors.js';

/** Domain separation tag of drand quicknet's hash to G1 (RFC 9380). */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
/** The only body cipher subtensor's reveal accepts. */
export const CIPHER_SUITE = Buffer.from('AES_GCM_');
const G2_BYTES = 96;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

type G1 = ProjPointType<bigint>;
type G2 = ProjPointType<Fp2>;

export interface TlockCiphertext {
  u: G2;
  v: Uint8Array;
  w: Uint8Array;
  /** AES-GCM ciphertext with its 16-byte tag appended (the `aes-gcm` crate's layout). */
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  cipherSuite: Uint8Array;
}

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const xor32 = (a: Uint8Array, b: Uint8Array): Buffer => Buffer.from(a.subarray(0, 32).map((x, i) => x ^ b[i]!));

/** The IBE identity of a round: sha256(round as u64 big-endian) (drand's unchained message). */
export function roundMessage(round: bigint | number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(round));
  return sha256(b);
}

/** Hash a round's message to G1 the way quicknet signs it. */
export function roundPoint(round: bigint | number): G1 {
  return bls.G1.hashToCurve(roundMessage(round), { DST: QUICKNET_DST }) as unknown as G1;
}

function fpLe(x: bigint): Buffer {
  const out = Buffer.alloc(48);
  let v = x;
  for (let i = 0; i < 48; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** arkworks' serialisation of a pairing value (Fp12 as c0,c1 of Fp6 as c0,c1,c2 of Fp2 as c0,c1; little-endian Fp). */
export function gtBytes(f: ReturnType<typeof bls.pairing>): Buffer {
  const parts: Buffer[] = [];
  for (const f6 of [f.c0, f.c1]) for (const f2 of [f6.c0, f6.c1, f6.c2]) parts.push(fpLe(f2.c0), fpLe(f2.c1));
  return Buffer.concat(parts);
}

/** H2 of the IBE: sha256 of the serialised pairing value. */
const h2 = (g1: G1, g2: G2): Buffer => sha256(gtBytes(bls.pairing(g1, g2)));
/** H3: sha256(sigma ‖ msg) reduced into the scalar field (big-endian, mod r). */
const h3 = (sigma: Uint8Array, msg: Uint8Array): bigint => {
  return bls.fields.Fr.create(BigInt(`0x${sha256(sigma, msg).toString('hex')}`));
};

/** Encrypt `plaintext` so that only the beacon's signature of `round` decrypts it. */
export function tlockEncrypt(publicKey: Uint8Array, round: bigint | number, plaintext: Uint8Array): TlockCiphertext {
  const pk = bls.G2.ProjectivePoint.fromHex(publicKey) as unknown as G2;
  const key = randomBytes(32);
  // FullIdent: sigma random, r = H3(sigma, key), U = r·P, V = sigma ⊕ H2(e(Q_id, r·pk)), W = key ⊕ H4(sigma)
  const sigma = sha256(randomBytes(32));
  const r = h3(sigma, key);
  const u = (bls.G2.ProjectivePoint.BASE as unknown as G2).multiply(r);
  const v = xor32(sigma, h2(roundPoint(round), pk.multiply(r)));
  const w = xor32(key, sha256(sigma));
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  return { u, v, w, ciphertext, nonce, cipherSuite: CIPHER_SUITE };
}

/** Decrypt with the beacon's G1 signature of the round (compressed, 48 bytes). Throws TimelockDecryptError. */
export function tlockDecrypt(ct: TlockCiphertext, signature: Uint8Array): Buffer {
  if (Buffer.compare(Buffer.from(ct.cipherSuite), CIPHER_SUITE) !== 0) {
    throw new TimelockDecryptError(`unknown cipher suite "${Buffer.from(ct.cipherSuite).toString('latin1')}"`);
  }
  if (ct.v.length !== 32 || ct.w.length !== 32) throw new TimelockDecryptError('IBE header v/w must be 32 bytes each');
  let sig: G1;
  try { sig = bls.G1.ProjectivePoint.fromHex(signature) as unknown as G1; } catch (e) {
    throw new TimelockDecryptError(`round signature is not a G1 point: ${(e as Error).message}`);
  }
  const sigma = xor32(ct.v, h2(sig, ct.u));
  const key = xor32(ct.w, sha256(sigma));
  if (!(bls.G2.ProjectivePoint.BASE as unknown as G2).multiply(h3(sigma, key)).equals(ct.u)) {
    throw new TimelockDecryptError('the signature is not the one this commit was locked to (wrong round or beacon)');
  }
  if (ct.nonce.length !== NONCE_BYTES || ct.ciphertext.length < TAG_BYTES) throw new TimelockDecryptError('AES-GCM body is malformed');
  try {
    const d = createDecipheriv('aes-256-gcm', key, ct.nonce);
    d.setAuthTag(ct.ciphertext.subarray(ct.ciphertext.length - TAG_BYTES));
    return Buffer.concat([d.update(ct.ciphertext.subarray(0, ct.ciphertext.length - TAG_BYTES)), d.final()]);
  } catch {
    throw new TimelockDecryptError('AES-GCM authentication failed: the commit body was altered');
  }
}

// ---- arkworks CanonicalSerialize (compressed) ----

function vecBytes(b: Uint8Array): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(b.length));
  return Buffer.concat([len, b]);
}

/** Serialise as subtensor's `TLECiphertext::<TinyBLS381>::deserialize_compressed` reads it. */
export function serializeTlock(ct: TlockCiphertext): Buffer {
  const body = Buffer.concat([vecBytes(ct.ciphertext), vecBytes(ct.nonce)]);
  return Buffer.concat([Buffer.from(ct.u.toRawBytes(true)), vecBytes(ct.v), vecBytes(ct.w), vecBytes(body), vecBytes(ct.cipherSuite)]);
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  take(n: number, what: string): Buffer {
    if (this.at + n > this.b.length) throw new InvalidTimelockCommitError(`commit ends inside ${what} (byte ${this.at} of ${this.b.length})`);
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  vec(what: string): Buffer {
    const n = this.take(8, `${what} length`).readBigUInt64LE();
    if (n > BigInt(this.b.length)) throw new InvalidTimelockCommitError(`${what} claims ${n} bytes; the commit has ${this.b.length}`);
    return this.take(Number(n), what);
  }
  done(what: string): void {
    if (this.at !== this.b.length) throw new InvalidTimelockCommitError(`${this.b.length - this.at} trailing bytes after ${what}`);
  }
}

/** Parse a serialised commit; a garbled one throws InvalidTimelockCommitError naming the bad part. */
export function deserializeTlock(bytes: Uint8Array): TlockCiphertext {
  const r = new Reader(Buffer.from(bytes));
  let u: G2;
  try { u = bls.G2.ProjectivePoint.fromHex(r.take(G2_BYTES, 'the G2 point U')) as unknown as G2; u.assertValidity(); } catch (e) {
    if (e instanceof InvalidTimelockCommitError) throw e;
    throw new InvalidTimelockCommitError(`U is not a valid compressed G2 point: ${(e as Error).message}`);
  }
  const v = r.vec('V');
  const w = r.vec('W');
  const body = new Reader(r.vec('body'));
  const cipherSuite = r.vec('cipher suite');
  r.done('the cipher suite');
  const ciphertext = body.vec('AES-GCM ciphertext');
  const nonce = body.vec('AES-GCM nonce');
  body.done('the AES-GCM nonce');
  if (v.length !== 32 || w.length !== 32) throw new InvalidTimelockCommitError(`V and W must be 32 bytes (got ${v.length}, ${w.length})`);
  if (Buffer.compare(cipherSuite, CIPHER_SUITE) !== 0) throw new InvalidTimelockCommitError(`cipher suite must be AES_GCM_ (got "${cipherSuite.toString('latin1')}")`);
  if (nonce.length !== NONCE_BYTES) throw new InvalidTimelockCommitError(`AES-GCM nonce must be ${NONCE_BYTES} bytes (got ${nonce.length})`);
  if (ciphertext.length < TAG_BYTES) throw new InvalidTimelockCommitError('AES-GCM ciphertext is shorter than its tag');
  return { u, v, w, ciphertext, nonce, cipherSuite };
}
