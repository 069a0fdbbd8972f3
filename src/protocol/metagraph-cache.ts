import type { Chain, Metagraph } from '../chain/types.js';
import { ChainConnectionError } from '../chain/errors.js';
import { ZkinferError } from '../errors/base.js';

/** How long a snapshot may be served while the chain cannot be read (docs/network.md "Chain outages"). */
export const DEFAULT_MAX_STALE_MS = 5 * 60_000;

/** The chain has been unreachable for longer than the staleness bound: there is no snapshot to serve. */
export class MetagraphUnavailableError extends ZkinferError {
  override readonly name = 'MetagraphUnavailableError';
}

export interface MetagraphCacheOptions {
  /** Longest a snapshot is served while refreshes fail (default DEFAULT_MAX_STALE_MS). */
  maxStaleMs?: number;
  /** Where the outage's start, its end and the bound being passed are logged (one line each). */
  log?: (line: string) => void;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * A periodically refreshed metagraph snapshot (miners' blacklist/priority, validators' miner list).
 * While the chain answers, `get()` refreshes a snapshot older than maxAgeMs before returning it. When a
 * refresh fails, the last good snapshot keeps being served for up to maxStaleMs after it was fetched, with
 * one background retry per maxAgeMs; after that `get()` throws MetagraphUnavailableError until the chain is
 * back (docs/network.md "Chain outages").
 */
export class MetagraphCache {
  private current: Metagraph | undefined;
  private fetchedAt = 0;
  private inflight: Promise<Metagraph> | undefined;
  private lastAttempt = 0;
  /** Set while refreshes fail. */
  private outage: { since: number; failures: number; pastBound: boolean } | undefined;
  private readonly maxStaleMs: number;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly chain: Chain, readonly netuid: number, private readonly maxAgeMs = 2_000, opts: MetagraphCacheOptions = {}) {
    this.maxStaleMs = opts.maxStaleMs ?? DEFAULT_MAX_STALE_MS;
    this.log = opts.log ?? (() => undefined);
    this.now = opts.now ?? Date.now;
  }

  /**
   * The snapshot, refreshed when older than maxAgeMs; during a chain outage the last good one while it is at
   * most maxStaleMs old. Throws MetagraphUnavailableError (or the refresh's error before any snapshot) otherwise.
   */
  async get(): Promise<Metagraph> {
    const age = this.now() - this.fetchedAt;
    if (this.current && age < this.maxAgeMs) return this.current;
    if (this.outage && this.current) {
      const retry = !this.inflight && this.now() - this.lastAttempt >= this.maxAgeMs;
      if (age <= this.maxStaleMs) {
        // serve the last good snapshot; retry in the background at most once per maxAgeMs
        if (retry) this.refresh().catch(() => undefined);
        return this.current;
      }
      if (!retry && !this.inflight) throw this.unavailable();
    }
    try {
      return await this.refresh();
    } catch (e) {
      if (this.current && this.now() - this.fetchedAt <= this.maxStaleMs) return this.current;
      if (!this.current) throw e;
      throw this.unavailable();
    }
  }

  /** Latest snapshot without waiting (undefined before the first refresh). */
  peek(): Metagraph | undefined {
    return this.current;
  }

  /** When the chain stopped answering (ms since the epoch), or undefined while it answers. */
  get outageSince(): number | undefined {
    return this.outage?.since;
  }

  /** Fetch a snapshot now (rejects when the chain cannot be read; the outage is logged once). */
  async refresh(): Promise<Metagraph> {
    if (!this.inflight) {
      this.lastAttempt = this.now();
      this.inflight = this.chain
        .metagraph(this.netuid)
        .then(
          (m) => {
            this.current = m;
            this.fetchedAt = this.now();
            if (this.outage) {
              this.log(`metagraph: chain reachable again after ${secs(this.fetchedAt - this.outage.since)} s (${this.outage.failures} failed refresh${this.outage.failures === 1 ? '' : 'es'}); snapshot of block ${m.block}`);
              this.outage = undefined;
            }
            return m;
          },
          (e: unknown) => {
            this.failed(e);
            throw e;
          },
        )
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  /** uid of a hotkey in the current snapshot. */
  uidOf(hotkey: string): number | undefined {
    const i = this.current?.hotkeys.indexOf(hotkey) ?? -1;
    return i >= 0 ? this.current!.uids[i] : undefined;
  }

  private failed(e: unknown): void {
    if (this.outage) {
      this.outage.failures++;
      return;
    }
    this.outage = { since: this.now(), failures: 1, pastBound: false };
    // a connection failure is expected during an outage: one line; anything else keeps its stack
    const what = e instanceof ChainConnectionError ? `${e.name}: ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : String(e);
    const serving = this.current
      ? `serving the snapshot of block ${this.current.block} (${secs(this.now() - this.fetchedAt)} s old) until it is ${secs(this.maxStaleMs)} s old, retrying every ${secs(this.maxAgeMs)} s`
      : 'no snapshot to serve yet';
    this.log(`metagraph: cannot refresh subnet ${this.netuid} from the chain (${what}); ${serving}`);
  }

  private unavailable(): MetagraphUnavailableError {
    const age = this.now() - this.fetchedAt;
    if (this.outage && !this.outage.pastBound) {
      this.outage.pastBound = true;
      this.log(`metagraph: the last snapshot is ${secs(age)} s old, past the ${secs(this.maxStaleMs)} s bound: refusing until the chain is back`);
    }
    return new MetagraphUnavailableError(
      'METAGRAPH_UNAVAILABLE',
      `the chain has been unreachable for ${secs(this.now() - (this.outage?.since ?? this.fetchedAt))} s and the last metagraph snapshot is ${secs(age)} s old (bound ${secs(this.maxStaleMs)} s)`,
      { hint: 'retry once the chain node is reachable again' },
    );
  }
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}
