/**
 * The largest / smallest of many numbers with Math.max / Math.min's own rules (NaN wins, +0 above −0, −∞ / +∞ for
 * none), folded one by one: `Math.max(...xs)` passes every element as an argument and throws a RangeError (call
 * stack size exceeded) past ≈ 10^5 of them, which a model's reduction, pooling window, softmax group or linear row
 * can exceed.
 */
export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const v of xs) m = Math.max(m, v);
  return m;
}

export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const v of xs) m = Math.min(m, v);
  return m;
}
