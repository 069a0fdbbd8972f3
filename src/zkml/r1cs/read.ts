import { readFile } from 'node:fs/promises';
import { BN254_R } from '../fixed-point.js';
import { ZkinferError } from '../../errors/base.js';
import type { ConstraintList } from './store.js';

/** The .r1cs file is malformed or not over BN254. */
export class R1csError extends ZkinferError {
  override readonly name = 'R1csError';
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super('R1CS', message, opts);
  }
}

/** One sparse row: wire id → coefficient (field element). */
export type LinearRow = Array<[number, bigint]>;

export interface R1cs {
  nWires: number;
  nOutputs: number;
  nPubInputs: number;
  nPrvInputs: number;
  nLabels: number;
  /** A·w × B·w = C·w for every constraint (an array, or the direct backend's compact store). */
  constraints: ConstraintList;
  /** label id of each wire (section 3), when present. */
  wireToLabel?: number[];
}

/** Read a circom/snarkjs .r1cs file (iden3 binary format v1: header, constraints, wire-to-label map). */
export async function readR1cs(path: string): Promise<R1cs> {
  const buf = await readFile(path);
  if (buf.subarray(0, 4).toString('latin1') !== 'r1cs') throw new R1csError(`${path} is not a .r1cs file`, { hint: 'pass the circuit.r1cs circom wrote' });
  const nSections = buf.readUInt32LE(8);
  const sections = new Map<number, [number, number]>();
  let pos = 12;
  for (let i = 0; i < nSections; i++) {
    const id = buf.readUInt32LE(pos), size = Number(buf.readBigUInt64LE(pos + 4));
    sections.set(id, [pos + 12, size]);
    pos += 12 + size;
  }
  const hs = sections.get(1), cs = sections.get(2);
  if (!hs || !cs) throw new R1csError(`${path} lacks a header or constraint section`);
  let o = hs[0];
  const n8 = buf.readUInt32LE(o); o += 4;
  const fe = (at: number) => { let x = 0n; for (let i = n8 - 1; i >= 0; i--) x = (x << 8n) | BigInt(buf[at + i]!); return x; };
  if (fe(o) !== BN254_R) throw new R1csError(`${path} is not over the BN254 scalar field`);
  o += n8;
  const nWires = buf.readUInt32LE(o), nOutputs = buf.readUInt32LE(o + 4), nPubInputs = buf.readUInt32LE(o + 8), nPrvInputs = buf.readUInt32LE(o + 12);
  const nLabels = Number(buf.readBigUInt64LE(o + 16));
  const nConstraints = buf.readUInt32LE(o + 24);
  o = cs[0];
  const row = (): LinearRow => {
    const n = buf.readUInt32LE(o); o += 4;
    const r: LinearRow = new Array(n);
    for (let i = 0; i < n; i++) { r[i] = [buf.readUInt32LE(o), fe(o + 4)]; o += 4 + n8; }
    return r;
  };
  const constraints: Array<[LinearRow, LinearRow, LinearRow]> = new Array(nConstraints);
  for (let c = 0; c < nConstraints; c++) constraints[c] = [row(), row(), row()];
  const ms = sections.get(3);
  let wireToLabel: number[] | undefined;
  if (ms) {
    wireToLabel = new Array(nWires);
    for (let w = 0; w < nWires; w++) wireToLabel[w] = Number(buf.readBigUInt64LE(ms[0] + 8 * w));
  }
  return { nWires, nOutputs, nPubInputs, nPrvInputs, nLabels, constraints, ...(wireToLabel ? { wireToLabel } : {}) };
}

/** Read a circom .sym file: signal name → wire id (−1 for signals the optimizer removed). */
export async function readSym(path: string): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (!line) continue;
    const [, wire, , name] = line.split(',');
    m.set(name!, Number(wire));
  }
  return m;
}
