import { open } from 'node:fs/promises';

/** One section of an iden3 binary file (.ptau, .r1cs, .zkey, .wtns): id, byte offset of its data, byte size. */
export interface BinSection { id: number; offset: number; size: number }

/**
 * Read the section table of an iden3 binary file: 4-byte magic, u32 version, u32 section count, then
 * per section u32 id, u64 size, data. Returns the magic, version and sections (by id, in file order).
 */
export async function readBinSections(path: string): Promise<{ magic: string; version: number; sections: Map<number, BinSection[]>; fileSize: number }> {
  const fh = await open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    const magic = head.subarray(0, 4).toString('latin1');
    const version = head.readUInt32LE(4);
    const n = head.readUInt32LE(8);
    const sections = new Map<number, BinSection[]>();
    let pos = 12;
    const sh = Buffer.alloc(12);
    for (let i = 0; i < n; i++) {
      if (pos + 12 > fileSize) throw new RangeError(`section table runs past the end of ${path}`);
      await fh.read(sh, 0, 12, pos);
      const id = sh.readUInt32LE(0);
      const size = Number(sh.readBigUInt64LE(4));
      const sec = { id, offset: pos + 12, size };
      if (sec.offset + size > fileSize) throw new RangeError(`section ${id} runs past the end of ${path}`);
      sections.set(id, [...(sections.get(id) ?? []), sec]);
      pos = sec.offset + size;
    }
    return { magic, version, sections, fileSize };
  } finally {
    await fh.close();
  }
}

/**
 * Read `length` bytes at `offset` of a file, in reads of at most 1 GiB (one read call takes < 2 GiB: a 2^22 r1cs's
 * constraint section is ≈ 1.1 GB, docs/zkml-compile.md "Memory at 2^21–2^22").
 */
export async function readBytes(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    for (let o = 0; o < length;) {
      const { bytesRead } = await fh.read(buf, o, Math.min(length - o, 1 << 30), offset + o);
      if (bytesRead === 0) throw new RangeError(`short read of ${path}`);
      o += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** Little-endian bytes to an unsigned BigInt. */
export function leToBigInt(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}
