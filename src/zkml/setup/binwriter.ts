import { open, type FileHandle } from 'node:fs/promises';

/** Writes an iden3 binary file (magic, u32 version, u32 section count, then id/u64 size/data sections) sequentially. */
export class BinWriter {
  private constructor(private readonly fh: FileHandle, private pos: number) {}

  static async create(path: string, magic: string, version: number, nSections: number): Promise<BinWriter> {
    const fh = await open(path, 'w');
    const head = Buffer.alloc(12);
    head.write(magic, 0, 4, 'latin1');
    head.writeUInt32LE(version, 4);
    head.writeUInt32LE(nSections, 8);
    await fh.write(head, 0, 12, 0);
    return new BinWriter(fh, 12);
  }

  /** Write one whole section from its parts. */
  async section(id: number, parts: readonly Uint8Array[]): Promise<void> {
    const size = parts.reduce((s, p) => s + p.length, 0);
    await this.streamSection(id, size, async (write) => {
      // coalesce small parts (e.g. 44-byte zkey coefficients) into few large writes
      let chunk: Uint8Array[] = [], bytes = 0;
      const flush = async () => { if (chunk.length) await write(chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk)); chunk = []; bytes = 0; };
      for (const p of parts) {
        chunk.push(p); bytes += p.length;
        if (bytes >= 1 << 22) await flush();
      }
      await flush();
    });
  }

  /**
   * Write a section of `size` bytes whose data `produce` streams through `write` (large sections never held whole
   * in memory: docs/zkml-compile.md, "Memory at 2^21–2^22"); throws if it wrote another number of bytes.
   */
  async streamSection(id: number, size: number, produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
    await this.header(id, size);
    const start = this.pos;
    await produce(async (b) => {
      // one write call moves at most ~2 GiB (Linux): loop on what it reports
      for (let o = 0; o < b.length;) {
        const { bytesWritten } = await this.fh.write(b, o, Math.min(b.length - o, 1 << 30), this.pos);
        o += bytesWritten; this.pos += bytesWritten;
      }
    });
    if (this.pos - start !== size) throw new RangeError(`section ${id}: wrote ${this.pos - start} bytes, declared ${size}`);
  }

  private async header(id: number, size: number): Promise<void> {
    const h = Buffer.alloc(12);
    h.writeUInt32LE(id, 0);
    h.writeBigUInt64LE(BigInt(size), 4);
    await this.fh.write(h, 0, 12, this.pos);
    this.pos += 12;
  }

  async close(): Promise<void> { await this.fh.close(); }
}

export function u32le(...xs: number[]): Uint8Array {
  const b = Buffer.alloc(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
  return b;
}

/** Unsigned BigInt → little-endian bytes of length n. */
export function bigIntLE(x: bigint, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let v = x;
  for (let i = 0; i < n; i++) { b[i] = Number(v & 0xffn); v >>= 8n; }
  return b;
}
