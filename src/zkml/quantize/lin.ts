/** A signal id of the fixed-point program (main inputs first, then gadget outputs). */
export type Sig = number;

/** A linear combination Σ coeff·signal + c over integers (free in R1CS). */
export interface Lin {
  terms: Map<Sig, bigint>;
  c: bigint;
}

export const linConst = (c: bigint): Lin => ({ terms: new Map(), c });
export const linSig = (s: Sig): Lin => ({ terms: new Map([[s, 1n]]), c: 0n });

/** Σ k_i · x_i + c. */
export function linComb(parts: Array<[bigint, Lin]>, c = 0n): Lin {
  const terms = new Map<Sig, bigint>();
  let k0 = c;
  for (const [k, x] of parts) {
    if (k === 0n) continue;
    k0 += k * x.c;
    for (const [s, v] of x.terms) {
      const n = (terms.get(s) ?? 0n) + k * v;
      if (n === 0n) terms.delete(s); else terms.set(s, n);
    }
  }
  return { terms, c: k0 };
}

export const linAdd = (a: Lin, b: Lin): Lin => linComb([[1n, a], [1n, b]]);
export const linSub = (a: Lin, b: Lin): Lin => linComb([[1n, a], [-1n, b]]);
export const linScale = (a: Lin, k: bigint): Lin => linComb([[k, a]]);

export const isConstLin = (a: Lin): boolean => a.terms.size === 0;

/** Evaluate over integer signal values. */
export function linEval(a: Lin, vals: ArrayLike<bigint> | Map<Sig, bigint>): bigint {
  let v = a.c;
  const get = vals instanceof Map ? (s: Sig) => vals.get(s)! : (s: Sig) => (vals as ArrayLike<bigint>)[s]!;
  for (const [s, k] of a.terms) v += k * get(s);
  return v;
}

export type Bound = [bigint, bigint];

/** Interval bound [lo, hi] of a linear combination from the bounds of its signals. */
export function linBound(a: Lin, bounds: ArrayLike<Bound>): Bound {
  let lo = a.c, hi = a.c;
  for (const [s, k] of a.terms) {
    const [l, h] = bounds[s]!;
    if (k >= 0n) { lo += k * l; hi += k * h; } else { lo += k * h; hi += k * l; }
  }
  return [lo, hi];
}

/** Smallest n with −2^(n−1) ≤ lo and hi < 2^(n−1) (two's-complement width that holds the interval). */
export function bitsFor([lo, hi]: Bound): number {
  let n = 1;
  while (-(1n << BigInt(n - 1)) > lo || hi >= 1n << BigInt(n - 1)) n++;
  return n;
}

/** floor(x / 2^d) for signed BigInt. */
export function floorShift(x: bigint, d: number): bigint {
  return x >> BigInt(d); // BigInt >> is arithmetic (floors toward −∞)
}
