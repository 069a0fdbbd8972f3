import type { Chain, Metagraph } from '../chain/types.js';

/** A periodically refreshed metagraph snapshot (miners' blacklist/priority, validators' miner list). */
export class MetagraphCache {
  private current: Metagraph | undefined;
  private fetchedAt = 0;
  private inflight: Promise<Metagraph> | undefined;

  constructor(private readonly chain: Chain, readonly netuid: number, private readonly maxAgeMs = 2_000) {}

  /** The snapshot, refreshed when older than maxAgeMs. */
  async get(): Promise<Metagraph> {
    if (this.current && Date.now() - this.fetchedAt < this.maxAgeMs) return this.current;
    return this.refresh();
  }

  /** Latest snapshot without waiting (undefined before the first refresh). */
  peek(): Metagraph | undefined {
    return this.current;
  }

  async refresh(): Promise<Metagraph> {
    if (!this.inflight) {
      this.inflight = this.chain
        .metagraph(this.netuid)
        .then((m) => {
          this.current = m;
          this.fetchedAt = Date.now();
          return m;
        })
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
}
