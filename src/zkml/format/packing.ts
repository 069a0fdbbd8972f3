import { BN254_R } from '../fixed-point.js';
import { FormatError } from './errors.js';

/**
 * Packed public inputs (docs/eth.md "Packed public inputs", docs/security.md). Every graph input value is a
 * range-checked integer x ∈ [−2^(w−1), 2^(w−1)) (w = its tensor's rangeBits + 1, the width of the circuit's input
 * range check), so x + 2^(w−1) is a w-bit natural number. The values are laid out in graph order, greedily, into
 * words of at most PACK_WORD_BITS bits: word = Σ (x_i + 2^(w_i−1)) · 2^(shift_i). Since 2^253 < r, a word is a
 * plain integer (no wrap-around) and its split back into the values is unique given the range checks; in the
 * circuit it is one free linear combination. Each word is one public signal instead of one per value, which is
 * what makes on-chain verification cheap (one ecMul + ecAdd per public signal). Dependency-free apart from the
 * field constant, so the browser client packs with the same code.
 */
export const PACK_WORD_BITS = 253;

export interface PackedItem { /** flat input index (graph order) */ index: number; shift: number; width: number }
export type PackPlan = PackedItem[][];

/** The greedy plan: which input value goes into which word, at which shift. */
export function packPlan(widths: readonly number[]): PackPlan {
  const words: PackPlan = [];
  let cur: PackedItem[] = [];
  let used = 0;
  widths.forEach((width, index) => {
    if (!Number.isInteger(width) || width < 1 || width > PACK_WORD_BITS) {
      throw new FormatError('LAYOUT_INVALID', `input value ${index} has width ${width}; packable widths are 1…${PACK_WORD_BITS} bits`, { hint: 're-run `zkinfer compile`: metadata.json is inconsistent' });
    }
    if (used + width > PACK_WORD_BITS) { words.push(cur); cur = []; used = 0; }
    cur.push({ index, shift: used, width });
    used += width;
  });
  if (cur.length) words.push(cur);
  return words;
}

/** Words the plan of these widths needs. */
export const packedWordCount = (widths: readonly number[]): number => packPlan(widths).length;

/** Widths of every input value, flattened in graph order, from the tensors' rangeBits (width = rangeBits + 1). */
export function inputWidths(inputs: ReadonlyArray<{ shape: readonly number[]; rangeBits: number }>): number[] {
  return inputs.flatMap((t) => new Array<number>(t.shape.reduce((a, b) => a * b, 1)).fill(t.rangeBits + 1));
}

/**
 * Pack signed integer values into the words of `plan`. A value outside its width is refused (it would not be
 * the value the circuit range-checks, and could collide with another packing).
 */
export function packValues(plan: PackPlan, values: readonly bigint[]): bigint[] {
  return plan.map((items) => items.reduce((word, { index, shift, width }) => {
    const x = values[index];
    if (x === undefined) throw new FormatError('INPUT_SHAPE', `input value ${index} is missing for the packed public inputs`);
    const half = 1n << BigInt(width - 1);
    if (x < -half || x >= half) {
      throw new FormatError('INPUT_SHAPE', `input value ${index} (${x}) is outside the circuit's range [−2^${width - 1}, 2^${width - 1})`, { hint: 'check the input against metadata.inputs[].rangeBits' });
    }
    return word + ((x + half) << BigInt(shift));
  }, 0n));
}

/** Split words back into the signed values (exact inverse of packValues on words it produced). */
export function unpackValues(plan: PackPlan, words: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  plan.forEach((items, j) => {
    const w = words[j] ?? 0n;
    for (const { index, shift, width } of items) {
      const half = 1n << BigInt(width - 1);
      out[index] = ((w >> BigInt(shift)) & ((1n << BigInt(width)) - 1n)) - half;
    }
  });
  return out;
}

/** A field element string as a signed integer (x > r/2 reads as x − r), the encoding of negative inputs. */
export function signedOfField(f: string): bigint {
  const x = BigInt(f);
  return x > BN254_R / 2n ? x - BN254_R : x;
}
