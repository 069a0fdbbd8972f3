import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { UnauthenticatedError } from '../errors.js';

/** Header names of a signed request (the reference subnet's validator API). */
export const SIG_HEADERS = { timestamp: 'x-timestamp', ss58: 'x-origin-ss58', signature: 'x-signature' } as const;

export interface SignedHeaders {
  timestamp: string;
  ss58: string;
  signature: string;
}

/**
 * Signatures already accepted, until they leave the timestamp window: `claim` is true the first time only.
 * MemoryReplaySet serves one API process; RedisReplaySet (redis-stores.ts) is shared by replicas.
 */
export interface ReplaySet {
  claim(signature: string, expiresAtS: number): boolean | Promise<boolean>;
}

/** The one-process replay set (forgotten on restart). */
export class MemoryReplaySet implements ReplaySet {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;
  constructor(private readonly now: () => number = () => Date.now() / 1000) {}

  claim(signature: string, expiresAtS: number): boolean {
    const now = this.now();
    if (now - this.lastSweep >= 10) {
      this.lastSweep = now;
      for (const [sig, expires] of this.seen) if (expires < now) this.seen.delete(sig);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, expiresAtS);
    return true;
  }
}

/**
 * Checks sr25519 request signatures: the signature covers the UTF-8 text of `x-timestamp` (unix seconds),
 * the timestamp must be within `windowS` of now, and each signature is accepted once (replays refused).
 */
export class SignatureVerifier {
  constructor(
    private readonly windowS = 300,
    private readonly now: () => number = () => Date.now() / 1000,
    private readonly seen: ReplaySet = new MemoryReplaySet(now),
  ) {}

  static async create(windowS = 300, seen?: ReplaySet): Promise<SignatureVerifier> {
    await cryptoWaitReady();
    return new SignatureVerifier(windowS, undefined, seen);
  }

  /** Resolves with the authenticated ss58 address or rejects with UnauthenticatedError (401). */
  async verify(h: Partial<SignedHeaders>): Promise<string> {
    if (!h.timestamp || !h.ss58 || !h.signature) {
      throw new UnauthenticatedError(`missing ${[!h.timestamp && SIG_HEADERS.timestamp, !h.ss58 && SIG_HEADERS.ss58, !h.signature && SIG_HEADERS.signature].filter(Boolean).join(', ')} header`);
    }
    if (!/^\d{1,12}(\.\d+)?$/.test(h.timestamp)) throw new UnauthenticatedError(`${SIG_HEADERS.timestamp} must be unix seconds, got "${h.timestamp.slice(0, 40)}"`);
    const ts = Number(h.timestamp);
    const now = this.now();
    if (Math.abs(now - ts) > this.windowS) {
      throw new UnauthenticatedError(`request timestamp is ${Math.round(now - ts)} s from the validator's clock (window ±${this.windowS} s)`, {
        hint: 'sign a fresh timestamp for every request and keep your clock in sync',
      });
    }
    if (!/^(0x)?[0-9a-fA-F]{128}$/.test(h.signature)) throw new UnauthenticatedError(`${SIG_HEADERS.signature} must be a 64-byte sr25519 signature in hex`);
    const sig = h.signature.startsWith('0x') ? h.signature.toLowerCase() : `0x${h.signature.toLowerCase()}`;
    let valid = false;
    try {
      valid = signatureVerify(h.timestamp, sig, h.ss58).isValid;
    } catch {
      throw new UnauthenticatedError(`${SIG_HEADERS.ss58} is not a valid ss58 address`);
    }
    if (!valid) throw new UnauthenticatedError('signature does not verify for this timestamp and ss58 address');
    if (!(await this.seen.claim(sig, ts + this.windowS))) throw new UnauthenticatedError('signature already used (replay refused)', { hint: 'sign a fresh timestamp for every request' });
    return h.ss58;
  }
}
