/**
 * Groth16 batch verification on BN254 (docs/zkml-prove.md, batch verification).
 *
 * One proof (A, B, C) with public signals x verifies when  e(A, B) = e(α, β) · e(L, γ) · e(C, δ),
 * L = IC₀ + Σⱼ xⱼ·ICⱼ. For k proofs of ONE circuit and fresh random scalars rᵢ (128 bits from
 * crypto.getRandomValues, never seen by a prover), all k hold — except with probability ≤ 2⁻¹²⁸ per bad proof — iff
 *   Πᵢ e(−rᵢAᵢ, Bᵢ) · e((Σrᵢ)α, β) · e(Σᵢ rᵢLᵢ, γ) · e(Σᵢ rᵢCᵢ, δ) = 1
 * where Σᵢ rᵢLᵢ = (Σrᵢ)·IC₀ + Σⱼ (Σᵢ rᵢxᵢⱼ)·ICⱼ is one multi-scalar multiplication: k + 3 Miller loops and one
 * final exponentiation instead of 4k and k. When the product is not 1, halves are re-checked (each with fresh
 * scalars) down to single proofs, so exactly the bad ones are reported.
 *
 * Arithmetic: the WASM BN254 curve snarkjs verifies with (ffjavascript; its Miller loops run in its worker
 * threads). Pure-JS @noble/curves measured slower per proof than snarkjs's single check (docs/zkml-prove.md).
 * Every proof point is checked on the curve, and B in G2's prime-order subgroup (r·B = 0) — a check the
 * single-proof path of snarkjs leaves out.
 */
import { Scalar, utils } from 'ffjavascript';
import { z } from 'zod';
import { BN254_R } from '../fixed-point.js';
import { CANONICAL_FE, proofNotCanonical } from '../format/layout.js';
import { Groth16ProofSchema } from '../format/proof-file.js';
import { snarkjsCurve } from '../prove/curve.js';
import { VerifyError } from './errors.js';

/** Bits of each random scalar (soundness error ≤ 2^-SCALAR_BITS per bad proof in a batch). */
export const SCALAR_BITS = 128;

/** The failure reason of a well-formed proof whose pairing equation does not hold. */
export const PAIRING_FAILED = 'the Groth16 proof does not verify against these public signals';

const Fe = z.string().regex(/^[0-9]{1,78}$/);
const G1Json = z.array(Fe).min(2).max(3);
const G2Json = z.array(z.tuple([Fe, Fe])).min(2).max(3);
/** The verification key fields batch verification reads (snarkjs's verification_key.json). */
const VkSchema = z.object({
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
  nPublic: z.coerce.number().int().min(0),
  vk_alpha_1: G1Json,
  vk_beta_2: G2Json,
  vk_gamma_2: G2Json,
  vk_delta_2: G2Json,
  IC: z.array(G1Json).min(1),
});

type Buf = Uint8Array;
/** A verification key decoded into curve points once (cached per vk object). */
interface PreparedVk { nPublic: number; alpha: Buf; beta: Buf; gamma: Buf; delta: Buf; ic0: Buf; icAffine: Buf }

/** One proof of a batch: the snarkjs proof object and the public signals to check it against (already bound). */
export interface BatchEntry {
  proof: unknown;
  publicSignals: readonly string[];
}

interface Decoded { negA: Buf; b: Buf; cAffine: Buf; x: bigint[] }

const FR_N8 = 32;

function prepareVk(curve: any, vk: Record<string, unknown>, cache: WeakMap<object, PreparedVk>): PreparedVk {
  const hit = cache.get(vk);
  if (hit) return hit;
  const parsed = VkSchema.safeParse(vk);
  if (!parsed.success) throw new VerifyError('VK_INVALID', `not a snarkjs Groth16 bn128 verification key: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`, { hint: 're-run `zkinfer compile` or fetch vk.json again' });
  const v = parsed.data;
  if (v.IC.length !== v.nPublic + 1) throw new VerifyError('VK_INVALID', `the key has ${v.IC.length} IC points for ${v.nPublic} public signals`, { hint: 're-run `zkinfer compile` or fetch vk.json again' });
  const g1 = (p: string[]) => curve.G1.fromObject(utils.unstringifyBigInts(p));
  const g2 = (p: Array<[string, string]>) => curve.G2.fromObject(utils.unstringifyBigInts(p));
  const n8 = curve.G1.F.n8 * 2;
  const icAffine = new Uint8Array(n8 * v.nPublic);
  v.IC.slice(1).forEach((p, j) => icAffine.set(curve.G1.toAffine(g1(p)), j * n8));
  const out: PreparedVk = {
    nPublic: v.nPublic, alpha: g1(v.vk_alpha_1), beta: g2(v.vk_beta_2), gamma: g2(v.vk_gamma_2), delta: g2(v.vk_delta_2),
    ic0: g1(v.IC[0]!), icAffine,
  };
  cache.set(vk, out);
  return out;
}
const vkCache = new WeakMap<object, PreparedVk>();

/** Decode one entry, or the reason it cannot be a valid proof (malformed points, wrong signal count, x ≥ r). */
function decode(curve: any, vk: PreparedVk, e: BatchEntry): Decoded | string {
  const p = Groth16ProofSchema.safeParse(e.proof);
  if (!p.success) return 'the proof is not a snarkjs Groth16 proof over bn128';
  const notCanonical = proofNotCanonical(p.data);
  if (notCanonical) return notCanonical;
  if (e.publicSignals.length !== vk.nPublic) return `${e.publicSignals.length} public signals, the circuit has ${vk.nPublic}`;
  const x: bigint[] = [];
  for (const s of e.publicSignals) {
    if (!CANONICAL_FE.test(s)) return `public signal "${s.slice(0, 20)}" is not a canonical decimal field element (no leading zeros)`;
    const v = BigInt(s);
    if (v >= BN254_R) return `public signal ${s.slice(0, 20)}… is not a canonical field element (≥ r)`;
    x.push(v);
  }
  const pr = utils.unstringifyBigInts(p.data);
  let a: Buf, b: Buf, c: Buf;
  try {
    a = curve.G1.fromObject(pr.pi_a);
    b = curve.G2.fromObject(pr.pi_b);
    c = curve.G1.fromObject(pr.pi_c);
  } catch {
    return 'the proof points are not BN254 coordinates';
  }
  if (!curve.G1.isValid(a) || !curve.G1.isValid(c)) return 'pi_a or pi_c is not a point of BN254 G1';
  if (!curve.G2.isValid(b)) return 'pi_b is not a point of BN254 G2';
  if (curve.G1.isZero(a) || curve.G2.isZero(b)) return 'the proof has a point at infinity';
  if (!curve.G2.isZero(curve.G2.timesScalar(b, Scalar.e(BN254_R)))) return 'pi_b is not in the prime-order subgroup of BN254 G2';
  return { negA: curve.G1.neg(a), b, cAffine: curve.G1.toAffine(c), x };
}

/** Fresh random scalars in [1, 2^bits) from crypto.getRandomValues. */
export function randomScalars(k: number, bits = SCALAR_BITS): bigint[] {
  const words = Math.ceil(bits / 32);
  const buf = new Uint32Array(k * words);
  crypto.getRandomValues(buf);
  const mask = (1n << BigInt(bits)) - 1n;
  return Array.from({ length: k }, (_, i) => {
    let v = 0n;
    for (let w = 0; w < words; w++) v = (v << 32n) | BigInt(buf[i * words + w]!);
    v &= mask;
    return v === 0n ? 1n : v;
  });
}

function scalarBuffer(xs: readonly bigint[]): Buf {
  const out = new Uint8Array(FR_N8 * xs.length);
  xs.forEach((v, i) => Scalar.toRprLE(out, i * FR_N8, v, FR_N8));
  return out;
}

/** One randomised product check over `items` (one proof: r = 1, the plain Groth16 equation). */
async function check(curve: any, vk: PreparedVk, items: readonly Decoded[]): Promise<boolean> {
  const G1 = curve.G1;
  const r = items.length === 1 ? [1n] : randomScalars(items.length);
  const rSum = r.reduce((a, b) => a + b, 0n) % BN254_R;
  // Σᵢ rᵢLᵢ = (Σr)·IC₀ + Σⱼ (Σᵢ rᵢxᵢⱼ)·ICⱼ
  const coef = new Array<bigint>(vk.nPublic).fill(0n);
  items.forEach((it, i) => it.x.forEach((xj, j) => { coef[j] = (coef[j]! + r[i]! * xj) % BN254_R; }));
  let L = G1.timesScalar(vk.ic0, rSum);
  if (vk.nPublic > 0) L = G1.add(L, await G1.multiExpAffine(vk.icAffine, scalarBuffer(coef)));
  const cAff = new Uint8Array(G1.F.n8 * 2 * items.length);
  items.forEach((it, i) => cAff.set(it.cAffine, i * G1.F.n8 * 2));
  const C = await G1.multiExpAffine(cAff, scalarBuffer(r));
  const args: Buf[] = [];
  items.forEach((it, i) => args.push(r[i] === 1n ? it.negA : G1.timesScalar(it.negA, r[i]!), it.b));
  args.push(G1.timesScalar(vk.alpha, rSum), vk.beta, L, vk.gamma, C, vk.delta);
  return curve.pairingEq(...args);
}

export interface BatchOutcome {
  /** Per entry, in order: undefined when the proof verifies, else why not. */
  failures: Array<string | undefined>;
  /** Multi-pairing checks run (1 when every proof is good). */
  checks: number;
}

/**
 * Verify k Groth16 proofs of ONE circuit (one vk) against the given public signals with one multi-pairing;
 * when it fails, bisect with fresh randomness to find exactly the bad proofs. The caller binds its own inputs
 * into `publicSignals` first (docs/security.md). Never throws for a bad proof: the reason is in `failures`.
 */
export async function verifyGroth16Batch(vkJson: Record<string, unknown>, entries: readonly BatchEntry[]): Promise<BatchOutcome> {
  const failures: Array<string | undefined> = new Array(entries.length).fill(undefined);
  if (entries.length === 0) return { failures, checks: 0 };
  const curve = await snarkjsCurve();
  const vk = prepareVk(curve, vkJson, vkCache);
  const good: Array<{ i: number; d: Decoded }> = [];
  entries.forEach((e, i) => {
    const d = decode(curve, vk, e);
    if (typeof d === 'string') failures[i] = d;
    else good.push({ i, d });
  });
  let checks = 0;
  const find = async (group: Array<{ i: number; d: Decoded }>): Promise<void> => {
    if (group.length === 0) return;
    checks++;
    if (await check(curve, vk, group.map((g) => g.d))) return;
    if (group.length === 1) {
      failures[group[0]!.i] = PAIRING_FAILED;
      return;
    }
    const mid = group.length >> 1;
    await find(group.slice(0, mid));
    await find(group.slice(mid));
  };
  await find(good);
  return { failures, checks };
}
