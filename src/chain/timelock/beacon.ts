/**
 * Beacons for commit-reveal v3 (docs/chain.md "Commit-reveal weights"): drand quicknet's constants as
 * bittensor-drand and subtensor's pallet_drand use them, round arithmetic, and the devnet's local
 * beacon — its own BLS key signing rounds exactly as quicknet does (G1 signatures of
 * sha256(round u64 BE)). The local beacon is INSECURE-DEV: whoever holds the devnet's state holds the
 * key and can open every commit early.
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import type { BeaconInfo } from '../types.js';
import { roundPoint } from './tlock.js';

/** drand quicknet (chain hash 52db9ba7…e971), as in bittensor-drand's src/drand.rs and pallet_drand's tests. */
export const QUICKNET: BeaconInfo = {
  name: 'drand-quicknet',
  publicKey: '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  genesisMs: 1_692_803_367_000,
  periodMs: 3_000,
};

/** The latest round a beacon has published at `nowMs` (drand: round 1 at genesis; 0 before it). */
export function latestRound(b: BeaconInfo, nowMs: number): number {
  return nowMs < b.genesisMs ? 0 : Math.floor((nowMs - b.genesisMs) / b.periodMs) + 1;
}

/** Whether `signature` (compressed G1, 48 bytes) is the beacon's signature of `round`. */
export function verifyRoundSignature(b: BeaconInfo, round: number | bigint, signature: Uint8Array): boolean {
  try {
    return bls.verifyShortSignature(signature, roundPoint(round), b.publicKey);
  } catch {
    return false;
  }
}

/** The devnet's stand-in for drand: a local BLS key (INSECURE-DEV) publishing a signature per round. */
export class LocalBeacon {
  readonly info: BeaconInfo;
  private readonly sk: bigint;

  constructor(secretKeyHex: string, genesisMs: number, periodMs: number) {
    this.sk = bls.fields.Fr.create(BigInt(`0x${secretKeyHex}`));
    const pk = bls.G2.ProjectivePoint.BASE.multiply(this.sk).toRawBytes(true);
    this.info = { name: 'devnet-INSECURE-DEV', publicKey: Buffer.from(pk).toString('hex'), genesisMs, periodMs };
  }

  /** A fresh secret key (hex), non-zero mod r. */
  static newSecretKey(): string {
    return Buffer.from(bls.utils.randomPrivateKey()).toString('hex');
  }

  /** The round's signature (compressed G1), or undefined while the round is not yet published at `nowMs`. */
  pulse(round: number, nowMs: number): Uint8Array | undefined {
    if (round < 1 || round > latestRound(this.info, nowMs)) return undefined;
    return roundPoint(round).multiply(this.sk).toRawBytes(true);
  }
}
