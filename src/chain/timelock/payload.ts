/**
 * subtensor's `WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64 }`
 * in SCALE (docs/chain.md "Commit-reveal weights"): the plaintext of a timelocked weights commit.
 * `hotkey` is the committing hotkey's 32-byte public key; the chain drops a reveal whose hotkey is not
 * the committer.
 */
import { compactFromU8a, compactToU8a } from '@polkadot/util';
import { InvalidTimelockCommitError } from '../errors.js';

export interface WeightsTlockPayload {
  hotkey: Uint8Array;
  uids: number[];
  values: number[];
  versionKey: bigint;
}

const u16s = (xs: number[]): Buffer => {
  const b = Buffer.alloc(xs.length * 2);
  xs.forEach((x, i) => b.writeUInt16LE(x, i * 2));
  return Buffer.concat([compactToU8a(xs.length), b]);
};

/** SCALE encoding (compact-length vectors, little-endian integers). */
export function encodeWeightsPayload(p: WeightsTlockPayload): Buffer {
  const vk = Buffer.alloc(8);
  vk.writeBigUInt64LE(p.versionKey);
  return Buffer.concat([compactToU8a(p.hotkey.length), p.hotkey, u16s(p.uids), u16s(p.values), vk]);
}

/** Decode; anything but exactly one payload throws InvalidTimelockCommitError. */
export function decodeWeightsPayload(bytes: Uint8Array): WeightsTlockPayload {
  const b = Buffer.from(bytes);
  let at = 0;
  const len = (): number => {
    if (at >= b.length) throw new InvalidTimelockCommitError('payload ends before a vector length');
    const [n, v] = compactFromU8a(b.subarray(at));
    at += n;
    const x = v.toNumber();
    if (x > b.length) throw new InvalidTimelockCommitError(`payload vector claims ${x} items in ${b.length} bytes`);
    return x;
  };
  const take = (n: number): Buffer => {
    if (at + n > b.length) throw new InvalidTimelockCommitError('payload is truncated');
    const out = b.subarray(at, at + n);
    at += n;
    return out;
  };
  const hotkey = new Uint8Array(take(len()));
  const readU16s = (): number[] => { const n = len(); const raw = take(2 * n); return Array.from({ length: n }, (_, i) => raw.readUInt16LE(2 * i)); };
  const uids = readU16s();
  const values = readU16s();
  const versionKey = take(8).readBigUInt64LE();
  if (at !== b.length) throw new InvalidTimelockCommitError(`${b.length - at} trailing bytes after the payload`);
  return { hotkey, uids, values, versionKey };
}
