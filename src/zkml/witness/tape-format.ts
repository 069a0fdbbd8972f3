import { sha256Hex } from '../format/circuit-id-node.js';
import { WitnessTapeError } from './errors.js';

/**
 * The witness tape (docs/zkml-compile.md "Witness tape"): the direct backend's witness walk recorded once as a flat
 * list of integer and field operations, run by a small interpreter — native/src/witness.cpp in the addon, or
 * tape-run.ts in JS — instead of the exact emulator's walk over the witness program. Little-endian binary:
 *
 *   header    HEADER_WORDS u32: magic, version, layout, nIn, nRegs, nWires, nFinal, nInt, nField, nTables,
 *             codeWords, nDrop, then the witness program's sha256 (8 words), then the body's sha256 (8 words)
 *   body      nInt integer constants (i128, two's complement, 16 bytes), nField field constants (32 bytes),
 *             nTables activation tables (TABLE_WORDS u32 each), codeWords u32 of code, nDrop u32 dropped wires
 *
 * Registers hold integers (the exact emulator's signals and the walk's intermediate values), wires hold field
 * elements. Wire 0 is 1; the recipient wire is set by RECIP; every other wire by one op. The witness is the wires
 * without the dropped ones (eliminated by the output equations), in order.
 */
export const TAPE_MAGIC = 0x54574b5a; // "ZKWT"
export const TAPE_VERSION = 1;
export const HEADER_WORDS = 28;
export const HEADER_BYTES = HEADER_WORDS * 4;
/** One activation table: k, j, st, satLo, satHi, A base, B base (constant indices), entries. */
export const TABLE_WORDS = 8;
/** Most registers and wires a tape may have (2^28; the recorder stops far below, tape-compile.ts TAPE_MAX_SIGNALS). */
export const MAX_COUNT = 2 ** 28;

/** Opcodes and their operand count (−1: variable, see the op's comment). */
export const OP = {
  /** LIN dst c n (reg k)×n — dst = C[c] + Σ C[k]·reg */
  LIN: 1,
  /** MUL dst a b — dst = a·b */
  MUL: 2,
  /** SHR dst x d — dst = floor(x / 2^d) */
  SHR: 3,
  /** MAX0 dst x — dst = max(x, 0) */
  MAX0: 4,
  /** ABS dst x — dst = |x| */
  ABS: 5,
  /** EQZ dst x — dst = (x = 0 ? 1 : 0) */
  EQZ: 6,
  /** BITS u0 x n — with u = x + 2^(n−1), fail unless 0 ≤ u < 2^n; reg u0+i = bit i of u (n ≤ 126) */
  BITS: 7,
  /** ACT dst x t sx — dst = the activation table t at input x of scale sx (quantize/activation.ts actEval) */
  ACT: 8,
  /** DIV q r x y — Euclidean division x = q·y + r, 0 ≤ r < |y|; fail when y = 0 */
  DIV: 9,
  /** WIRE w x — wire w = x mod p */
  WIRE: 10,
  /** INVW w x — wire w = 1/x mod p (0 when x = 0) */
  INVW: 11,
  /** FLIN w c n (reg k)×n — wire w = F[c] + Σ F[k]·reg mod p */
  FLIN: 12,
  /** RECIP w — wire w = the recipient */
  RECIP: 13,
} as const;

/** Operand words of the fixed-size ops (LIN and FLIN: 3 + 2n). */
export const OP_ARGS: Record<number, number> = { 2: 3, 3: 3, 4: 2, 5: 2, 6: 2, 7: 3, 8: 4, 9: 4, 10: 2, 11: 2, 13: 1 };

export interface TapeHeader {
  layout: number; nIn: number; nRegs: number; nWires: number; nFinal: number;
  nInt: number; nField: number; nTables: number; codeWords: number; nDrop: number;
  programSha: string; bodySha: string;
}

export const bodyBytes = (h: Pick<TapeHeader, 'nInt' | 'nField' | 'nTables' | 'codeWords' | 'nDrop'>): number =>
  h.nInt * 16 + h.nField * 32 + (h.nTables * TABLE_WORDS + h.codeWords + h.nDrop) * 4;

const bad = (msg: string) => new WitnessTapeError(`malformed witness tape: ${msg}`);

/**
 * Read and check a tape's header: magic, version, `layout` (the emitter's wire layout), sizes that add up, the
 * witness program it was recorded from and the body's own sha256. Any mismatch is a typed WitnessTapeError.
 */
export function readTapeHeader(tape: Uint8Array, expect: { layout: number; programSha?: string }): TapeHeader {
  if (tape.byteLength < HEADER_BYTES) throw bad(`${tape.byteLength} bytes, shorter than its header`);
  const dv = new DataView(tape.buffer, tape.byteOffset, tape.byteLength);
  const w = (i: number) => dv.getUint32(i * 4, true);
  if (w(0) !== TAPE_MAGIC) throw bad('not a zkinfer witness tape (bad magic)');
  if (w(1) !== TAPE_VERSION) throw bad(`format version ${w(1)}, this zkinfer reads version ${TAPE_VERSION}`);
  const hex = (from: number) => Buffer.from(tape.buffer, tape.byteOffset + from * 4, 32).toString('hex');
  const h: TapeHeader = {
    layout: w(2), nIn: w(3), nRegs: w(4), nWires: w(5), nFinal: w(6), nInt: w(7), nField: w(8), nTables: w(9),
    codeWords: w(10), nDrop: w(11), programSha: hex(12), bodySha: hex(20),
  };
  if (h.layout !== expect.layout) throw bad(`recorded for wire layout ${h.layout}, this zkinfer computes layout ${expect.layout}`);
  if (expect.programSha !== undefined && h.programSha !== expect.programSha) throw bad('recorded from another witness program');
  if (tape.byteLength !== HEADER_BYTES + bodyBytes(h)) throw bad(`${tape.byteLength} bytes, its header says ${HEADER_BYTES + bodyBytes(h)}`);
  if (h.nFinal + h.nDrop !== h.nWires || h.nIn > h.nRegs || h.nWires < 1) throw bad('wire or register counts do not add up');
  if (h.nRegs > MAX_COUNT || h.nWires > MAX_COUNT) throw bad('more registers or wires than a tape may have');
  if (sha256Hex(tape.subarray(HEADER_BYTES)) !== h.bodySha) throw bad('its content does not match its sha256');
  return h;
}

