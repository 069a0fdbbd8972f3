import { BN254_R } from '../fixed-point.js';
import { linEval } from '../quantize/lin.js';
import type { FixedProgram } from '../quantize/program.js';
import type { R1cs } from './read.js';

/**
 * A witness mutation: change chosen signals of a valid witness (without re-running the witness generator) to what a
 * cheating prover would want, so a test can show the r1cs rejects it.
 * - `output`: out[index] + delta (a forged result).
 * - `quotient`: gadget's quotient bits re-encoded as q + 1 (every bit still boolean).
 * - `remainder`: gadget's remainder bits re-encoded as r + 1 mod 2^d (every bit still boolean).
 *   `honestValue` = x + 2^(n−1) of the gadget input (what its bits encode), needed when -O2 removed one bit wire.
 * - `product`: a var×var product signal + 1.
 * - `signal`: any named wire (circom .sym name, e.g. `main.in[0]`) + delta.
 * - `division`: a `div` gadget's hints forged, with every bit decomposition re-encoded to match (bits stay boolean):
 *   `q+1` (r − y: x = q·y + r still holds), `q-1` (r + y), `r+1` (q kept), `sign` (y's sign bit flipped, |y| negated).
 *   `x` and `y` are the gadget's honest operands.
 */
export type Tamper =
  | { kind: 'output'; index: number; delta?: bigint }
  | { kind: 'quotient'; gadget: number; honestValue?: bigint }
  | { kind: 'remainder'; gadget: number; honestValue?: bigint }
  | { kind: 'product'; gadget: number }
  | { kind: 'signal'; name: string; delta?: bigint }
  | { kind: 'division'; gadget: number; x: bigint; y: bigint; forge: 'q+1' | 'q-1' | 'r+1' | 'sign' };

export interface CircuitView {
  r1cs: R1cs;
  /** circom .sym map: signal name → wire id (−1 when optimised away). */
  sym: Map<string, number>;
  program: FixedProgram;
  /** Component / signal name of each gadget in the generated main template. */
  gadgetNames: string[];
}

function wire(c: CircuitView, name: string): number {
  const w = c.sym.get(name);
  if (w === undefined || w < 0) throw new RangeError(`signal ${name} is not a wire of this circuit`);
  return w;
}

/**
 * The decomposition bits of a rescale/relu/activation gadget (wire id per bit, −1 where circom -O2 substituted the
 * bit by the linear bit-sum equation) and its dropped-bit count.
 */
function gadgetBits(c: CircuitView, k: number): { wires: number[]; d: number } {
  const g = c.program.gadgets[k]!;
  if (g.kind === 'mul' || g.kind === 'div') throw new RangeError(`gadget ${k} is a product; it has no quotient or remainder`);
  const d = g.kind === 'act' ? g.sx - g.table.st : g.kind === 'range' ? 0 : g.d;
  return { wires: Array.from({ length: g.n }, (_, i) => c.sym.get(`main.${c.gadgetNames[k]}.b.bits[${i}]`) ?? -1), d };
}

/** Apply a tamper to a copy of the witness. Throws when the tamper does not apply (e.g. remainder of a d = 0 gadget). */
export function tamperWitness(c: CircuitView, witness: readonly bigint[], t: Tamper): bigint[] {
  const w = [...witness];
  const add = (i: number, delta: bigint) => { w[i] = (((w[i]! + delta) % BN254_R) + BN254_R) % BN254_R; };
  switch (t.kind) {
    case 'division': return tamperDivision(c, w, t);
    case 'output': add(wire(c, `main.out[${t.index}]`), t.delta ?? 1n); break;
    case 'signal': add(wire(c, t.name), t.delta ?? 1n); break;
    case 'product': add(wire(c, `main.${c.gadgetNames[t.gadget]}`), 1n); break;
    case 'quotient': case 'remainder': {
      const { wires, d } = gadgetBits(c, t.gadget);
      // the value the bits encode (an optimised-away bit is implied by the others: recover it from the honest run)
      let u = 0n;
      wires.forEach((wi, i) => { if (wi >= 0) u |= w[wi]! << BigInt(i); });
      if (wires.some((wi) => wi < 0)) {
        if (t.honestValue === undefined) throw new RangeError(`gadget ${t.gadget}: a bit was optimised away; pass honestValue`);
        u = t.honestValue;
      }
      const r = u & ((1n << BigInt(d)) - 1n), q = u >> BigInt(d);
      let nu: bigint;
      if (t.kind === 'remainder') {
        if (d === 0) throw new RangeError(`gadget ${t.gadget} drops no bits; it has no remainder`);
        nu = (q << BigInt(d)) | ((r + 1n) & ((1n << BigInt(d)) - 1n));
      } else {
        nu = (((q + 1n) & ((1n << BigInt(wires.length - d)) - 1n)) << BigInt(d)) | r;
      }
      // only real wires change; if the changed bits all sit on the optimised-away one, flip the lowest real bit too
      let changed = false;
      wires.forEach((wi, i) => { if (wi >= 0) { const b = (nu >> BigInt(i)) & 1n; if (w[wi] !== b) changed = true; w[wi] = b; } });
      // a consistent forgery: an exposed quotient (circom's q output, the direct backend's quotient wire) follows the forged bits
      const qWire = c.sym.get(`main.${c.gadgetNames[t.gadget]}.q`);
      if (qWire !== undefined && qWire >= 0) {
        const qv = (((nu >> BigInt(d)) - (1n << BigInt(wires.length - 1 - d))) % BN254_R + BN254_R) % BN254_R;
        if (w[qWire] !== qv) changed = true;
        w[qWire] = qv;
      }
      if (!changed) throw new RangeError(`gadget ${t.gadget}: the ${t.kind} change only touches an optimised-away bit`);
      break;
    }
  }
  return w;
}

/** Forge a `div` gadget's hints (see Tamper `division`); only wires that survived -O2 are written. */
function tamperDivision(c: CircuitView, w: bigint[], t: Extract<Tamper, { kind: 'division' }>): bigint[] {
  const g = c.program.gadgets[t.gadget]!;
  if (g.kind !== 'div') throw new RangeError(`gadget ${t.gadget} is not a division`);
  if (t.forge === 'sign' && !g.signed) throw new RangeError(`gadget ${t.gadget}: its divisor is unsigned (no sign bit)`);
  const ay = t.y < 0n ? -t.y : t.y;
  const r0 = ((t.x % ay) + ay) % ay, q0 = (t.x - r0) / t.y;
  let q = q0, r = r0, ayF = ay;
  if (t.forge === 'q+1') { q = q0 + 1n; r = r0 - t.y; }
  if (t.forge === 'q-1') { q = q0 - 1n; r = r0 + t.y; }
  if (t.forge === 'r+1') r = r0 + 1n;
  if (t.forge === 'sign') ayF = -ay;
  const fe = (v: bigint) => ((v % BN254_R) + BN254_R) % BN254_R;
  const base = `main.${c.gadgetNames[t.gadget]}`;
  let changed = false;
  const set = (name: string, v: bigint) => {
    const wi = c.sym.get(name);
    if (wi === undefined || wi < 0) return;
    if (w[wi] !== fe(v)) changed = true;
    w[wi] = fe(v);
  };
  /** Bits of value v in an n-bit signed decomposition (v + 2^(n−1), taken mod 2^n so every bit stays boolean). */
  const bits = (prefix: string, v: bigint, n: number) => {
    const u = ((v + (1n << BigInt(n - 1))) % (1n << BigInt(n)) + (1n << BigInt(n))) % (1n << BigInt(n));
    for (let i = 0; i < n; i++) set(`${prefix}.bits[${i}]`, (u >> BigInt(i)) & 1n);
  };
  const half = 1n << BigInt(g.ny - 1);
  set(`${base}.q`, q);
  set(`${base}.r`, r);
  bits(`${base}.rb`, r - half, g.ny);
  bits(`${base}.gb`, ayF - 1n - r - half, g.ny);
  bits(`${base}.qb`, q, g.nq);
  if (t.forge === 'sign') {
    // the sign bit of y flipped (the top bit of its ny + 1-bit decomposition), and |y| following it
    for (const yb of [`${base}.yb`, `${base}_yb`]) {
      const wi = c.sym.get(`${yb}.bits[${g.ny}]`);
      if (wi !== undefined && wi >= 0) { w[wi] = 1n - w[wi]!; changed = true; }
    }
    set(`${base}.ay`, ayF);
    set(`${base}_ay`, ayF);
  }
  if (!changed) throw new RangeError(`gadget ${t.gadget}: the ${t.forge} forgery touches no wire of this circuit`);
  return w;
}

/** Every hint forgery of a `div` gadget, from the honest signal values (the division rows of the soundness harness). */
export function divisionTampers(c: CircuitView, k: number, signals: readonly bigint[]): Tamper[] {
  const g = c.program.gadgets[k]!;
  if (g.kind !== 'div') return [];
  const x = linEval(g.x, signals), y = linEval(g.y, signals);
  const forges = ['q+1', 'q-1', 'r+1', ...(g.signed ? ['sign'] as const : [])] as const;
  return forges.map((forge) => ({ kind: 'division', gadget: k, x, y, forge }));
}
