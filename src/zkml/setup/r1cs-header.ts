import { leToBigInt, readBinSections, readBytes } from './binfile.js';
import { SetupError } from './errors.js';
import { BN254_R } from '../fixed-point.js';

export interface R1csHeader {
  nWires: number;
  nOutputs: number;
  nPubInputs: number;
  nPrvInputs: number;
  nLabels: number;
  nConstraints: number;
  /** Public signals excluding the constant one: outputs + public inputs. */
  nPublic: number;
}

/** Read the header section of a circom .r1cs file (BN254 only). */
export async function readR1csHeader(path: string): Promise<R1csHeader> {
  let table;
  try {
    table = await readBinSections(path);
  } catch (cause) {
    throw new SetupError('R1CS_INVALID', `cannot read ${path} as a .r1cs file`, { cause });
  }
  const h = table.sections.get(1)?.[0];
  if (table.magic !== 'r1cs' || !h) throw new SetupError('R1CS_INVALID', `${path} is not a circom .r1cs file`, { hint: 'pass the circuit.r1cs written by circom' });
  const b = await readBytes(path, h.offset, h.size);
  const n8 = b.readUInt32LE(0);
  if (leToBigInt(b.subarray(4, 4 + n8)) !== BN254_R) throw new SetupError('R1CS_INVALID', `${path} is not over the BN254 scalar field`, { hint: 'compile with circom --prime bn128 (the default)' });
  let o = 4 + n8;
  const u32 = () => { const v = b.readUInt32LE(o); o += 4; return v; };
  const nWires = u32(), nOutputs = u32(), nPubInputs = u32(), nPrvInputs = u32();
  const nLabels = Number(b.readBigUInt64LE(o)); o += 8;
  const nConstraints = u32();
  return { nWires, nOutputs, nPubInputs, nPrvInputs, nLabels, nConstraints, nPublic: nOutputs + nPubInputs };
}

/** The Groth16 domain power snarkjs uses for a circuit: smallest k with 2^k > nConstraints + nPublic. */
export function requiredPower(h: Pick<R1csHeader, 'nConstraints' | 'nPublic'>): number {
  const m = h.nConstraints + h.nPublic;
  return Math.max(1, m.toString(2).length);
}
