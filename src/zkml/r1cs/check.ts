import { BN254_R } from '../fixed-point.js';
import type { LinearRow, R1cs } from './read.js';

const dot = (row: LinearRow, w: ArrayLike<bigint>): bigint => {
  let s = 0n;
  for (const [i, k] of row) s += k * w[i]!;
  return s % BN254_R;
};

type Constraint = [LinearRow, LinearRow, LinearRow];
/** A·w × B·w = C·w (mod p). */
const holds = ([a, b, c]: Constraint, w: ArrayLike<bigint>): boolean => (dot(a, w) * dot(b, w)) % BN254_R === dot(c, w);

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
  r1cs.constraints.forEach((c, i) => { if (!holds(c, witness)) { failures++; failed ??= i; } });
  return failed === undefined ? { ok: true, failures: 0 } : { ok: false, failed, failures };
}

/** Every constraint, and for each wire the constraints that read it (CSR: wire w's are at[start[w] … start[w + 1])). */
interface WireIndex { constraints: Constraint[]; start: Int32Array; at: Int32Array }
const indexes = new WeakMap<R1cs['constraints'], WireIndex>();

function wireIndex(r1cs: R1cs): WireIndex {
  let ix = indexes.get(r1cs.constraints);
  if (ix) return ix;
  const constraints: Constraint[] = [];
  const count = new Int32Array(r1cs.nWires + 1);
  const seen = new Int32Array(r1cs.nWires).fill(-1);
  const reads = (c: Constraint, i: number, f: (w: number) => void) => {
    for (const row of c) for (const [w] of row) if (seen[w] !== i) { seen[w] = i; f(w); }
  };
  r1cs.constraints.forEach((c, i) => { constraints.push(c); reads(c, i, (w) => { count[w + 1]!++; }); });
  for (let w = 0; w < r1cs.nWires; w++) count[w + 1]! += count[w]!;
  const at = new Int32Array(count[r1cs.nWires]!), fill = count.slice(0, r1cs.nWires);
  seen.fill(-1);
  constraints.forEach((c, i) => reads(c, i, (w) => { at[fill[w]!++] = i; }));
  ix = { constraints, start: count, at };
  indexes.set(r1cs.constraints, ix);
  return ix;
}

/**
 * checkR1cs of `changed` given a witness `base` that satisfies every constraint (checkR1cs(r1cs, base).ok): only the
 * constraints that read a wire where the two differ are evaluated, since every other one reads the same values as
 * under `base`. The result is then checkR1cs(r1cs, changed)'s, at the cost of the changed wires' constraints: what
 * the soundness harnesses need for their hundreds of tampered copies of one honest witness (test/fixtures/onnx/
 * soundness.ts). With a `base` that does not satisfy the r1cs the answer means nothing.
 */
export function checkR1csChange(r1cs: R1cs, base: ArrayLike<bigint>, changed: ArrayLike<bigint>): R1csCheck {
  if (base.length !== r1cs.nWires || changed.length !== r1cs.nWires) throw new RangeError(`witnesses have ${base.length} and ${changed.length} wires, the r1cs ${r1cs.nWires}`);
  if (changed[0] !== 1n) return { ok: false, failed: -1, failures: 1 };
  const { constraints, start, at } = wireIndex(r1cs);
  const touched = new Set<number>();
  for (let w = 0; w < r1cs.nWires; w++) if (base[w] !== changed[w]) for (let k = start[w]!; k < start[w + 1]!; k++) touched.add(at[k]!);
  let failed: number | undefined, failures = 0;
  for (const i of [...touched].sort((x, y) => x - y)) if (!holds(constraints[i]!, changed)) { failures++; failed ??= i; }
  return failed === undefined ? { ok: true, failures: 0 } : { ok: false, failed, failures };
}
