import { BN254_R } from '../fixed-point.js';

/** Arithmetic in the BN254 scalar field Fr with native BigInt (setup-time only; not a hot path). */
export const R = BN254_R;

export const mod = (a: bigint): bigint => { const x = a % R; return x < 0n ? x + R : x; };
export const mul = (a: bigint, b: bigint): bigint => (a * b) % R;

export function pow(base: bigint, e: bigint): bigint {
  let r = 1n, b = mod(base), x = e;
  while (x > 0n) { if (x & 1n) r = (r * b) % R; b = (b * b) % R; x >>= 1n; }
  return r;
}

/** Modular inverse by the extended Euclidean algorithm. */
export function inv(a: bigint): bigint {
  let [r0, r1] = [mod(a), R];
  if (r0 === 0n) throw new RangeError('inverse of zero');
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return mod(s0);
}

/** Inverses of every element (Montgomery's trick: one inversion). */
export function batchInv(xs: bigint[]): bigint[] {
  const n = xs.length;
  const pre = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) { pre[i] = acc; acc = (acc * xs[i]!) % R; }
  let iacc = inv(acc);
  const out = new Array<bigint>(n);
  for (let i = n - 1; i >= 0; i--) { out[i] = (iacc * pre[i]!) % R; iacc = (iacc * xs[i]!) % R; }
  return out;
}

/** [1, x, x², …, x^(n-1)]. */
export function powers(x: bigint, n: number, start = 1n): bigint[] {
  const out = new Array<bigint>(n);
  let acc = mod(start);
  for (let i = 0; i < n; i++) { out[i] = acc; acc = (acc * x) % R; }
  return out;
}

/**
 * Lagrange basis of the size-m domain {ω^i} evaluated at tau: L_i(τ) = (τ^m − 1)/m · ω^i/(τ − ω^i).
 * `omega` must be a primitive m-th root of unity (ffjavascript's Fr.w[log2 m], the one snarkjs's FFTs use).
 * With `dropLastPower`, returns the values snarkjs `prepare phase2` produces for its largest tauG1 block,
 * where the power τ^(m−1) is missing: L_i(τ) − ω^i·τ^(m−1)/m.
 */
export function lagrangeAt(tau: bigint, m: number, omega: bigint, dropLastPower = false): bigint[] {
  return lagrangeAtIndices(tau, m, omega, 0, 1, m, dropLastPower);
}

/**
 * lagrangeAt's values at the indices first, first + step, … (`count` of them) only, in memory for those alone: setup
 * walks the 2^21–2^22 domains in chunks with it, and the direct zkey takes the odd points of the 2n domain.
 */
export function lagrangeAtIndices(tau: bigint, m: number, omega: bigint, first: number, step: number, count: number, dropLastPower = false): bigint[] {
  const M = BigInt(m);
  const w = powers(pow(omega, BigInt(step)), count, pow(omega, BigInt(first)));
  const denInv = batchInv(w.map((wi) => mod(tau - wi)));
  const c = mul(mod(pow(tau, M) - 1n), inv(M));
  const out = w.map((wi, i) => mul(mul(c, wi), denInv[i]!));
  if (dropLastPower) {
    const t = mul(pow(tau, M - 1n), inv(M));
    for (let i = 0; i < count; i++) out[i] = mod(out[i]! - mul(w[i]!, t));
  }
  return out;
}
