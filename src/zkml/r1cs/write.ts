import { open } from 'node:fs/promises';
import { BN254_R } from '../fixed-point.js';
import type { EmittedCircuit } from './emit.js';
import type { R1cs } from './read.js';

/**
 * Writers for the direct backend's files, in the formats circom writes and snarkjs reads (docs/zkml-compile.md,
 * "Direct backend"): `.r1cs` (iden3 binary v1: header, constraints, wire→label map), `.sym` (label,wire,component,name
 * lines) and `.wtns` (iden3 binary v2: header, witness values). Field elements are 32-byte little-endian, plain form.
 */

const N8 = 32;

const SMALL = 1n << 52n;

/**
 * x as 32 bytes little-endian: four 64-bit words (a quarter of the BigInt operations of byte-wise shifts); a value
 * below 2^52 — most wires: zeros, bits, quotients — is written as two 32-bit halves of a Number and zeros, with no
 * BigInt arithmetic (the cold witness path of a one-shot `zkinfer prove`, docs/network.md "CLI start-up").
 */
function putField(buf: Buffer, at: number, x: bigint): void {
  if (x >= 0n && x < SMALL) {
    const n = Number(x);
    buf.writeUInt32LE(n >>> 0, at);
    buf.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
    buf.fill(0, at + 8, at + N8);
    return;
  }
  let v = x;
  for (let i = 0; i < N8; i += 8) { buf.writeBigUInt64LE(BigInt.asUintN(64, v), at + i); v >>= 64n; }
}

/** Buffered sequential file writer (keeps memory flat for files of any size). */
class Sink {
  private buf = Buffer.alloc(1 << 20);
  private used = 0;
  private constructor(private readonly fh: Awaited<ReturnType<typeof open>>) {}
  static async open(path: string): Promise<Sink> { return new Sink(await open(path, 'w')); }
  async room(n: number): Promise<Buffer> {
    if (this.used + n > this.buf.length) await this.flush();
    if (n > this.buf.length) this.buf = Buffer.alloc(n);
    return this.buf;
  }
  /** Reserve n bytes; returns the offset to fill in `buffer`. */
  async take(n: number): Promise<[Buffer, number]> { const b = await this.room(n); const at = this.used; this.used += n; return [b, at]; }
  async flush(): Promise<void> { if (this.used) { await this.fh.write(this.buf, 0, this.used); this.used = 0; } }
  async close(): Promise<void> { await this.flush(); await this.fh.close(); }
}

async function sectionHeader(s: Sink, id: number, size: number): Promise<void> {
  const [b, at] = await s.take(12);
  b.writeUInt32LE(id, at);
  b.writeBigUInt64LE(BigInt(size), at + 4);
}

/** Write a circom-compatible .r1cs file. */
export async function writeR1csFile(path: string, c: EmittedCircuit): Promise<void> {
  const s = await Sink.open(path);
  try {
    const [h, at] = await s.take(12);
    h.write('r1cs', at, 4, 'latin1'); h.writeUInt32LE(1, at + 4); h.writeUInt32LE(3, at + 8);
    const hdrSize = 4 + N8 + 4 * 4 + 8 + 4;
    await sectionHeader(s, 1, hdrSize);
    const [b1, o1] = await s.take(hdrSize);
    let o = o1;
    b1.writeUInt32LE(N8, o); o += 4;
    putField(b1, o, BN254_R); o += N8;
    for (const v of [c.nWires, c.nOutputs, c.nPubInputs, 0]) { b1.writeUInt32LE(v, o); o += 4; }
    b1.writeBigUInt64LE(BigInt(c.labels.length + 1), o); o += 8;
    b1.writeUInt32LE(c.constraints.length, o);
    const store = c.constraints, nRows = 3 * store.length;
    let size = 0;
    for (let r = 0; r < nRows; r++) size += 4 + store.rowLength(r) * (4 + N8);
    await sectionHeader(s, 2, size);
    const encode = (k: bigint) => { const b = Buffer.alloc(N8); putField(b, 0, k); return b; };
    for (let r = 0; r < nRows; r++) {
      const [b, start] = await s.take(4 + store.rowLength(r) * (4 + N8));
      store.encodeRow(r, b, start, encode);
    }
    await sectionHeader(s, 3, 8 * c.nWires);
    for (let w = 0; w < c.nWires; w++) { const [b, p] = await s.take(8); b.writeBigUInt64LE(BigInt(c.wireToLabel[w] ?? 0), p); }
  } finally {
    await s.close();
  }
}

/** Write the .sym file: every named signal, its wire (−1 when implied by a linear equation). */
export async function writeSymFile(path: string, c: EmittedCircuit): Promise<void> {
  const s = await Sink.open(path);
  try {
    for (let i = 0; i < c.labels.length; i++) {
      const l = c.labels[i]!;
      const line = Buffer.from(`${i + 1},${l.wire},0,${l.name}\n`, 'utf8');
      const [b, at] = await s.take(line.length);
      line.copy(b, at);
    }
  } finally {
    await s.close();
  }
}

/** The emitted constraints as the in-memory R1cs the checker and mutation harness use. */
export function asR1cs(c: EmittedCircuit): R1cs {
  return {
    nWires: c.nWires, nOutputs: c.nOutputs, nPubInputs: c.nPubInputs, nPrvInputs: 0, nLabels: c.labels.length + 1,
    constraints: c.constraints, wireToLabel: c.wireToLabel,
  };
}

/** Bytes of a .wtns file before its values: header and section 1 (field), section 2's header, for n values. */
/** Bytes before the first witness value in a .wtns file. */
export const WTNS_HEAD = 12 + 12 + 4 + N8 + 4 + 12;

export function putWtnsHead(b: Buffer, n: number): void {
  b.write('wtns', 0, 4, 'latin1'); b.writeUInt32LE(2, 4); b.writeUInt32LE(2, 8);
  let o = 12;
  b.writeUInt32LE(1, o); b.writeBigUInt64LE(BigInt(4 + N8 + 4), o + 4); o += 12;
  b.writeUInt32LE(N8, o); putField(b, o + 4, BN254_R); b.writeUInt32LE(n, o + 4 + N8); o += 4 + N8 + 4;
  b.writeUInt32LE(2, o); b.writeBigUInt64LE(BigInt(n * N8), o + 4);
}

/** A witness as .wtns bytes in memory (what snarkjs and the native prover take). */
export function wtnsBytes(witness: readonly bigint[]): Uint8Array {
  const b = Buffer.alloc(WTNS_HEAD + witness.length * N8);
  putWtnsHead(b, witness.length);
  let o = WTNS_HEAD;
  for (const w of witness) { putField(b, o, w); o += N8; }
  return b;
}

/**
 * Write a witness as a .wtns file, streamed through a 1 MiB buffer (memory flat at any size; the same bytes as
 * wtnsBytes, docs/zkml-compile.md "Memory").
 */
export async function writeWtnsFile(path: string, witness: readonly bigint[]): Promise<void> {
  const s = await Sink.open(path);
  try {
    const [h, at] = await s.take(WTNS_HEAD);
    putWtnsHead(at === 0 ? h : h.subarray(at), witness.length);
    for (let i = 0; i < witness.length; i += 4096) {
      const k = Math.min(4096, witness.length - i);
      const [b, o] = await s.take(k * N8);
      for (let j = 0; j < k; j++) putField(b, o + j * N8, witness[i + j]!);
    }
  } finally {
    await s.close();
  }
}
