import { InvalidInputError } from '../errors/base.js';

/** The BN254 scalar field modulus (the field every Circom/Groth16 signal lives in). */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** BN254 base-field modulus q (the curve's coordinate field: every proof coordinate is below it). */
export const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Field elements above this are read as negative numbers (p − |x|). */
const HALF_R = BN254_R / 2n;

/** Encode a real number at `scaleBits` fractional bits as a signed integer: round(v · 2^scaleBits). */
export function toFixed(value: number, scaleBits: number): bigint {
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(`cannot encode ${value} as a fixed-point number`, { hint: 'inputs must be finite numbers' });
  }
  const scaled = Math.round(value * 2 ** scaleBits);
  // found by fuzzing (test/fuzz): a finite value near ±1.8e308 scales to ±Infinity
  if (!Number.isFinite(scaled)) throw new InvalidInputError(`${value} is too large to encode at ${scaleBits} fractional bits`, { hint: 'inputs must be within the circuit\'s range' });
  return BigInt(scaled);
}

/** A signed integer as a BN254 field element (negatives as p − |x|). */
export function toField(x: bigint): bigint {
  const r = x % BN254_R;
  return r < 0n ? r + BN254_R : r;
}

/** A field element (as decimal string or bigint) back to the signed integer it encodes. */
export function fromField(f: string | bigint): bigint {
  const x = typeof f === 'bigint' ? f : BigInt(f);
  if (x < 0n || x >= BN254_R) throw new InvalidInputError(`${f} is not a BN254 field element`);
  return x > HALF_R ? x - BN254_R : x;
}

/** Encode a real number straight to a field element string. */
export function encodeReal(value: number, scaleBits: number): string {
  return toField(toFixed(value, scaleBits)).toString();
}

/** Decode a field element string to the real number it encodes at `scaleBits`. */
export function decodeReal(f: string | bigint, scaleBits: number): number {
  return Number(fromField(f)) / 2 ** scaleBits;
}
