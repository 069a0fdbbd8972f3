/**
 * substrate-fixed's I32F32 and I64F64 as subtensor's epoch uses them (docs/chain.md "Yuma consensus"),
 * on raw two's-complement bits held in a bigint. The rounding is the crate's (encointer/substrate-fixed
 * v0.6.0, d5f70362f2e05b5f33fb51cd7baa825323e4e6c5, src/arith.rs `mul_div_widen`):
 *   mul: (a·b) >> frac — an arithmetic shift, so rounds toward −∞;
 *   div: (a << frac) / b — integer division, so truncates toward 0;
 *   narrowing to fewer fraction bits and to integers: floor.
 * `saturating_*` clamp to the type's range; `safe_div` (subtensor's safe-math) is checked_div or 0.
 */
export type Fx = bigint;

export const FRAC = 32n;
export const ONE: Fx = 1n << FRAC;
export const ZERO: Fx = 0n;
const MAX32: Fx = (1n << 63n) - 1n;
const MIN32: Fx = -(1n << 63n);
const FRAC64 = 64n;
const MAX64 = (1n << 127n) - 1n;

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

/** I32F32::saturating_from_num of an integer. */
export function fromInt(n: number | bigint): Fx {
  return clamp(BigInt(n) << FRAC, MIN32, MAX32);
}

export const add = (a: Fx, b: Fx): Fx => clamp(a + b, MIN32, MAX32);
export const sub = (a: Fx, b: Fx): Fx => clamp(a - b, MIN32, MAX32);
export const mul = (a: Fx, b: Fx): Fx => clamp((a * b) >> FRAC, MIN32, MAX32);

/** checked_mul: null on overflow. */
export function checkedMul(a: Fx, b: Fx): Fx | null {
  const p = (a * b) >> FRAC;
  return p > MAX32 || p < MIN32 ? null : p;
}

/** checked_div: None (here null) on a zero divisor or overflow. Truncates toward zero like the crate. */
export function checkedDiv(a: Fx, b: Fx): Fx | null {
  if (b === 0n) return null;
  const q = (a << FRAC) / b;
  return q > MAX32 || q < MIN32 ? null : q;
}

/** subtensor safe-math `safe_div`: checked_div, or 0. */
export const div = (a: Fx, b: Fx): Fx => checkedDiv(a, b) ?? 0n;

/** saturating_div (the divisor is never zero where the pallet uses it). */
export function satDiv(a: Fx, b: Fx): Fx {
  if (b === 0n) throw new RangeError('I32F32 division by zero');
  return clamp((a << FRAC) / b, MIN32, MAX32);
}

export const min = (a: Fx, b: Fx): Fx => (a < b ? a : b);
export const max = (a: Fx, b: Fx): Fx => (a > b ? a : b);

export function sum(v: readonly Fx[]): Fx {
  let s = 0n;
  for (const x of v) s = add(s, x);
  return s;
}

/** u16 / u16::MAX as I32F32 (`u16_proportion_to_fixed`, `get_float_kappa`, …). */
export function u16Proportion(x: number): Fx {
  return div(fromInt(x), fromInt(65535));
}

/** `fixed_proportion_to_u16`: x·65535, saturating, floor to u16. */
export function proportionToU16(x: Fx): number {
  return Number(clamp(mul(x, fromInt(65535)) >> FRAC, 0n, 65535n));
}

/** saturating_to_num::<u64> (floor; negatives to 0). */
export function toU64(x: Fx): bigint {
  return x <= 0n ? 0n : x >> FRAC;
}

/** For tests and docs only: the value as a float. */
export function toNumber(x: Fx): number {
  return Number(x) / 2 ** 32;
}

/**
 * Stake as the pallet normalises it: integer stakes as I64F64, each divided by their sum
 * (`inplace_normalize_64`, truncating), then narrowed to I32F32 (`vec_fixed64_to_fixed32`, floor).
 */
export function normalizeStake64(stake: readonly bigint[]): Fx[] {
  const total = stake.reduce((a, b) => a + b, 0n);
  if (total === 0n) return stake.map(() => 0n);
  return stake.map((s) => {
    const q = ((s << FRAC64) << FRAC64) / (total << FRAC64); // I64F64 safe_div
    return q > MAX64 ? 0n : clamp(q >> (FRAC64 - FRAC), MIN32, MAX32);
  });
}

/** 1 − bondsMovingAvg/10⁶, the I64F64 ratio narrowed to I32F32 (`compute_disabled_liquid_alpha`). */
export function emaAlpha(bondsMovingAvg: number): Fx {
  const ratio64 = (BigInt(bondsMovingAvg) << FRAC64) / 1_000_000n;
  return sub(ONE, ratio64 >> (FRAC64 - FRAC));
}

/** substrate-fixed's E constant (I9F23, floor(e·2²³)) widened to I32F32. */
const E_I9F23 = 22_802_600n;

/**
 * substrate-fixed `transcendental::exp` for I32F32: Taylor series 1 + x + Σ_{i=2}^{31} xⁱ/i! with each
 * term multiplied and divided in I32F32 (checked), 1/result for negative x; exp(1) is the E constant.
 * Returns null where the crate returns Err (overflow).
 */
export function exp(x: Fx): Fx | null {
  if (x === 0n) return ONE;
  if (x === ONE) return E_I9F23 << (FRAC - 23n);
  const neg = x < 0n;
  const op = neg ? -x : x;
  let result = op + ONE;
  if (result > MAX32) return null;
  let term = op;
  for (let i = 2n; i < FRAC; i++) {
    const t = checkedMul(term, op);
    if (t === null) return null;
    const q = checkedDiv(t, i << FRAC);
    if (q === null) return null;
    term = q;
    result += term;
    if (result > MAX32) return null;
  }
  return neg ? checkedDiv(ONE, result) : result;
}

/** subtensor `exp_safe`: input clamped to [−20, 20]; on Err 0 for x ≤ 0, else I32F32::MAX. */
export function expSafe(x: Fx): Fx {
  const c = clamp(x, fromInt(-20), fromInt(20));
  return exp(c) ?? (c <= 0n ? 0n : MAX32);
}
