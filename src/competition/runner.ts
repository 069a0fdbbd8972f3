/**
 * Runs a validator's competitions (docs/competitions.md): every `everyBlocks` blocks, one evaluation of each
 * task in turn (never two at once), recorded in the boards the API serves.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Chain, Unsubscribe } from '../chain/types.js';
import { Dendrite } from '../protocol/dendrite.js';
import type { CompetitionBoards } from './boards.js';
import { AuditVerdicts, auditContext } from './audit-verdicts.js';
import { evaluateCompetition } from './evaluate.js';
import type { Leaderboard } from './leaderboard.js';
import type { WindowOverride } from './window.js';

export interface CompetitionRunnerOptions {
  hotkey: KeyringPair;
  chain: Chain;
  netuid: number;
  boards: CompetitionBoards;
  /** Blocks between evaluations (default 25). */
  everyBlocks?: number;
  allowInsecureDev?: boolean;
  timeoutS?: number;
  /** Hidden items per evaluation (default: each task's evalCount). */
  count?: number;
  log?: (line: string) => void;
  /** The round's blocks (default: each task's own). */
  window?: WindowOverride;
  /** The validator's powers of tau, to audit ceremony circuits against. */
  ceremonyPtau?: string;
  /** Time limit of one submission's audit, seconds (default 300). */
  auditTimeoutS?: number;
  /** Memory cap of one submission's audit, MiB (default 4096). */
  auditMemoryMiB?: number;
  /** Where audit passes are saved, so a restarted validator does not audit the same circuits again (default: memory only). */
  auditFile?: string;
  /** Called after each evaluation. */
  onLeaderboard?: (board: Leaderboard) => void;
}

export class CompetitionRunner {
  private readonly dendrite: Dendrite;
  private unsubscribe: Unsubscribe | undefined;
  private running: Promise<void> | undefined;
  private lastBlock = -Infinity;
  /** Aborted by stop(): a running evaluation ends at its next query instead of finishing its hidden set. */
  private readonly stopping = new AbortController();
  /** Audit verdicts: each submitted circuit is recompiled and checked once (passes saved in `auditFile`). */
  private readonly audits: AuditVerdicts;

  constructor(private readonly o: CompetitionRunnerOptions) {
    this.dendrite = new Dendrite(o.hotkey);
    this.audits = new AuditVerdicts({ ...(o.auditFile ? { file: o.auditFile } : {}), context: auditContext(o.ceremonyPtau) });
  }

  /** Evaluate at once, then every `everyBlocks` blocks. */
  start(): void {
    this.unsubscribe = this.o.chain.onBlock((block) => {
      if (this.running || block - this.lastBlock < (this.o.everyBlocks ?? 25)) return;
      this.lastBlock = block;
      this.running = this.evaluateAll().finally(() => (this.running = undefined));
    });
  }

  /** One evaluation of every task (errors are logged; the runner keeps going). */
  async evaluateAll(): Promise<void> {
    for (const task of this.o.boards.tasks) {
      if (this.stopping.signal.aborted) return;
      try {
        const board = await evaluateCompetition({
          task, chain: this.o.chain, netuid: this.o.netuid, dendrite: this.dendrite, audits: this.audits,
          ...(this.o.window ? { window: this.o.window } : {}), ...(this.o.ceremonyPtau ? { ceremonyPtau: this.o.ceremonyPtau } : {}),
          ...(this.o.allowInsecureDev ? { allowInsecureDev: true } : {}),
          ...(this.o.auditTimeoutS !== undefined ? { auditTimeoutS: this.o.auditTimeoutS } : {}),
          ...(this.o.auditMemoryMiB !== undefined ? { auditMemoryMiB: this.o.auditMemoryMiB } : {}),
          ...(this.o.timeoutS ? { timeoutS: this.o.timeoutS } : {}),
          ...(this.o.count ? { count: this.o.count } : {}),
          ...(this.o.log ? { log: this.o.log } : {}),
          signal: this.stopping.signal,
        });
        this.o.boards.record(board);
        this.o.onLeaderboard?.(board);
      } catch (e) {
        if (this.stopping.signal.aborted) return; // stopped mid-evaluation: the last complete leaderboard stays
        this.o.log?.(`competition ${task.name}: evaluation failed: ${(e as Error).message}`);
      }
    }
  }

  /** Stop: no new evaluation, and a running one ends at its next query (within one query's time). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.stopping.abort();
    await this.running;
    this.dendrite.close();
  }
}
