import { BN254_R } from '../fixed-point.js';
import type { LinearRow, R1cs } from './read.js';

const dot = (row: LinearRow, w: ArrayLike<bigint>): bigint => {
  let s = 0n;
  for (const [i, k] of row) s += k * w[i]!;
  return s % BN254_R;
};

export interface R1csCheck {
  ok: boolean;
  /** Index of the first violated constraint. */
  failed?: number;
  /** How many constraints fail. */
  failures: number;
}

/** Evaluate every constraint A·w × B·w = C·w (mod p) over a full witness (w[0] = 1). */
export function checkR1cs(r1cs: R1cs, witness: ArrayLike<bigint>): R1csCheck {
  if (witness.length !== r1cs.nWires) throw new RangeError(`witness has ${witness.length} wires, the r1cs ${r1cs.nWires}`);
  if (witness[0] !== 1n) return { ok: false, failed: -1, failures: 1 };
  let failed: number | undefined, failures = 0;
  r1cs.constraints.forEach(([a, b, c], i) => {
    if ((dot(a, witness) * dot(b, witness)) % BN254_R !== dot(c, witness)) { failures++; failed ??= i; }
  });
  return failed === undefined ? { ok: true, failures: 0 } : { ok: false, failed, failures };
}
