/**
 * u16 storage helpers of subtensor's `epoch/math.rs` (opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0) shared by the devnet and the epoch; the epoch's I32F32
 * matrix arithmetic is in sparse.ts and fixed.ts (docs/chain.md "Yuma consensus").
 */
import * as fx from './fixed.js';

export const U16_MAX = 65535;

/** u16 → proportion in [0,1], for display (the epoch itself uses fixed.ts). */
export function u16ToProportion(x: number): number {
  return x / U16_MAX;
}

/** fixed's `round()`: to nearest, ties away from zero (values here are non-negative). */
function roundHalfUp(x: fx.Fx): fx.Fx {
  return (x + (fx.ONE >> 1n)) >> fx.FRAC;
}

/**
 * `vec_max_upscale_to_u16`: I32F32 values scaled so the max is 65535 and rounded (half away from zero) —
 * by e·(65535/max) when max > 32768, else by (e·65535)/max, as the chain does; all zero → floor(e·65535).
 */
export function vecMaxUpscaleToU16(xs: readonly fx.Fx[]): number[] {
  const u16max = fx.fromInt(U16_MAX);
  const mx = xs.reduce((a, b) => (b > a ? b : a), 0n);
  const clampU16 = (x: fx.Fx): number => Number(x < 0n ? 0n : x > 65535n ? 65535n : x);
  if (mx === 0n) return xs.map((e) => clampU16(fx.mul(e, u16max) >> fx.FRAC));
  if (mx > fx.fromInt(32768)) return xs.map((e) => clampU16(roundHalfUp(fx.mul(e, fx.div(u16max, mx)))));
  return xs.map((e) => clampU16(roundHalfUp(fx.div(fx.mul(e, u16max), mx))));
}

/** `vec_u16_max_upscale_to_u16`, what set_weights stores: the u16 weights as I32F32, max-upscaled. */
export function maxUpscaleToU16(v: readonly number[]): number[] {
  return vecMaxUpscaleToU16(v.map((x) => fx.fromInt(Math.floor(x))));
}

/**
 * subtensor's `is_topk_nonzero`: non-zero entries, minus the n − k smallest in an ascending stable
 * sort — so among equal values the HIGHER indices keep their place; with n < k every non-zero entry is in.
 */
export function isTopkNonzero<T extends number | bigint>(v: readonly T[], k: number): boolean[] {
  const out = v.map((x) => x !== 0 && x !== 0n);
  if (v.length < k) return out;
  const asc = v.map((_, i) => i).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
  for (const i of asc.slice(0, v.length - k)) out[i] = false;
  return out;
}
