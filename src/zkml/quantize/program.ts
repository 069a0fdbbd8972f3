import { actEval, selectorSplit, type ActTable } from './activation.js';
import { floorShift, linEval, type Bound, type Lin, type Sig } from './lin.js';

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
 */
export type Gadget =
  | { kind: 'range'; node: string; x: Lin; n: number }
  | { kind: 'mul'; node: string; a: Lin; b: Lin; out: Sig }
  | { kind: 'rescale'; node: string; x: Lin; n: number; d: number; out: Sig }
  | { kind: 'relu'; node: string; x: Lin; n: number; d: number; out: Sig }
  | { kind: 'act'; node: string; x: Lin; n: number; sx: number; table: ActTable; out: Sig; q?: { d: number; out: Sig } };

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
      const sat = m <= 0 ? 0 : m === 1 ? 2 : 4; // sign·S (+ IsZero when m > 1) + the final select
      return g.n + sat + selectorSplit(g.table.j + 1).products + 1;
    }
  }
}

/**
 * Linear constraints the outputs leave after -O2: each `out[i] <== lin` is folded away by solving it for one private
 * signal of lin. An output costs one constraint when no private signal is left for it: outputs − (maximum matching of
 * outputs to distinct private signals), e.g. an LSTM's Y_h repeating the last Y, or an output that is an input.
 */
export function outputCosts(p: FixedProgram): number[] {
  const owner = new Map<number, number>(); // private signal → output matched to it
  const cands = p.outputs.map((o) => [...o.terms.keys()].filter((s) => s >= p.nIn));
  const tryMatch = (i: number, seen: Set<number>): boolean => {
    for (const s of cands[i]!) {
      if (seen.has(s)) continue;
      seen.add(s);
      const j = owner.get(s);
      if (j === undefined || tryMatch(j, seen)) { owner.set(s, i); return true; }
    }
    return false;
  };
  return p.outputs.map((_, i) => (tryMatch(i, new Set()) ? 0 : 1));
}

/** Total R1CS constraints of the compiled program (gadgets plus output equalities). */
export function programCost(p: FixedProgram): number {
  return p.gadgets.reduce((s, g) => s + gadgetCost(g), 0) + outputCosts(p).reduce((a, b) => a + b, 0);
}

/** Run the program on integer inputs; returns every signal value (what the witness holds) and the outputs. */
export function emulate(p: FixedProgram, inputs: bigint[]): { signals: bigint[]; outputs: bigint[] } {
  if (inputs.length !== p.nIn) throw new RangeError(`program takes ${p.nIn} inputs, got ${inputs.length}`);
  const v = new Array<bigint>(p.nSignals);
  inputs.forEach((x, i) => { v[i] = x; });
  for (const g of p.gadgets) {
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
    }
  }
  return { signals: v, outputs: p.outputs.map((o) => linEval(o, v)) };
}

/** Check that every gadget input stays within its declared bit width on these inputs (the circuit would refuse otherwise). */
export function checkWidths(p: FixedProgram, signals: bigint[]): string | undefined {
  for (const g of p.gadgets) {
    if (g.kind === 'mul') continue;
    const x = linEval(g.x, signals), lim = 1n << BigInt(g.n - 1);
    if (x < -lim || x >= lim) return `${g.kind} at ${g.node}: ${x} outside ±2^${g.n - 1}`;
  }
  return undefined;
}
