/**
 * A test-only transcription of the BLS12-381 pairing the way arkworks computes it, to check that the
 * pairing value zkinfer hashes in the timelock's H2 (src/chain/timelock/tlock.ts `gtBytes`) is the one
 * subtensor's reveal hashes (docs/chain.md "Commit-reveal weights", "What the tle compatibility test shows").
 *
 * Origin (read, not copied; the steps are re-written here in TypeScript on @noble/curves' field arithmetic):
 * - arkworks-rs/algebra tag v0.4.2 (commit 57be20e56a142b059bca05653961f8a9ca4f54ae), the ark-ec version
 *   subtensor's Cargo.lock pins for the `tle` crate (ideal-lab5/timelock rev 5416406) at subtensor 14bc6f9:
 *   `ec/src/models/bls12/mod.rs` (`multi_miller_loop`, `final_exponentiation` — the 2020/875 hard part,
 *   `ell` with `mul_by_014` for the M-twist, `exp_by_x`) and `ec/src/models/bls12/g2.rs`
 *   (`G2Prepared::from`, `double_in_place`, `add_in_place` in homogeneous projective coordinates).
 * - `ff/src/fields/models/fp12_2over3over2.rs` (`mul_by_014` multiplies by (c0 + c1·v) + (c4·v)·w;
 *   `cyclotomic_inverse_in_place` is the conjugation) and the curve constants of
 *   `curves/bls12_381` (X = 0xd201000000010000, X negative, twist M, Fq2 = Fq[u]/(u²+1),
 *   Fq6 = Fq2[v]/(v³−(u+1)), Fq12 = Fq6[w]/(w²−v)).
 *
 * Only field arithmetic (add/mul/square/inverse/Frobenius/conjugation — each defined by the tower alone)
 * comes from @noble/curves; the Miller loop's addition chain, its line coefficients, the sign handling and
 * the final exponentiation's exponent are arkworks'. Unlike noble's Miller loop it walks X's plain binary
 * digits (noble uses a NAF) and uses generic Fp12 products (no sparse multiplication).
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import type { ProjPointType } from '@noble/curves/abstract/weierstrass';
import type { Fp2 } from '@noble/curves/abstract/tower';

const { Fp, Fp2: F2, Fp6: F6, Fp12: F12 } = bls.fields;
type Fp12 = ReturnType<typeof F12.mul>;
type Ell = [Fp2, Fp2, Fp2];

/** The BLS parameter |X| (arkworks `Config::X`); arkworks' `X_IS_NEGATIVE` is true. */
export const ARK_X = 0xd201000000010000n;
/** arkworks' G2 `COEFF_B` = 4(u + 1). */
const COEFF_B: Fp2 = { c0: 4n, c1: 4n };
const TWO_INV = Fp.inv(2n);

/** `G2Prepared::from`: the line coefficients of the doubling/addition steps along X's bits after the first. */
function prepare(q: ProjPointType<Fp2>): Ell[] {
  const { x: qx, y: qy } = q.toAffine();
  let r = { x: qx, y: qy, z: F2.ONE };
  const out: Ell[] = [];
  const double = (): Ell => {
    const a = F2.mul(F2.mul(r.x, r.y), TWO_INV);
    const b = F2.sqr(r.y);
    const c = F2.sqr(r.z);
    const e = F2.mul(COEFF_B, F2.add(F2.add(c, c), c));
    const f = F2.add(F2.add(e, e), e);
    const g = F2.mul(F2.add(b, f), TWO_INV);
    const h = F2.sub(F2.sqr(F2.add(r.y, r.z)), F2.add(b, c));
    const i = F2.sub(e, b);
    const j = F2.sqr(r.x);
    const eSq = F2.sqr(e);
    r = { x: F2.mul(a, F2.sub(b, f)), y: F2.sub(F2.sqr(g), F2.add(F2.add(eSq, eSq), eSq)), z: F2.mul(b, h) };
    return [i, F2.add(F2.add(j, j), j), F2.neg(h)]; // TwistType::M
  };
  const add = (): Ell => {
    const theta = F2.sub(r.y, F2.mul(qy, r.z));
    const lambda = F2.sub(r.x, F2.mul(qx, r.z));
    const c = F2.sqr(theta);
    const d = F2.sqr(lambda);
    const e = F2.mul(lambda, d);
    const f = F2.mul(r.z, c);
    const g = F2.mul(r.x, d);
    const h = F2.sub(F2.add(e, f), F2.add(g, g));
    const j = F2.sub(F2.mul(theta, qx), F2.mul(lambda, qy));
    r = { x: F2.mul(lambda, h), y: F2.sub(F2.mul(theta, F2.sub(g, h)), F2.mul(e, r.y)), z: F2.mul(r.z, e) };
    return [j, F2.neg(theta), lambda]; // TwistType::M
  };
  for (const bit of ARK_X.toString(2).slice(1)) {
    out.push(double());
    if (bit === '1') out.push(add());
  }
  return out;
}

/** `ell` for the M-twist: multiply by (c0 + c1·px·v) + (c2·py·v)·w, as a full Fp12 product. */
function ell(f: Fp12, [c0, c1, c2]: Ell, px: bigint, py: bigint): Fp12 {
  const line = F12.create({ c0: F6.create({ c0, c1: F2.mul(c1, px), c2: F2.ZERO }), c1: F6.create({ c0: F2.ZERO, c1: F2.mul(c2, py), c2: F2.ZERO }) });
  return F12.mul(f, line);
}

/** `multi_miller_loop` for one pair, conjugated at the end because X is negative. */
export function arkMillerLoop(p: ProjPointType<bigint>, q: ProjPointType<Fp2>): Fp12 {
  const coeffs = prepare(q);
  const { x: px, y: py } = p.toAffine();
  let f = F12.ONE;
  let k = 0;
  for (const bit of ARK_X.toString(2).slice(1)) {
    f = F12.sqr(f);
    f = ell(f, coeffs[k++]!, px, py);
    if (bit === '1') f = ell(f, coeffs[k++]!, px, py);
  }
  return F12.conjugate(f);
}

/** `exp_by_x`: f^|X|, then the cyclotomic inverse (conjugation) since X is negative. */
const expByX = (f: Fp12): Fp12 => F12.conjugate(F12.pow(f, ARK_X));

/** `final_exponentiation` (easy part, then the 2020/875 hard part in arkworks' order of steps). */
export function arkFinalExponentiation(f: Fp12): Fp12 {
  const f1 = F12.conjugate(f); // f^(p^6)
  const f2inv = F12.inv(f);
  let r = F12.mul(f1, f2inv); // f^(p^6 - 1)
  const f2 = r;
  r = F12.mul(F12.frobeniusMap(r, 2), f2); // f^((p^6 - 1)(p^2 + 1))
  let y0 = F12.sqr(r);
  let y1 = expByX(r);
  let y2 = F12.conjugate(r);
  y1 = F12.mul(y1, y2);
  y2 = expByX(y1);
  y1 = F12.conjugate(y1);
  y1 = F12.mul(y1, y2);
  y2 = expByX(y1);
  y1 = F12.frobeniusMap(y1, 1);
  y1 = F12.mul(y1, y2);
  r = F12.mul(r, y0);
  y0 = expByX(y1);
  y2 = expByX(y0);
  y0 = F12.frobeniusMap(y1, 2);
  y1 = F12.conjugate(y1);
  y1 = F12.mul(y1, y2);
  y1 = F12.mul(y1, y0);
  return F12.mul(r, y1);
}

/** arkworks' `Bls12_381::pairing(p, q).0` (what tle's H2 serialises). */
export function arkPairing(p: ProjPointType<bigint>, q: ProjPointType<Fp2>): Fp12 {
  return arkFinalExponentiation(arkMillerLoop(p, q));
}

/** arkworks' `CanonicalSerialize` of an Fp12: c0 then c1 at each level of the tower, each Fp as 48 little-endian bytes. */
export function arkSerializeFp12(f: Fp12): Buffer {
  const fps = [f.c0, f.c1].flatMap((f6) => [f6.c0, f6.c1, f6.c2]).flatMap((f2) => [f2.c0, f2.c1]);
  return Buffer.concat(fps.map((x) => Buffer.from(x.toString(16).padStart(96, '0'), 'hex').reverse()));
}
