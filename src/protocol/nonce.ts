/**
 * Bittensor's nonce rules per `dendrite_hotkey:uuid` (axon.default_verify for SDK ≥ 7.2):
 * the first nonce seen must be newer than now − (4 s + timeout); later ones must strictly increase.
 * Entries older than the widest window are pruned (a pruned key falls back to the first-nonce rule,
 * which the old nonce fails anyway because timeouts are capped).
 */
export const ALLOWED_DELTA_NS = 4_000_000_000n;
const NS_PER_S = 1_000_000_000n;

export class NonceGuard {
  private readonly last = new Map<string, bigint>();
  private checks = 0;

  constructor(private readonly maxTimeoutS: number) {}

  /** Returns an error text if the nonce must be refused; otherwise records it and returns undefined. */
  check(key: string, nonce: bigint, timeoutS: number, nowNs: bigint): string | undefined {
    const prev = this.last.get(key);
    if (prev === undefined) {
      const window = nowNs - ALLOWED_DELTA_NS - BigInt(Math.ceil(Math.min(timeoutS, this.maxTimeoutS) * 1e9));
      if (nonce <= window) {
        const age = Number(nowNs - nonce) / 1e9;
        const allowed = Number(nowNs - window) / 1e9;
        return `Nonce is too old: acceptable delta is ${allowed.toFixed(2)} seconds but request was ${age.toFixed(2)} seconds old`;
      }
    } else if (nonce <= prev) {
      return 'Nonce is too old, a newer one was last processed';
    }
    return undefined;
  }

  /** Record an accepted nonce (after the signature verified). */
  record(key: string, nonce: bigint, nowNs: bigint): void {
    this.last.set(key, nonce);
    if (++this.checks % 1024 === 0) this.prune(nowNs);
  }

  private prune(nowNs: bigint): void {
    const horizon = nowNs - ALLOWED_DELTA_NS - BigInt(this.maxTimeoutS) * NS_PER_S - NS_PER_S;
    for (const [k, v] of this.last) if (v < horizon) this.last.delete(k);
  }

  get size(): number {
    return this.last.size;
  }
}
