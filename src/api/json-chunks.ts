/**
 * Large public answers assembled from parts serialized once (docs/api.md "Dashboard"): `GET /v1/network`'s history
 * points and `GET /v1/proof-of-weights`' records are kept as JSON bytes and written as they are, so a read neither
 * serializes them again nor joins them into one more copy.
 */
import { Readable } from 'node:stream';

const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];

/** The JSON array `[p0,p1,…]` of parts that are each one JSON value, as chunks. */
export function jsonArrayChunks(parts: readonly Buffer[]): Buffer[] {
  const chunks = [OPEN];
  for (const [k, p] of parts.entries()) {
    if (k > 0) chunks.push(COMMA);
    chunks.push(p);
  }
  chunks.push(CLOSE);
  return chunks;
}

/** A reply body that writes `chunks` in order. */
export function chunksBody(chunks: readonly Buffer[]): Readable {
  return Readable.from(chunks, { objectMode: false });
}
