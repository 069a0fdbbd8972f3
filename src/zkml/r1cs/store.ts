import type { LinearRow } from './read.js';

/**
 * Compact storage of R1CS constraint rows (docs/zkml-compile.md, "Memory"): every term is two 32-bit integers — its
 * wire and the index of its coefficient in a table of distinct coefficients (a circuit repeats few: ±1, powers of
 * two and their inverses, the weights) — in growable typed arrays, instead of a Map of BigInts per row. A 2^20
 * constraint circuit takes tens of MB here, where per-row Maps took GBs.
 *
 * Rows are stored with the emitter's internal wire ids; `finalize` renumbers them to the final wire ids in place and
 * rewrites the few rows that mention an eliminated wire (kept aside, fully expanded).
 */

/** What the r1cs checker, the mutation harness and the writers need of a constraint list. */
export interface ConstraintList {
  readonly length: number;
  forEach(f: (c: [LinearRow, LinearRow, LinearRow], i: number) => void): void;
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) { this.data = new Int32Array(capacity); }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

export class ConstraintStore implements ConstraintList {
  private readonly wires = new GrowableInt32(1 << 12);
  private readonly coefs = new GrowableInt32(1 << 12);
  /** Start of row r's terms is rowStart[r]; rows come three per constraint (A, B, C). */
  private readonly rowStart = new GrowableInt32(1 << 10);
  private readonly table: bigint[] = [];
  private readonly tableIndex = new Map<bigint, number>();
  private readonly tableBytes: Array<Uint8Array | undefined> = [];
  /** Rows rewritten by `finalize` (they mentioned an eliminated wire): row index → final row. */
  private readonly replaced = new Map<number, LinearRow>();

  constructor() { this.rowStart.push(0); }

  get length(): number { return (this.rowStart.length - 1) / 3; }
  /** Number of stored terms (a measure of the memory the rows take: 8 bytes each). */
  get terms(): number { return this.wires.length; }
  /** Distinct coefficients. */
  get distinctCoefficients(): number { return this.table.length; }

  private coefIndex(k: bigint): number {
    let i = this.tableIndex.get(k);
    if (i === undefined) { i = this.table.length; this.table.push(k); this.tableIndex.set(k, i); }
    return i;
  }

  private pushRow(r: ReadonlyMap<number, bigint>): void {
    const ws = [...r.keys()].sort((x, y) => x - y);
    for (const w of ws) { this.wires.push(w); this.coefs.push(this.coefIndex(r.get(w)!)); }
    this.rowStart.push(this.wires.length);
  }

  /** Append A·w × B·w = C·w (rows as wire → coefficient, coefficients reduced mod p and non-zero). */
  push(a: ReadonlyMap<number, bigint>, b: ReadonlyMap<number, bigint>, c: ReadonlyMap<number, bigint>): void {
    this.pushRow(a); this.pushRow(b); this.pushRow(c);
  }

  /** Terms of row r (0 ≤ r < 3·length) as wire → coefficient in wire order. */
  row(r: number): LinearRow {
    const rep = this.replaced.get(r);
    if (rep) return rep;
    const out: LinearRow = [];
    for (let t = this.rowStart.data[r]!, e = this.rowStart.data[r + 1]!; t < e; t++) out.push([this.wires.data[t]!, this.table[this.coefs.data[t]!]!]);
    return out;
  }

  constraint(i: number): [LinearRow, LinearRow, LinearRow] { return [this.row(3 * i), this.row(3 * i + 1), this.row(3 * i + 2)]; }

  forEach(f: (c: [LinearRow, LinearRow, LinearRow], i: number) => void): void {
    for (let i = 0; i < this.length; i++) f(this.constraint(i), i);
  }

  toArray(): Array<[LinearRow, LinearRow, LinearRow]> {
    const out: Array<[LinearRow, LinearRow, LinearRow]> = [];
    this.forEach((c) => out.push(c));
    return out;
  }

  /** Number of terms of row r. */
  rowLength(r: number): number {
    const rep = this.replaced.get(r);
    return rep ? rep.length : this.rowStart.data[r + 1]! - this.rowStart.data[r]!;
  }

  /**
   * Row r in the iden3 .r1cs encoding (u32 term count, then per term u32 wire + 32-byte little-endian coefficient)
   * into buf at `at`; returns the offset after it. Coefficient bytes are encoded once per distinct coefficient.
   */
  encodeRow(r: number, buf: Buffer, at: number, encode: (k: bigint) => Uint8Array): number {
    const rep = this.replaced.get(r);
    let p = at + 4;
    if (rep) {
      buf.writeUInt32LE(rep.length, at);
      for (const [w, k] of rep) { buf.writeUInt32LE(w, p); buf.set(encode(k), p + 4); p += 36; }
      return p;
    }
    const s = this.rowStart.data[r]!, e = this.rowStart.data[r + 1]!;
    buf.writeUInt32LE(e - s, at);
    for (let t = s; t < e; t++) {
      const ci = this.coefs.data[t]!;
      const bytes = this.tableBytes[ci] ??= encode(this.table[ci]!);
      buf.writeUInt32LE(this.wires.data[t]!, p); buf.set(bytes, p + 4); p += 36;
    }
    return p;
  }

  /**
   * Renumber every wire to its final id (`finalId[w]`, monotone, so rows stay sorted). A row that mentions a wire
   * with `finalId[w] < 0` (eliminated) is replaced by `rewrite(row)` over internal ids, which must return it in final
   * ids, sorted.
   */
  finalize(finalId: Int32Array, rewrite: (row: Map<number, bigint>) => LinearRow): void {
    const nRows = this.rowStart.length - 1;
    const ws = this.wires.data, rs = this.rowStart.data;
    for (let r = 0; r < nRows; r++) {
      const s = rs[r]!, e = rs[r + 1]!;
      let hit = false;
      for (let t = s; t < e; t++) if (finalId[ws[t]!]! < 0) { hit = true; break; }
      if (hit) {
        const m = new Map<number, bigint>();
        for (let t = s; t < e; t++) m.set(ws[t]!, this.table[this.coefs.data[t]!]!);
        this.replaced.set(r, rewrite(m));
      } else {
        for (let t = s; t < e; t++) ws[t] = finalId[ws[t]!]!;
      }
    }
  }
}
