import { packPlan, type PackPlan } from '../format/packing.js';
import type { FixedProgram } from '../quantize/program.js';

/**
 * The packed public inputs of a program (docs/eth.md "Packed public inputs"): each main input's width is the width
 * of the `range` gadget that checks exactly that input, so the packing is unique by construction of the circuit
 * (format/packing.ts). An input without its own range check cannot be packed soundly: refused.
 */
export function programPackPlan(p: FixedProgram): PackPlan {
  const widths = new Array<number | undefined>(p.nIn).fill(undefined);
  for (const g of p.gadgets) {
    if (g.kind !== 'range' || g.x.c !== 0n || g.x.terms.size !== 1) continue;
    const [[s, k]] = [...g.x.terms];
    if (k === 1n && s < p.nIn && widths[s] === undefined) widths[s] = g.n;
  }
  const missing = widths.findIndex((w) => w === undefined);
  if (missing >= 0) throw new Error(`internal: input ${missing} has no range check of its own, so it cannot be a packed public input`);
  return packPlan(widths as number[]);
}

/** Σ (x_i + 2^(w_i−1))·2^shift_i of one word as integer coefficients: per input index its factor, and the constant. */
export function wordTerms(items: PackPlan[number]): { terms: Array<[number, bigint]>; c: bigint } {
  let c = 0n;
  const terms = items.map(({ index, shift, width }): [number, bigint] => {
    c += 1n << BigInt(shift + width - 1);
    return [index, 1n << BigInt(shift)];
  });
  return { terms, c };
}
