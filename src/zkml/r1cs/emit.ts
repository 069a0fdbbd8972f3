import { BN254_R, toField } from '../fixed-point.js';
import { inv as modInv } from '../setup/field.js';
import { selectorSplit } from '../quantize/activation.js';
import { linEval, type Lin } from '../quantize/lin.js';
import { emulate, euclidDiv, type FixedProgram, type Gadget } from '../quantize/program.js';
import { WitnessInputError } from '../witness/errors.js';
import { multilinear } from '../codegen/circom.js';
import { ConstraintStore } from './store.js';
import { hornerNonConst } from '../quantize/act-poly.js';
import { programPackPlan, wordTerms } from './public-wires.js';

/**
 * Direct R1CS backend (docs/zkml-compile.md, "Direct backend"): the fixed-point program is the circuit, so its
 * constraints are written straight from the gadget list — no circom, no witness WebAssembly, no size ceiling but
 * memory. The same walk, given the emulated signal values, computes the witness, so the constraint system and the
 * witness can never disagree about the wire layout. One emitter per gadget kind (`EMITTERS`): a new kind is added
 * there, its emulate/cost in program.ts.
 *
 * Wire layout (as circom's): 0 = the constant one, then out[0..nOut), then the packed input words
 * packed[0..nWords) (public outputs of circom's main: one linear constraint each, docs/eth.md "Packed public
 * inputs"), then the public input `recipient` (in no constraint, bound by the zkey: docs/eth.md "Recipient
 * binding"), then the private inputs in[0..nIn), then private wires in allocation order. Constraint counts equal `programCost` (circom -O2's counts): each bit decomposition costs n
 * boolean constraints (one bit is implied by the linear sum, as -O2 substitutes it), linear `<==` cost nothing, and
 * an output costs one equality only when it has no private wire left to solve for.
 */

/**
 * Version of the wire layout this emitter produces. A witness program records it, and a program written for another
 * layout is refused (its witness would not fit that circuit's r1cs). Bump on any change to the emitted wires.
 */
export const DIRECT_LAYOUT_VERSION = 6; // 3: the public `recipient` wire after the inputs; 4: `div` wires, no product for a flat
// table step; 5: inputs private, packed into public words (docs/eth.md "Packed public inputs"); 6: the activation's
// window test is linear in its bits (no sign·S product when two or more bits lie above the window)

/** Sparse linear combination over internal wires: wire → coefficient (a field element). */
export type Row = Map<number, bigint>;

const P = BN254_R;

function rowComb(parts: ReadonlyArray<readonly [bigint, Row]>, c = 0n): Row {
  const out: Row = new Map();
  if (c !== 0n) out.set(0, toField(c));
  for (const [k0, r] of parts) {
    if (r.size === 0) continue;
    const k = k0 >= 0n && k0 < P ? k0 : toField(k0);
    if (k === 0n) continue;
    for (const [w, v] of r) {
      const n = ((out.get(w) ?? 0n) + k * v) % P;
      if (n === 0n) out.delete(w); else out.set(w, n);
    }
  }
  return out;
}
const constRow = (c: bigint): Row => rowComb([], c);

/** One signal name of the .sym file: `wire` is the internal wire, or −1 for a value implied by a linear equation. */
interface Label { name: string; wire: number }

/** The emission context a gadget emitter writes into (constraints, wires and — in witness mode — their values). */
export class R1csBuilder {
  readonly labels: Label[] = [];
  /** Constraint rows, compact (docs/zkml-compile.md, "Memory"). */
  readonly constraints = new ConstraintStore();
  /** Internal wire values (field elements), witness mode only. */
  readonly values: bigint[] | undefined;
  /** Row of each program signal. */
  readonly sigRow: Row[];
  nWires: number;
  /** Public wires: the constant one, outputs, packed input words, recipient. */
  readonly nPub: number;
  /** Packed input words (public signals after the outputs): word wire and its row Σ (in_i + 2^(w_i−1))·2^shift_i. */
  readonly words: Array<[number, Row]>;

  constructor(readonly program: FixedProgram, readonly signals: readonly bigint[] | undefined, private readonly store: boolean, recipient = 0n) {
    const nOut = program.outputs.length, nIn = program.nIn;
    // public wires (docs/eth.md "Packed public inputs"): word j = Σ (in_i + 2^(w_i−1))·2^shift_i, one linear constraint
    const words = programPackPlan(program).map(wordTerms);
    this.nPub = 1 + nOut + words.length + 1;
    const inWire = (i: number) => this.nPub + i;
    this.nWires = this.nPub + nIn;
    this.sigRow = new Array<Row>(program.nSignals);
    for (let i = 0; i < nIn; i++) this.sigRow[i] = new Map([[inWire(i), 1n]]);
    for (let i = 0; i < nOut; i++) this.labels.push({ name: `main.out[${i}]`, wire: 1 + i });
    words.forEach((_, j) => this.labels.push({ name: `main.packed[${j}]`, wire: 1 + nOut + j }));
    this.labels.push({ name: 'main.recipient', wire: this.nPub - 1 });
    for (let i = 0; i < nIn; i++) this.labels.push({ name: `main.in[${i}]`, wire: inWire(i) });
    this.words = words.map((w, j) => [1 + nOut + j, rowComb(w.terms.map(([i, k]) => [k, this.sigRow[i]!] as const), w.c)]);
    if (signals) {
      this.values = new Array<bigint>(this.nWires).fill(0n);
      this.values[0] = 1n;
      for (let i = 0; i < nIn; i++) this.values[inWire(i)] = toField(signals[i]!);
      // out-of-range inputs give a meaningless word here; their range gadget refuses them with a typed error
      words.forEach((w, j) => { this.values![1 + nOut + j] = toField(w.terms.reduce((a, [i, k]) => a + k * signals[i]!, w.c)); });
      this.values[this.nPub - 1] = toField(recipient);
    }
  }

  /**
   * Witness-only walk outside the outputs' cone (docs/zkml-compile.md "Witness-only walk"): a new wire's row is its
   * value times the constant wire 0, so every row built from it folds to one entry and `val` stays exact.
   */
  private folded = false;
  fold(on: boolean): void { this.folded = on && this.values !== undefined && !this.store; }

  get witness(): boolean { return this.values !== undefined; }
  /** Whether constraints are collected (witness-only walks skip building their rows). */
  get storing(): boolean { return this.store; }
  lin(l: Lin): Row { return rowComb([...l.terms].map(([s, k]) => [k, this.sigRow[s]!] as const), l.c); }
  /** Integer value of a program linear combination (witness mode; 0 otherwise). */
  int(l: Lin): bigint { return this.signals ? linEval(l, this.signals) : 0n; }
  /** Field value of a row (witness mode). */
  val(r: Row): bigint {
    let s = 0n;
    for (const [w, k] of r) s += k * this.values![w]!;
    return s % P;
  }
  /** A new private wire; `value` runs only in witness mode. */
  wire(name: string, value: () => bigint): Row {
    const w = this.nWires++;
    if (this.store) this.labels.push({ name, wire: w }); // a witness-only walk keeps no names
    if (!this.values) return new Map([[w, 1n]]);
    const v = this.values[w] = toField(value());
    if (!this.folded) return new Map([[w, 1n]]);
    return v === 0n ? new Map() : new Map([[0, v]]);
  }
  /** A named value that is a linear combination of other wires (listed in the .sym with wire −1, as circom's -O2 does). */
  implied(name: string, r: Row): Row { if (this.store) this.labels.push({ name, wire: -1 }); return r; }
  constrain(a: Row, b: Row, c: Row): void { if (this.store) this.constraints.push(a, b, c); }
  /** A wire w = a·b + off with the constraint a·b = w − off. */
  product(name: string, a: Row, b: Row, off: Row = new Map()): Row {
    const w = this.wire(name, () => this.val(a) * this.val(b) + this.val(off));
    if (this.store) this.constrain(a, b, rowComb([[1n, w], [-1n, off]]));
    return w;
  }
  setSig(s: number, r: Row): void { this.sigRow[s] = r; }
}

export type GadgetEmitter<K extends Gadget['kind']> = (b: R1csBuilder, g: Extract<Gadget, { kind: K }>, name: string) => void;

/** 1/2^k in the field, computed once per k (an inversion per bit decomposition dominated the witness walk). */
const INV2: bigint[] = [];
const inv2 = (k: number): bigint => (INV2[k] ??= modInv(1n << BigInt(k)));

/**
 * x + 2^(n−1) = Σ bits[i]·2^i with every bit boolean (n constraints). With 1 ≤ d < n the quotient q = floor(x / 2^d)
 * is a wire (so later rows that use it stay sparse); the top bit is implied by q's own bit sum and the top remainder
 * bit d−1 by x's. Otherwise the top bit is implied by x's bit sum. (Implying the top bits keeps bit 0 a real wire:
 * the mutation harness can then express a forged quotient or remainder as a change of real wires.)
 */
function signedBits(b: R1csBuilder, name: string, x: Row, xv: bigint, n: number, d: number): { bit: Row[]; q: Row } {
  const half = 1n << BigInt(n - 1);
  const u = xv + half;
  if (b.witness && (u < 0n || u >= 1n << BigInt(n))) {
    throw new WitnessInputError('WITNESS_FAILED', `the circuit rejected the input: ${name} holds ${xv}, outside its proven range ±2^${n - 1}`, {
      hint: 'a value is out of the range the circuit was compiled for (check the input against metadata.inputs[].rangeBits)',
    });
  }
  const useQ = d >= 1 && d < n;
  const implied = useQ ? new Set([n - 1, d - 1]) : new Set([n - 1]);
  const bit = new Array<Row>(n);
  for (let i = 0; i < n; i++) if (!implied.has(i)) bit[i] = b.wire(`${name}.b.bits[${i}]`, () => (u >> BigInt(i)) & 1n);
  const pow2 = (k: number) => 1n << BigInt(k);
  /** bit[top] = (value − Σ_{from ≤ i < top} 2^(i−from)·bit[i]) / 2^(top−from) */
  const solveTop = (value: Row, from: number, top: number): Row =>
    rowComb([[inv2(top - from), rowComb([[1n, value], ...bit.slice(from, top).map((r, i) => [-pow2(i), r] as const)])]]);
  let q: Row;
  if (useQ) {
    const qh = pow2(n - 1 - d);
    q = b.wire(`${name}.q`, () => (u >> BigInt(d)) - qh);
    bit[n - 1] = b.implied(`${name}.b.bits[${n - 1}]`, solveTop(rowComb([[1n, q]], qh), d, n - 1));
    bit[d - 1] = b.implied(`${name}.b.bits[${d - 1}]`, solveTop(rowComb([[1n, x], [-pow2(d), q]], half - (qh << BigInt(d))), 0, d - 1));
  } else {
    bit[n - 1] = b.implied(`${name}.b.bits[${n - 1}]`, solveTop(rowComb([[1n, x]], half), 0, n - 1));
    q = rowComb(bit.slice(d).map((r, i) => [pow2(i), r] as const), -pow2(n - 1 - d));
  }
  if (b.storing) for (const r of bit) b.constrain(r, rowComb([[1n, r]], -1n), new Map());
  return { bit, q };
}

const weighted = (bits: Row[], from: number, to: number): Row => rowComb(bits.slice(from, to).map((r, i) => [1n << BigInt(i), r] as const));

const emitRange: GadgetEmitter<'range'> = (b, g, name) => { signedBits(b, name, b.lin(g.x), b.int(g.x), g.n, 0); };

const emitMul: GadgetEmitter<'mul'> = (b, g, name) => { b.setSig(g.out, b.product(name, b.lin(g.a), b.lin(g.b))); };

const emitRescale: GadgetEmitter<'rescale'> = (b, g, name) => {
  const x = b.lin(g.x);
  const { q } = signedBits(b, name, x, b.int(g.x), g.n, g.d);
  b.setSig(g.out, g.d === 0 ? x : q);
};

const emitRelu: GadgetEmitter<'relu'> = (b, g, name) => {
  const { bit } = signedBits(b, name, b.lin(g.x), b.int(g.x), g.n, g.d);
  b.setSig(g.out, b.product(`${name}.out`, bit[g.n - 1]!, weighted(bit, g.d, g.n - 1)));
};

/** Piecewise-linear activation, the same arithmetic as codegen/circom.ts's activation template (see there). */
const emitAct: GadgetEmitter<'act'> = (b, g, name) => {
  const tb = g.table, n = g.n, Pw = tb.k + g.sx, j = tb.j, d = g.sx - tb.st;
  if (g.q && g.q.d !== d) throw new Error('activation quotient must drop the same bits as the offset');
  const { bit, q } = signedBits(b, name, b.lin(g.x), b.int(g.x), n, d);
  const sign = bit[n - 1]!;
  const sel = (i: number): Row => (i < j ? bit[Pw - j + i]! : sign);
  const CA = multilinear(tb.A), CB = multilinear(tb.B);
  const { r } = selectorSplit(j + 1);
  const h = j + 1 - r;
  const mono: Row[] = [constRow(1n)];
  for (let m = 1; m < 2 ** r; m++) {
    const low = m & -m;
    mono[m] = m === low ? sel(Math.log2(low)) : b.product(`${name}.m${m}`, mono[m ^ low]!, sel(Math.log2(low)));
  }
  const leaf = (c: bigint[], hm: number): Row => rowComb(mono.map((mr, lm) => [c[lm | (hm << r)]!, mr] as const));
  let counter = 0;
  const poly = (c: bigint[], tag: string, i: number, hm: number): Row => {
    if (i === h) return leaf(c, hm);
    const rest = poly(c, tag, i + 1, hm);
    const withBit = poly(c, tag, i + 1, hm | (1 << i));
    // a constant factor (a flat stretch of the table) makes the step linear: no product (act-poly.ts)
    const p = hornerNonConst(c, r, h, i + 1, hm | (1 << i)) ? b.product(`${name}.${tag}${counter++}`, sel(r + i), withBit)
      : (counter++, rowComb([[withBit.get(0) ?? 0n, sel(r + i)]]));
    return rowComb([[1n, rest], [1n, p]]);
  };
  const A = poly(CA, 'pa', 0, 0), B = poly(CB, 'pb', 0, 0);
  const bt = b.product(`${name}.bt`, B, weighted(bit, d, Pw - j));
  const y = rowComb([[1n, A], [1n, bt]]);
  let out = y;
  if (n - 1 > Pw) {
    const m = n - 1 - Pw;
    let inWin: Row;
    if (m === 1) {
      // one bit above the window: x is inside exactly when it differs from the top bit (an XOR, one product)
      const sS = b.product(`${name}.sS`, sign, bit[Pw]!);
      inWin = rowComb([[1n, bit[Pw]!], [-2n, sS], [1n, sign]]);
    } else {
      // with V = Σ_{i>P} bit_i·2^(i−P−1): x is inside the window exactly when V + bit_P = 2^(m−1) (linear, no product)
      const D = rowComb([...bit.slice(Pw + 1, n).map((rr, i) => [1n << BigInt(i), rr] as const), [1n, bit[Pw]!]], -(1n << BigInt(m - 1)));
      const inv = b.wire(`${name}.isz.inv`, () => { const v = b.val(D); return v === 0n ? 0n : modInv(v); });
      inWin = b.product(`${name}.isz.out`, rowComb([[-1n, D]]), inv, constRow(1n));
      b.constrain(D, inWin, new Map());
    }
    const satv = rowComb([[tb.satHi - tb.satLo, sign]], tb.satLo);
    out = b.product(`${name}.out`, inWin, rowComb([[1n, y], [-1n, satv]]), satv);
  }
  b.setSig(g.out, out);
  if (g.q) b.setSig(g.q.out, q);
};

/**
 * Euclidean division (docs/zkml-compile.md "Division"): hints q and r, pinned by q·y = x − r, r ∈ [0, 2^ny),
 * |y| − 1 − r ∈ [0, 2^ny) (so 0 ≤ r < |y|, and y ≠ 0), q ∈ [−2^(nq−1), 2^(nq−1)) — with every value far below the
 * field size the integer equation x = q·y + r holds, so q is the only quotient. A possibly negative y is decomposed
 * in ny + 1 signed bits and |y| = y·(2·sign − 1) is one product.
 */
const emitDiv: GadgetEmitter<'div'> = (b, g, name) => {
  const x = b.lin(g.x), y = b.lin(g.y);
  const xv = b.int(g.x), yv = b.int(g.y);
  const { q, r } = b.witness ? euclidDiv(xv, yv, g.node) : { q: 0n, r: 0n };
  const ayv = yv < 0n ? -yv : yv;
  let ay = y;
  if (g.signed) {
    const { bit } = signedBits(b, `${name}.yb`, y, yv, g.ny + 1, 0);
    ay = b.product(`${name}.ay`, y, rowComb([[2n, bit[g.ny]!]], -1n));
  }
  const qw = b.wire(`${name}.q`, () => q);
  const rw = b.wire(`${name}.r`, () => r);
  const half = 1n << BigInt(g.ny - 1);
  signedBits(b, `${name}.rb`, rowComb([[1n, rw]], -half), r - half, g.ny, 0);
  signedBits(b, `${name}.gb`, rowComb([[1n, ay], [-1n, rw]], -1n - half), ayv - 1n - r - half, g.ny, 0);
  signedBits(b, `${name}.qb`, qw, q, g.nq, 0);
  b.constrain(qw, y, rowComb([[1n, x], [-1n, rw]]));
  b.setSig(g.out, qw);
};

/** One emitter per gadget kind. */
export const EMITTERS: { [K in Gadget['kind']]: GadgetEmitter<K> } = {
  range: emitRange, mul: emitMul, rescale: emitRescale, relu: emitRelu, act: emitAct, div: emitDiv,
};

/**
 * Gadgets whose rows a witness-only walk keeps as wire combinations: those whose output signal reaches a public
 * output equation (its pivot wire is eliminated by structure, docs/zkml-compile.md "Witness-only walk"). mul, relu
 * and div output a fresh wire; the other kinds pass their input rows into their outputs, so their inputs' producers
 * are kept too.
 */
function outputCone(p: FixedProgram): boolean[] {
  const need = new Set<number>();
  for (const o of p.outputs) for (const s of o.terms.keys()) need.add(s);
  const keep = new Array<boolean>(p.gadgets.length).fill(false);
  for (let k = p.gadgets.length - 1; k >= 0; k--) {
    const g = p.gadgets[k]!;
    if (g.kind === 'range' || !(need.has(g.out) || (g.kind === 'act' && g.q !== undefined && need.has(g.q.out)))) continue;
    keep[k] = true;
    if (g.kind !== 'mul' && g.kind !== 'relu' && g.kind !== 'div') for (const s of g.x.terms.keys()) need.add(s);
  }
  return keep;
}

/** The .sym / mutation-harness name of gadget k: its index and ONNX node (commas and newlines replaced). */
export function gadgetName(g: Gadget, k: number): string {
  return `g${k}[${g.node.replace(/[,\n\r]/g, '_')}]`;
}

export interface EmittedCircuit {
  nWires: number;
  nOutputs: number;
  nPubInputs: number;
  /** Constraints over final wire ids, each row sorted by wire (compact storage; `toArray()` for small circuits). */
  constraints: ConstraintStore;
  /** .sym entries in label order: name and final wire (−1 when implied); inputs and outputs only without constraints. */
  labels: Label[];
  /** Label id of each final wire. */
  wireToLabel: number[];
  /** Full witness (final wire order), when emitted with signal values. */
  witness?: bigint[];
  /** Gadget names as used in the labels (for the mutation harness). */
  gadgetNames: string[];
  /** Final id of each wire in allocation order, −1 for a wire the output equations eliminate (the witness tape's drop list). */
  finalId: Int32Array;
}

/**
 * Walk the program. With `inputs` (integers), computes the witness; with `constraints: true`, collects the R1CS.
 * Outputs: out[i] = Lin_i is solved for one private wire (Gaussian elimination over the outputs), which is then
 * substituted everywhere; an output with no private wire left costs one equality.
 */
export function emitProgram(p: FixedProgram, opts: { inputs?: readonly bigint[]; recipient?: bigint; constraints?: boolean; onProgress?: (done: number, total: number) => void }): EmittedCircuit {
  const signals = opts.inputs ? emulate(p, [...opts.inputs]).signals : undefined;
  const b = new R1csBuilder(p, signals, opts.constraints ?? false, opts.recipient ?? 0n);
  const gadgetNames = p.gadgets.map(gadgetName);
  const every = Math.max(1, Math.floor(p.gadgets.length / 100));
  const cone = signals && !opts.constraints ? outputCone(p) : undefined;
  p.gadgets.forEach((g, k) => {
    if (opts.onProgress && k % every === 0) opts.onProgress(k, p.gadgets.length);
    b.fold(cone !== undefined && !cone[k]);
    (EMITTERS[g.kind] as GadgetEmitter<typeof g.kind>)(b, g as never, `main.${gadgetNames[k]}`);
  });
  opts.onProgress?.(p.gadgets.length, p.gadgets.length);
  b.fold(false);
  const nOut = p.outputs.length, nPub = b.nPub;
  if (b.values) p.outputs.forEach((o, i) => { b.values![1 + i] = toField(linEval(o, signals!)); });
  const subs = new Map<number, Row>();
  const reduce = (r: Row): Row => {
    if (subs.size === 0) return r;
    let out: Row | undefined;
    for (const [w] of r) if (subs.has(w)) { out = out ?? new Map(r); const k = out.get(w)!; out.delete(w); out = rowComb([[1n, out], [k, subs.get(w)!]]); }
    return out ?? r;
  };
  // public equations: each output, then each packed input word (solved for its last input, as circom -O2 does)
  const equations: Array<[number, Row]> = [...p.outputs.map((o, i): [number, Row] => [1 + i, b.lin(o)]), ...b.words];
  equations.forEach(([wire, lin]) => {
    const R = reduce(rowComb([[1n, lin], [-1n, new Map([[wire, 1n]])]]));
    let pivot = -1;
    for (const [w] of R) if (w >= nPub && w > pivot) pivot = w;
    if (pivot < 0) { b.constrain(new Map(), new Map(), rowComb([[-1n, R]])); return; }
    const k = R.get(pivot)!;
    R.delete(pivot);
    const s = rowComb([[-modInv(k), R]]); // pivot = −(R − k·pivot)/k
    for (const [w, r] of subs) if (r.has(pivot)) { const c = r.get(pivot)!; r.delete(pivot); subs.set(w, rowComb([[1n, r], [c, s]])); }
    subs.set(pivot, s);
  });
  // final wire ids: eliminated wires dropped
  const finalId = new Int32Array(b.nWires).fill(-1);
  let next = 0;
  for (let w = 0; w < b.nWires; w++) if (!subs.has(w)) finalId[w] = next++;
  const fin = (r: Row): Array<[number, bigint]> => [...reduce(r)].map(([w, k]) => [finalId[w]!, k] as [number, bigint]).sort((x, y) => x[0] - y[0]);
  b.constraints.finalize(finalId, fin);
  const constraints = b.constraints;
  const labels = b.labels.map((l) => ({ name: l.name, wire: l.wire < 0 ? -1 : finalId[l.wire]! }));
  const wireToLabel = new Array<number>(next).fill(0);
  labels.forEach((l, i) => { if (l.wire >= 0) wireToLabel[l.wire] = i + 1; }); // label 0 is the constant one
  const out: EmittedCircuit = { nWires: next, nOutputs: nOut + b.words.length, nPubInputs: 1, constraints, labels, wireToLabel, gadgetNames, finalId };
  if (b.values) out.witness = b.values.filter((_, w) => finalId[w]! >= 0);
  return out;
}
