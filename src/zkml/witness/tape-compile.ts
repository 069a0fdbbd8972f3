import { toField } from '../fixed-point.js';
import { selectorSplit } from '../quantize/activation.js';
import { hornerNonConst } from '../quantize/act-poly.js';
import type { Lin } from '../quantize/lin.js';
import type { ActTable } from '../quantize/activation.js';
import type { FixedProgram, Gadget } from '../quantize/program.js';
import { multilinear } from '../codegen/circom.js';
import { DIRECT_LAYOUT_VERSION, emitProgram } from '../r1cs/emit.js';
import { programPackPlan, wordTerms } from '../r1cs/public-wires.js';
import { WitnessTapeError } from './errors.js';
import { sha256Hex } from '../format/circuit-id-node.js';
import { HEADER_BYTES, OP, TABLE_WORDS, TAPE_MAGIC, TAPE_VERSION, bodyBytes } from './tape-format.js';

const I128_MIN = -(1n << 127n), I128_MAX = (1n << 127n) - 1n;

/**
 * Records a program's witness walk as a tape (docs/zkml-compile.md "Witness tape"). The wires are allocated in the
 * very order of the direct backend's emitters (r1cs/emit.ts): one recorder per gadget kind below mirrors one emitter,
 * and test/zkml/witness-tape.test.ts checks the tape's witness against the emulator's walk wire for wire.
 */
class TapeRecorder {
  readonly code: number[] = [];
  readonly ints: bigint[] = [];
  readonly fields: bigint[] = [];
  readonly tables: number[] = [];
  private readonly intIds = new Map<bigint, number>();
  private readonly fieldIds = new Map<bigint, number>();
  private readonly tableIds = new Map<ActTable, number>();
  nRegs: number;
  nWires: number;
  readonly nPub: number;

  constructor(readonly p: FixedProgram) {
    this.nRegs = p.nSignals;
    const words = programPackPlan(p).map(wordTerms);
    const nOut = p.outputs.length;
    this.nPub = 1 + nOut + words.length + 1;
    this.nWires = this.nPub + p.nIn;
    // public wires as R1csBuilder's constructor sets them: inputs, packed words, recipient
    for (let i = 0; i < p.nIn; i++) this.op(OP.WIRE, this.nPub + i, i);
    words.forEach((w, j) => this.flin(1 + nOut + j, w.terms, w.c));
    this.op(OP.RECIP, this.nPub - 1);
  }

  int(v: bigint): number {
    if (v < I128_MIN || v > I128_MAX) throw new WitnessTapeError(`a constant (${v}) does not fit the tape's 128-bit integers`, { hint: 'the witness is computed by the emulator walk instead' });
    let i = this.intIds.get(v);
    if (i === undefined) { i = this.ints.length; this.ints.push(v); this.intIds.set(v, i); }
    return i;
  }
  field(v: bigint): number {
    const f = toField(v);
    let i = this.fieldIds.get(f);
    if (i === undefined) { i = this.fields.length; this.fields.push(f); this.fieldIds.set(f, i); }
    return i;
  }
  op(code: number, ...args: number[]): void { this.code.push(code, ...args); }
  reg(): number { return this.nRegs++; }
  /** A new register = c + Σ k·reg. */
  lin(terms: Iterable<readonly [number, bigint]>, c: bigint, dst = this.reg()): number {
    const t = [...terms].filter(([, k]) => k !== 0n);
    this.op(OP.LIN, dst, this.int(c), t.length, ...t.flatMap(([r, k]) => [r, this.int(k)]));
    return dst;
  }
  linOf(l: Lin, dst?: number): number { return this.lin(l.terms, l.c, dst); }
  flin(w: number, terms: Array<[number, bigint]>, c: bigint): void {
    this.op(OP.FLIN, w, this.field(c), terms.length, ...terms.flatMap(([r, k]) => [r, this.field(k)]));
  }
  un(code: number, x: number, dst = this.reg()): number { this.op(code, dst, x); return dst; }
  mul(a: number, b: number, dst = this.reg()): number { this.op(OP.MUL, dst, a, b); return dst; }
  shr(x: number, d: number, dst = this.reg()): number { this.op(OP.SHR, dst, x, d); return dst; }
  /** The next wire (the emitters' `b.wire`) takes the value of register x. */
  wire(x: number): void { this.op(OP.WIRE, this.nWires++, x); }
  /** The emitters' `b.product`: a wire whose value is a·b (+ off), also returned as a register. */
  product(a: number, b: number, off?: number): number {
    let r = this.mul(a, b);
    if (off !== undefined) r = this.lin([[r, 1n], [off, 1n]], 0n);
    this.wire(r);
    return r;
  }
  table(tb: ActTable): number {
    let i = this.tableIds.get(tb);
    if (i === undefined) {
      if (tb.A.length !== tb.B.length || tb.A.length < 2 ** (tb.j + 1)) throw new WitnessTapeError('an activation table has fewer entries than its selector bits need');
      const a = this.pushRun(tb.A), b = this.pushRun(tb.B);
      i = this.tables.length / TABLE_WORDS;
      this.tables.push(tb.k, tb.j, tb.st, this.int(tb.satLo), this.int(tb.satHi), a, b, tb.A.length);
      this.tableIds.set(tb, i);
    }
    return i;
  }
  /** Constants in a contiguous run, not shared (table entries are read by index). */
  private pushRun(xs: bigint[]): number {
    const at = this.ints.length;
    for (const x of xs) { this.int(x); }
    if (xs.every((x, k) => this.intIds.get(x) === at + k)) return at; // all new and distinct: already a run
    this.ints.push(...xs);
    return this.ints.length - xs.length;
  }
}

/** Bits of x + 2^(n−1) as registers, their wires and the quotient wire, as emit.ts's signedBits allocates them. */
function signedBits(t: TapeRecorder, x: number, n: number, d: number): number[] {
  if (n < 1 || n > 126) throw new WitnessTapeError(`a ${n}-bit decomposition does not fit the tape's 128-bit integers`);
  const u0 = t.nRegs;
  t.nRegs += n;
  t.op(OP.BITS, u0, x, n);
  const useQ = d >= 1 && d < n;
  for (let i = 0; i < n; i++) if (!(i === n - 1 || (useQ && i === d - 1))) t.wire(u0 + i);
  if (useQ) t.wire(t.shr(x, d));
  return Array.from({ length: n }, (_, i) => u0 + i);
}

/** Σ_{from ≤ i < to} 2^(i−from)·bit_i */
const weighted = (t: TapeRecorder, bits: number[], from: number, to: number): number =>
  t.lin(bits.slice(from, to).map((r, i) => [r, 1n << BigInt(i)] as const), 0n);

type Recorder<K extends Gadget['kind']> = (t: TapeRecorder, g: Extract<Gadget, { kind: K }>) => void;

const recordAct: Recorder<'act'> = (t, g) => {
  const tb = g.table, n = g.n, Pw = tb.k + g.sx, j = tb.j, d = g.sx - tb.st;
  if (d < 0) throw new WitnessTapeError('an activation whose input scale is below its table step is not recorded');
  const x = t.linOf(g.x);
  t.op(OP.ACT, g.out, x, t.table(tb), g.sx);
  if (g.q) t.shr(x, g.q.d, g.q.out);
  const bit = signedBits(t, x, n, d);
  const sign = bit[n - 1]!;
  const sel = (i: number) => (i < j ? bit[Pw - j + i]! : sign);
  const CA = multilinear(tb.A), CB = multilinear(tb.B);
  const { r } = selectorSplit(j + 1);
  const h = j + 1 - r;
  const one = t.lin([], 1n);
  const mono: number[] = [one];
  for (let m = 1; m < 2 ** r; m++) {
    const low = m & -m;
    mono[m] = m === low ? sel(Math.log2(low)) : t.product(mono[m ^ low]!, sel(Math.log2(low)));
  }
  const poly = (c: bigint[], i: number, hm: number): number => {
    if (i === h) return t.lin(mono.map((mr, lm) => [mr, c[lm | (hm << r)]!] as const), 0n);
    const rest = poly(c, i + 1, hm);
    const withBit = poly(c, i + 1, hm | (1 << i));
    const p = hornerNonConst(c, r, h, i + 1, hm | (1 << i)) ? t.product(sel(r + i), withBit) : t.mul(sel(r + i), withBit);
    return t.lin([[rest, 1n], [p, 1n]], 0n);
  };
  const A = poly(CA, 0, 0), B = poly(CB, 0, 0);
  const bt = t.product(B, weighted(t, bit, d, Pw - j));
  const y = t.lin([[A, 1n], [bt, 1n]], 0n);
  if (n - 1 > Pw) {
    const m = n - 1 - Pw;
    let inWin: number;
    if (m === 1) {
      const sS = t.product(sign, bit[Pw]!);
      inWin = t.lin([[bit[Pw]!, 1n], [sS, -2n], [sign, 1n]], 0n);
    } else {
      const D = t.lin([...bit.slice(Pw + 1, n).map((rr, i) => [rr, 1n << BigInt(i)] as const), [bit[Pw]!, 1n]], -(1n << BigInt(m - 1)));
      t.op(OP.INVW, t.nWires++, D);
      inWin = t.un(OP.EQZ, D);
      t.wire(inWin);
    }
    const satv = t.lin([[sign, tb.satHi - tb.satLo]], tb.satLo);
    t.product(inWin, t.lin([[y, 1n], [satv, -1n]], 0n), satv);
  }
};

const recordDiv: Recorder<'div'> = (t, g) => {
  const x = t.linOf(g.x), y = t.linOf(g.y);
  const q = g.out, r = t.reg();
  t.op(OP.DIV, q, r, x, y);
  let ay = t.un(OP.ABS, y); // the checked value |y| (emit.ts ayv); the wire ay, when signed, is the same number
  if (g.signed) {
    const bit = signedBits(t, y, g.ny + 1, 0);
    ay = t.product(y, t.lin([[bit[g.ny]!, 2n]], -1n));
  }
  t.wire(q);
  t.wire(r);
  const half = 1n << BigInt(g.ny - 1);
  signedBits(t, t.lin([[r, 1n]], -half), g.ny, 0);
  signedBits(t, t.lin([[ay, 1n], [r, -1n]], -1n - half), g.ny, 0);
  signedBits(t, q, g.nq, 0);
};

/** One recorder per gadget kind, each the mirror of its emitter in r1cs/emit.ts (emulate's value into `out` first). */
const RECORDERS: { [K in Gadget['kind']]: Recorder<K> } = {
  range: (t, g) => { signedBits(t, t.linOf(g.x), g.n, 0); },
  mul: (t, g) => { t.mul(t.linOf(g.a), t.linOf(g.b), g.out); t.wire(g.out); },
  rescale: (t, g) => { const x = t.linOf(g.x); t.shr(x, g.d, g.out); signedBits(t, x, g.n, g.d); },
  relu: (t, g) => {
    const x = t.linOf(g.x);
    t.un(OP.MAX0, t.shr(x, g.d), g.out);
    signedBits(t, x, g.n, g.d);
    t.wire(g.out); // sign·Σ bits = max(floor(x / 2^d), 0)
  },
  act: recordAct,
  div: recordDiv,
};

/**
 * Largest program recorded (signals): recording walks the program twice in JS and holds the code as a JS array, which
 * at millions of gadgets would cost the first prove seconds to minutes and gigabytes, for a witness that is then a
 * small part of the prove; larger programs keep the emulator's walk (docs/zkml-compile.md "Witness tape").
 */
export const TAPE_MAX_SIGNALS = 1 << 18;

/**
 * Record the witness tape of a program; `programSha` is the sha256 of the witness program file it was read from
 * (a tape is only ever run for that file). Throws WitnessTapeError for a program whose values may not fit the
 * tape's integers; its witness is then computed by the emulator's walk.
 */
export function programToTape(p: FixedProgram, programSha: string): Uint8Array {
  if (p.nSignals > TAPE_MAX_SIGNALS) throw new WitnessTapeError(`a program of ${p.nSignals} signals is not recorded (at most ${TAPE_MAX_SIGNALS})`);
  const t = new TapeRecorder(p);
  for (const g of p.gadgets) (RECORDERS[g.kind] as Recorder<typeof g.kind>)(t, g as never);
  p.outputs.forEach((o, i) => t.op(OP.WIRE, 1 + i, t.linOf(o)));
  // the wires the output equations eliminate: the walk without values gives the same final ids as with them
  const { finalId } = emitProgram(p, {});
  if (finalId.length !== t.nWires) throw new Error(`witness tape: ${t.nWires} wires recorded, the emitter allocates ${finalId.length}`);
  const drop: number[] = [];
  finalId.forEach((f, w) => { if (f < 0) drop.push(w); });
  const h = { nInt: t.ints.length, nField: t.fields.length, nTables: t.tables.length / TABLE_WORDS, codeWords: t.code.length, nDrop: drop.length };
  const out = Buffer.alloc(HEADER_BYTES + bodyBytes(h));
  const head = [TAPE_MAGIC, TAPE_VERSION, DIRECT_LAYOUT_VERSION, p.nIn, t.nRegs, t.nWires, t.nWires - drop.length, h.nInt, h.nField, h.nTables, h.codeWords, h.nDrop];
  head.forEach((v, i) => out.writeUInt32LE(v, i * 4));
  Buffer.from(programSha, 'hex').copy(out, 12 * 4);
  let o = HEADER_BYTES;
  for (const v of t.ints) { out.writeBigUInt64LE(BigInt.asUintN(64, v), o); out.writeBigInt64LE(BigInt.asIntN(64, v >> 64n), o + 8); o += 16; }
  for (const v of t.fields) { for (let k = 0; k < 4; k++) out.writeBigUInt64LE((v >> BigInt(64 * k)) & 0xffffffffffffffffn, o + 8 * k); o += 32; }
  for (const v of [...t.tables, ...t.code, ...drop]) { out.writeUInt32LE(v, o); o += 4; }
  Buffer.from(sha256Hex(out.subarray(HEADER_BYTES)), 'hex').copy(out, 20 * 4);
  return out;
}
