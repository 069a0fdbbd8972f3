import { BN254_R, toField } from '../fixed-point.js';
import { inv as modInv } from '../setup/field.js';
import { WitnessTapeError } from './errors.js';
import { HEADER_BYTES, OP, OP_ARGS, TABLE_WORDS, type TapeHeader } from './tape-format.js';

/** A tape's sections, read once (readTapeHeader has checked the header and the body's sha256). */
export interface ParsedTape {
  h: TapeHeader;
  ints: bigint[];
  fields: bigint[];
  tables: Uint32Array;
  code: Uint32Array;
  drop: Uint32Array;
}

const bad = (msg: string) => new WitnessTapeError(`malformed witness tape: ${msg}`);

export function tapeSections(tape: Uint8Array, h: TapeHeader): ParsedTape {
  const b = Buffer.from(tape.buffer, tape.byteOffset, tape.byteLength);
  let o = HEADER_BYTES;
  const ints = new Array<bigint>(h.nInt), fields = new Array<bigint>(h.nField);
  for (let i = 0; i < h.nInt; i++, o += 16) ints[i] = (b.readBigInt64LE(o + 8) << 64n) | b.readBigUInt64LE(o);
  for (let i = 0; i < h.nField; i++, o += 32) {
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 64n) | b.readBigUInt64LE(o + 8 * k);
    if (v >= BN254_R) throw bad('a field constant is not below p');
    fields[i] = v;
  }
  const u32 = (n: number) => { const a = new Uint32Array(n); for (let i = 0; i < n; i++, o += 4) a[i] = b.readUInt32LE(o); return a; };
  const tables = u32(h.nTables * TABLE_WORDS), code = u32(h.codeWords), drop = u32(h.nDrop);
  return { h, ints, fields, tables, code, drop };
}

/** Why a tape run did not give a witness: the input is rejected by the circuit (range, zero divisor). */
export class TapeRejected extends Error {}

/**
 * Run a tape in JS on BigInts (exact: no 128-bit limit), the same semantics as native/src/witness.cpp. Returns the
 * witness (dropped wires left out). Throws TapeRejected for an input the circuit rejects — the caller then runs the
 * emulator's walk, whose typed error names the gadget — and WitnessTapeError for a malformed tape.
 */
export function runTapeJs(t: ParsedTape, inputs: readonly bigint[], recipient: bigint): bigint[] {
  const { h, ints, fields, tables, code } = t;
  if (inputs.length !== h.nIn) throw bad(`the tape takes ${h.nIn} inputs, got ${inputs.length}`);
  const reg = new Array<bigint>(h.nRegs).fill(0n);
  const wire = new Array<bigint>(h.nWires).fill(0n);
  for (let i = 0; i < h.nIn; i++) reg[i] = inputs[i]!;
  wire[0] = 1n;
  const R = (i: number) => { if (i >= h.nRegs) throw bad('register out of range'); return i; };
  const W = (i: number) => { if (i >= h.nWires) throw bad('wire out of range'); return i; };
  const C = (i: number) => { if (i >= h.nInt) throw bad('integer constant out of range'); return ints[i]!; };
  const F = (i: number) => { if (i >= h.nField) throw bad('field constant out of range'); return fields[i]!; };
  const act = (tid: number, x: bigint, sx: number): bigint => {
    if (tid >= h.nTables) throw bad('table out of range');
    const o = tid * TABLE_WORDS, k = tables[o]!, j = tables[o + 1]!, st = tables[o + 2]!, entries = tables[o + 7]!;
    const P = k + sx;
    if (P > 125 || j > P || st > sx) throw bad('activation table out of range');
    const lim = 1n << BigInt(P);
    if (x >= lim) return C(tables[o + 4]!);
    if (x < -lim) return C(tables[o + 3]!);
    const z = x + lim, segShift = BigInt(P - j);
    const seg = Number(z >> segShift);
    if (seg >= entries || tables[o + 5]! + entries > h.nInt || tables[o + 6]! + entries > h.nInt) throw bad('activation table entry out of range');
    const tt = (z & ((1n << segShift) - 1n)) >> BigInt(sx - st);
    return C(tables[o + 5]! + seg) + C(tables[o + 6]! + seg) * tt;
  };
  let pc = 0;
  while (pc < code.length) {
    const op = code[pc]!;
    const n = op === OP.LIN || op === OP.FLIN ? 3 + 2 * (code[pc + 3] ?? 0) : OP_ARGS[op];
    if (n === undefined) throw bad(`unknown opcode ${op}`);
    if (pc + 1 + n > code.length) throw bad('an op runs past the end of the code');
    const a = pc + 1;
    pc += 1 + n;
    switch (op) {
      case OP.LIN: {
        let acc = C(code[a + 1]!);
        for (let k = 0, at = a + 3; k < code[a + 2]!; k++, at += 2) acc += C(code[at + 1]!) * reg[R(code[at]!)]!;
        reg[R(code[a]!)] = acc;
        break;
      }
      case OP.FLIN: {
        let acc = F(code[a + 1]!);
        for (let k = 0, at = a + 3; k < code[a + 2]!; k++, at += 2) acc += F(code[at + 1]!) * toField(reg[R(code[at]!)]!);
        wire[W(code[a]!)] = acc % BN254_R;
        break;
      }
      case OP.MUL: reg[R(code[a]!)] = reg[R(code[a + 1]!)]! * reg[R(code[a + 2]!)]!; break;
      case OP.SHR: {
        if (code[a + 2]! > 127) throw bad('shift out of range');
        reg[R(code[a]!)] = reg[R(code[a + 1]!)]! >> BigInt(code[a + 2]!); // floor, as BigInt's >> is
        break;
      }
      case OP.MAX0: { const v = reg[R(code[a + 1]!)]!; reg[R(code[a]!)] = v > 0n ? v : 0n; break; }
      case OP.ABS: { const v = reg[R(code[a + 1]!)]!; reg[R(code[a]!)] = v < 0n ? -v : v; break; }
      case OP.EQZ: reg[R(code[a]!)] = reg[R(code[a + 1]!)] === 0n ? 1n : 0n; break;
      case OP.BITS: {
        const u0 = code[a]!, nb = code[a + 2]!;
        if (nb < 1 || nb > 126 || u0 + nb > h.nRegs) throw bad('bit decomposition out of range');
        const u = reg[R(code[a + 1]!)]! + (1n << BigInt(nb - 1));
        if (u < 0n || u >= 1n << BigInt(nb)) throw new TapeRejected('a value is outside its proven range');
        for (let i = 0; i < nb; i++) reg[u0 + i] = (u >> BigInt(i)) & 1n;
        break;
      }
      case OP.ACT: reg[R(code[a]!)] = act(code[a + 2]!, reg[R(code[a + 1]!)]!, code[a + 3]!); break;
      case OP.DIV: {
        const x = reg[R(code[a + 2]!)]!, y = reg[R(code[a + 3]!)]!;
        if (y === 0n) throw new TapeRejected('division by zero');
        const ay = y < 0n ? -y : y, r = ((x % ay) + ay) % ay;
        reg[R(code[a]!)] = (x - r) / y; // exact: BigInt has no overflow
        reg[R(code[a + 1]!)] = r;
        break;
      }
      case OP.WIRE: wire[W(code[a]!)] = toField(reg[R(code[a + 1]!)]!); break;
      case OP.INVW: { const v = toField(reg[R(code[a + 1]!)]!); wire[W(code[a]!)] = v === 0n ? 0n : modInv(v); break; }
      case OP.RECIP: {
        if (recipient < 0n || recipient >= BN254_R) throw new TapeRejected('the recipient is not a field element');
        wire[W(code[a]!)] = recipient;
        break;
      }
    }
  }
  const out: bigint[] = [];
  let di = 0;
  for (let i = 0; i < h.nWires; i++) {
    if (di < t.drop.length && t.drop[di] === i) { di++; continue; }
    out.push(wire[i]!);
  }
  if (di !== t.drop.length || out.length !== h.nFinal) throw bad('the drop list is not sorted wires');
  return out;
}
