/**
 * The latest leaderboard of each competition a validator runs (docs/competitions.md), kept in memory and, with
 * a folder, as `<dir>/<task>.json` so a restarted validator serves its last ranking at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LeaderboardSchema, type Leaderboard } from './leaderboard.js';
import { replaceFile } from './replace-file.js';
import type { CompetitionTask } from './task.js';
import { competitionWindow, type WindowOverride } from './window.js';

/** What the API lists for each competition. */
export const CompetitionSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  metric: z.string(),
  metric_doc: z.string(),
  weights: z.object({ accuracy: z.number(), proof_size: z.number(), prove_time: z.number() }),
  start_block: z.number().int(),
  deadline_block: z.number().int(),
  input_shape: z.array(z.number().int()),
  output_shape: z.array(z.number().int()),
  submissions: z.number().int().min(0).describe('entries on the latest leaderboard (0 before the first evaluation)'),
  evaluated_block: z.number().int().optional(),
});
export type CompetitionSummary = z.infer<typeof CompetitionSummarySchema>;

export class CompetitionBoards {
  private readonly boards = new Map<string, Leaderboard>();

  constructor(readonly tasks: readonly CompetitionTask[], private readonly dir?: string, private readonly window: WindowOverride = {}) {
    if (!dir) return;
    for (const t of tasks) {
      const file = join(dir, `${t.name}.json`);
      if (!existsSync(file)) continue;
      let saved: unknown;
      try {
        saved = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // not JSON (cut short): like a file that is not a board, replaced by the next evaluation
      }
      const r = LeaderboardSchema.safeParse(saved);
      if (r.success) this.boards.set(t.name, r.data); // a corrupt file is replaced by the next evaluation
    }
  }

  /** Record a new evaluation (atomically replacing the saved one). */
  record(board: Leaderboard): void {
    this.boards.set(board.task, board);
    if (this.dir) replaceFile(join(this.dir, `${board.task}.json`), JSON.stringify(board, null, 2) + '\n');
  }

  task(name: string): CompetitionTask | undefined {
    return this.tasks.find((t) => t.name === name);
  }

  leaderboard(name: string): Leaderboard | undefined {
    return this.boards.get(name);
  }

  /** The latest leaderboard of every task evaluated so far. */
  latest(): Leaderboard[] {
    return [...this.boards.values()];
  }

  summaries(): CompetitionSummary[] {
    return this.tasks.map((t) => {
      const c = t.competition;
      const b = this.boards.get(t.name);
      const w = competitionWindow(t, this.window);
      return {
        name: t.name,
        description: t.description,
        metric: c.metric.name,
        metric_doc: c.metric.doc,
        weights: { accuracy: c.weights.accuracy, proof_size: c.weights.proofSize, prove_time: c.weights.proveTime },
        start_block: w.start,
        deadline_block: w.end,
        input_shape: t.inputShape,
        output_shape: t.outputShape,
        submissions: b?.entries.length ?? 0,
        ...(b ? { evaluated_block: b.block } : {}),
      };
    });
  }
}
