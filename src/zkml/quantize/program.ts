import { actEval, type ActTable } from './activation.js';
import { actProducts } from './act-poly.js';
import { programPackPlan } from '../r1cs/public-wires.js';
import { floorShift, linEval, type Bound, type Lin, type Sig } from './lin.js';
import { WitnessInputError } from '../witness/errors.js';
import { toField } from '../fixed-point.js';
import { inv } from '../setup/field.js';
import { maxOf } from '../extrema.js';

/**
 * The fixed-point program: a straight-line list of gadgets over integer signals. Linear combinations are free;
 * every gadget below costs constraints. The circuit generator and the integer emulator both walk this list, so the
 * emulation is the circuit's witness by construction (and a test checks it against the compiled witness).
 *
 * - `range`:   x ∈ [−2^(n−1), 2^(n−1)) via n bits (inputs).
 * - `mul`:     out = a·b.
 * - `rescale`: out = floor(x / 2^d); x's n bits carry remainder (low d) and quotient (high n−d) range checks.
 * - `relu`:    out = max(0, floor(x / 2^d)) (sign bit × quotient).
 * - `act`:     out = piecewise-linear sigmoid/tanh of x (scale sx); `q` optionally = floor(x / 2^d) too.
 * - `div`:     out = q with x = q·y + r, 0 ≤ r < |y| (Euclidean division by a computed y; y = 0 has no witness):
 *              r and |y| − 1 − r in ny bits, q in nq signed bits; `signed` when y may be negative (sign of y in ny + 1
 *              bits, |y| one product). docs/zkml-compile.md "Division".
 */
export type Gadget =
  | { kind: 'range'; node: string; x: Lin; n: number }
  | { kind: 'mul'; node: string; a: Lin; b: Lin; out: Sig }
  | { kind: 'rescale'; node: string; x: Lin; n: number; d: number; out: Sig }
  | { kind: 'relu'; node: string; x: Lin; n: number; d: number; out: Sig }
  | { kind: 'act'; node: string; x: Lin; n: number; sx: number; table: ActTable; out: Sig; q?: { d: number; out: Sig } }
  | { kind: 'div'; node: string; x: Lin; y: Lin; ny: number; nq: number; signed: boolean; out: Sig };

export interface FixedProgram {
  /** Number of main-component input signals (`in[0..nIn)` are signals 0..nIn−1). */
  nIn: number;
  nSignals: number;
  gadgets: Gadget[];
  /** Each main output `out[i]` as a linear combination. */
  outputs: Lin[];
  /** Static bound of every signal (inputs from the range check, gadget outputs from their definition). */
  bounds: Bound[];
}

/** R1CS constraints a gadget costs after circom -O2 (the linear bit-sum equation is folded into the bits). */
export function gadgetCost(g: Gadget): number {
  switch (g.kind) {
    case 'range': return g.n;
    case 'mul': return 1;
    case 'rescale': return g.n;
    case 'relu': return g.n + 1;
    case 'act': {
      const P = g.table.k + g.sx;
      const m = g.n - 1 - P; // bits above the window
      const sat = m <= 0 ? 0 : m === 1 ? 2 : 3; // the window test (m = 1: an XOR product; m > 1: IsZero of a linear sum) + the final select
      return g.n + sat + actProducts(g.table) + 1;
    }
    case 'div': return 2 * g.ny + g.nq + 1 + (g.signed ? g.ny + 2 : 0);
  }
}

/**
 * Linear constraints the public equations leave after -O2: each `out[i] <== lin` and each packed input word
 * (docs/eth.md "Packed public inputs") is folded away by solving it for one private signal of its combination (main
 * inputs are private: only their packed words are public). Solved in order, as the emitter and circom do: an
 * equation costs one constraint when, after substituting the signals solved so far, no signal is left in it (it
 * depends on the earlier ones over the field), e.g. an LSTM's Y_h repeating the last Y, or ReduceSum's row sums
 * and column sums of the same inputs. Returns the outputs' costs, then the words'.
 */
export function publicEquationCosts(p: FixedProgram): number[] {
  const subs = new Map<number, Map<number, bigint>>(); // solved signal → its value in the remaining signals
  const rows = [...p.outputs.map((o) => o.terms), ...programPackPlan(p).map((w) => new Map(w.map((it) => [it.index, 1n << BigInt(it.shift)])))];
  return rows.map((terms) => {
    const r = new Map<number, bigint>();
    const add = (sig: number, k: bigint) => { const n = toField((r.get(sig) ?? 0n) + k); if (n === 0n) r.delete(sig); else r.set(sig, n); };
    for (const [sig, k] of terms) {
      const e = subs.get(sig);
      if (e) for (const [t, c] of e) add(t, k * c); else add(sig, k);
    }
    if (r.size === 0) return 1;
    const pivot = maxOf(r.keys());
    const k = r.get(pivot)!;
    r.delete(pivot);
    const f = toField(-inv(k));
    const expr = new Map([...r].map(([t, c]) => [t, toField(c * f)]));
    for (const e of subs.values()) {
      const c = e.get(pivot);
      if (c === undefined) continue;
      e.delete(pivot);
      for (const [t, v] of expr) { const n = toField((e.get(t) ?? 0n) + c * v); if (n === 0n) e.delete(t); else e.set(t, n); }
    }
    subs.set(pivot, expr);
    return 0;
  });
}

/** The outputs' share of publicEquationCosts (one entry per main output). */
export const outputCosts = (p: FixedProgram): number[] => publicEquationCosts(p).slice(0, p.outputs.length);

/** Total R1CS constraints of the compiled program (gadgets plus output equalities). */
export function programCost(p: FixedProgram): number {
  return p.gadgets.reduce((s, g) => s + gadgetCost(g), 0) + publicEquationCosts(p).reduce((a, b) => a + b, 0);
}

/** Run the program on integer inputs; returns every signal value (what the witness holds) and the outputs. */
export function emulate(p: FixedProgram, inputs: bigint[]): { signals: bigint[]; outputs: bigint[] } {
  if (inputs.length !== p.nIn) throw new RangeError(`program takes ${p.nIn} inputs, got ${inputs.length}`);
  const v = new Array<bigint>(p.nSignals);
  inputs.forEach((x, i) => { v[i] = x; });
  for (const g of p.gadgets) runGadget(g, v);
  return { signals: v, outputs: p.outputs.map((o) => linEval(o, v)) };
}

/** Compute one gadget's output signals into `v` (what the witness holds); emulate walks the list with it. */
export function runGadget(g: Gadget, v: bigint[]): void {
  switch (g.kind) {
    case 'range': break;
    case 'mul': v[g.out] = linEval(g.a, v) * linEval(g.b, v); break;
    case 'rescale': v[g.out] = floorShift(linEval(g.x, v), g.d); break;
    case 'relu': { const q = floorShift(linEval(g.x, v), g.d); v[g.out] = q > 0n ? q : 0n; break; }
    case 'act': {
      const x = linEval(g.x, v);
      v[g.out] = actEval(g.table, x, g.sx);
      if (g.q) v[g.q.out] = floorShift(x, g.q.d);
      break;
    }
    case 'div': v[g.out] = euclidDiv(linEval(g.x, v), linEval(g.y, v), g.node).q; break;
  }
}

/**
 * Euclidean division x = q·y + r with 0 ≤ r < |y|, what the `div` gadget proves. A zero divisor has no witness: a
 * typed error naming the node (docs/zkml-compile.md "Division").
 */
export function euclidDiv(x: bigint, y: bigint, node: string): { q: bigint; r: bigint } {
  if (y === 0n) {
    throw new WitnessInputError('WITNESS_FAILED', `division by zero at node "${node}": the circuit has no witness for a zero divisor`, {
      hint: 'this input makes a divisor of the model exactly 0 in fixed point; use an input whose divisor is non-zero (or a larger --scale)',
    });
  }
  const ay = y < 0n ? -y : y;
  const r = ((x % ay) + ay) % ay;
  return { q: (x - r) / y, r };
}

/** Check that every gadget input stays within its declared bit width on these inputs (the circuit would refuse otherwise). */
export function checkWidths(p: FixedProgram, signals: bigint[]): string | undefined {
  for (const g of p.gadgets) {
    if (g.kind === 'mul') continue;
    if (g.kind === 'div') {
      const y = linEval(g.y, signals), x = linEval(g.x, signals);
      if (y === 0n) return `div at ${g.node}: division by zero`;
      const ay = y < 0n ? -y : y, q = euclidDiv(x, y, g.node).q, lim = 1n << BigInt(g.nq - 1);
      if (ay > 1n << BigInt(g.ny)) return `div at ${g.node}: divisor ${y} outside ±2^${g.ny}`;
      if (q < -lim || q >= lim) return `div at ${g.node}: quotient ${q} outside ±2^${g.nq - 1}`;
      continue;
    }
    const x = linEval(g.x, signals), lim = 1n << BigInt(g.n - 1);
    if (x < -lim || x >= lim) return `${g.kind} at ${g.node}: ${x} outside ±2^${g.n - 1}`;
  }
  return undefined;
}
