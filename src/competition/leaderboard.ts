/** The leaderboard of a competition (docs/competitions.md): zod schema (API wire format) and ranking. */
import { z } from 'zod';

export const LeaderboardEntrySchema = z.object({
  rank: z.number().int().positive().optional().describe('1 = best; absent for submissions that were not scored'),
  hotkey: z.string(),
  uid: z.number().int().min(0).optional(),
  circuit_id: z.string(),
  committed_block: z.number().int().min(0),
  status: z.enum(['scored', 'rejected', 'late', 'unreachable']),
  reason: z.string().optional().describe('why a submission was not scored'),
  metric: z.number().optional().describe("the task metric's value (e.g. accuracy, mae_days)"),
  output_score: z.number().min(0).max(1).optional(),
  verified: z.number().int().min(0),
  failed: z.number().int().min(0),
  proof_bytes: z.number().int().min(0).optional(),
  prove_ms_median: z.number().min(0).optional(),
  constraints: z.number().int().min(0).optional(),
  score: z.number().min(0).max(1),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;

export const LeaderboardSchema = z.object({
  task: z.string(),
  metric: z.string(),
  block: z.number().int().min(0).describe('chain block of the evaluation'),
  evaluated_at: z.number().int().describe('unix ms'),
  items: z.number().int().min(0).describe('size of the hidden evaluation set'),
  start_block: z.number().int().min(0).optional().describe('first block of the round: commitments before it are late'),
  deadline_block: z.number().int().min(0).optional().describe('last block of the round: commitments after it are late'),
  entries: z.array(LeaderboardEntrySchema),
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;

/** Scored entries by score (then metric output score, then earlier commitment) get ranks 1…; the others follow unranked. */
export function rankEntries(entries: readonly LeaderboardEntry[]): LeaderboardEntry[] {
  const scored = entries
    .filter((e) => e.status === 'scored')
    .sort((a, b) => b.score - a.score || (b.output_score ?? 0) - (a.output_score ?? 0) || a.committed_block - b.committed_block);
  const rest = entries.filter((e) => e.status !== 'scored').map(({ rank: _r, ...e }) => e);
  return [...scored.map((e, i) => ({ ...e, rank: i + 1 })), ...rest];
}
