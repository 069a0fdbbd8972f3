import { multilinear } from '../codegen/circom.js';
import { selectorSplit, type ActTable } from './activation.js';

/**
 * Products of an activation gadget's segment selector (docs/zkml-compile.md "Activations"): the monomials of the low
 * r selector bits, then a Horner scheme over the high h bits for A and for B. A Horner step sel·P whose factor P is a
 * constant (a flat stretch of a table, e.g. exp far below 0 where A and B round to 0) is linear, not a product: circom
 * -O2 folds it, and the direct backend writes it as a linear term too. This counts what is left.
 */

/** Whether Horner's polynomial over the selector bits ≥ i, with the high bits in `hm` set, has a non-constant term. */
export function hornerNonConst(c: readonly bigint[], r: number, h: number, i: number, hm: number): boolean {
  const free = ((1 << h) - 1) & ~((1 << i) - 1);
  for (let S = free; ; S = (S - 1) & free) {
    for (let lm = 0; lm < 2 ** r; lm++) if ((lm !== 0 || S !== 0) && c[lm | ((hm | S) << r)] !== 0n) return true;
    if (S === 0) return false;
  }
}

const counted = new WeakMap<ActTable, number>();

/** R1CS products of an activation gadget's selector polynomials (monomials + the non-constant Horner steps of A and B). */
export function actProducts(tb: ActTable): number {
  const seen = counted.get(tb);
  if (seen !== undefined) return seen;
  const { r } = selectorSplit(tb.j + 1);
  const h = tb.j + 1 - r;
  let n = 2 ** r - r - 1;
  for (const c of [multilinear(tb.A), multilinear(tb.B)]) {
    const walk = (i: number, hm: number): number =>
      i === h ? 0 : walk(i + 1, hm) + walk(i + 1, hm | (1 << i)) + (hornerNonConst(c, r, h, i + 1, hm | (1 << i)) ? 1 : 0);
    n += walk(0, 0);
  }
  counted.set(tb, n);
  return n;
}
