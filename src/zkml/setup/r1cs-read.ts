import { readFile } from 'node:fs/promises';
import { readBinSections } from './binfile.js';
import { SetupError } from './errors.js';
import { readR1csHeader, type R1csHeader } from './r1cs-header.js';

/** One linear combination term: wire index and the byte offset of its 32-byte little-endian coefficient. */
export interface R1csTerm { wire: number; coefOffset: number }
export interface R1csConstraint { a: R1csTerm[]; b: R1csTerm[]; c: R1csTerm[] }

/** A whole .r1cs file in memory: header, the raw bytes (for coefficients) and every constraint. */
export interface R1csFile { header: R1csHeader; bytes: Buffer; constraints: R1csConstraint[] }

/** Parse all constraints of a circom .r1cs file (BN254, 32-byte field elements). */
export async function readR1cs(path: string): Promise<R1csFile> {
  const header = await readR1csHeader(path);
  const table = await readBinSections(path);
  const sec = table.sections.get(2)?.[0];
  if (!sec) throw new SetupError('R1CS_INVALID', `${path} has no constraints section`);
  const bytes = await readFile(path);
  let o = sec.offset;
  const end = sec.offset + sec.size;
  const lc = (): R1csTerm[] => {
    const n = bytes.readUInt32LE(o); o += 4;
    const terms = new Array<R1csTerm>(n);
    for (let i = 0; i < n; i++) { terms[i] = { wire: bytes.readUInt32LE(o), coefOffset: o + 4 }; o += 36; }
    return terms;
  };
  const constraints = new Array<R1csConstraint>(header.nConstraints);
  for (let k = 0; k < header.nConstraints; k++) {
    const a = lc(), b = lc(), c = lc();
    constraints[k] = { a, b, c };
  }
  if (o !== end) throw new SetupError('R1CS_INVALID', `${path}: constraints section has ${end - o} unexpected trailing bytes`);
  return { header, bytes, constraints };
}

/** A coefficient's value (little-endian, standard form) as BigInt. */
export function coefValue(bytes: Buffer, offset: number): bigint {
  return bytes.readBigUInt64LE(offset) | (bytes.readBigUInt64LE(offset + 8) << 64n) |
    (bytes.readBigUInt64LE(offset + 16) << 128n) | (bytes.readBigUInt64LE(offset + 24) << 192n);
}
