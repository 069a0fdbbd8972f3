/**
 * Competition scores in the validator's weights (docs/competitions.md, "Weights"): each miner's latest
 * competition score (the leaderboard's `score`: w_out·output_score plus proof size / time, as ranked) is blended
 * into the benchmark score table with a share s:
 *   w(uid) ∝ (1 − s)·bench(uid)/Σ bench + s·comp(uid)/Σ comp
 * comp(uid) = mean over the validator's competitions of the uid's score (0 where it has no scored entry); the
 * uid is looked up by hotkey in the current metagraph, so a re-registered uid does not inherit a board entry.
 * With no competition score at all (no evaluation yet, nothing scored) the benchmark scores stand alone.
 */
import type { Metagraph } from '../chain/types.js';
import type { Leaderboard } from '../competition/leaderboard.js';
import { InvalidInputError } from '../errors/base.js';

/** What the validator needs: the blend share, its latest leaderboards and how old an entry may be. */
export interface CompetitionWeights {
  /** Share of the weight mass that follows competition scores, in [0, 1]. */
  share: number;
  leaderboards(): readonly Leaderboard[];
  /** Entries committed, and boards evaluated, more than this many blocks ago count 0 (default DEFAULT_MAX_AGE_BLOCKS). */
  maxAgeBlocks?: number;
}

/** Default age limit of a competition entry in the weights: 7,200 blocks (one day of 12 s blocks). */
export const DEFAULT_MAX_AGE_BLOCKS = 7_200;

/** Default share when `--competition` is given (docs/competitions.md). */
export const DEFAULT_COMPETITION_SHARE = 0.5;

/** A checked share (`--competition-share`). */
export function parseCompetitionShare(raw: string): number {
  const s = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(s) || s < 0 || s > 1) {
    throw new InvalidInputError(`--competition-share must be a number in [0, 1], got ${JSON.stringify(raw)}`, {
      hint: 'e.g. --competition-share 0.5: half of the weights follow competition scores, half benchmark scores',
    });
  }
  return s;
}

/** The share from the validator's flags: none without `--competition`; `--competition-share` when given; else 0.5. */
export function competitionShare(f: { tasks: readonly string[]; raw: string | undefined }): number {
  if (f.raw !== undefined) {
    const s = parseCompetitionShare(f.raw);
    if (s > 0 && f.tasks.length === 0) {
      throw new InvalidInputError('--competition-share needs at least one --competition TASK', { hint: 'add --competition TASK (zkinfer competition list), or drop --competition-share' });
    }
    return s;
  }
  return f.tasks.length === 0 ? 0 : DEFAULT_COMPETITION_SHARE;
}

/**
 * Mean competition score per uid of `m` over `boards` (scored entries only). With `age`: a board evaluated, or an
 * entry committed, more than `age.maxBlocks` blocks before `age.block` is stale and counts 0 (docs/competitions.md).
 */
export function competitionScores(boards: readonly Leaderboard[], m: Metagraph, age?: { block: number; maxBlocks: number }): Map<number, number> {
  const out = new Map<number, number>();
  if (boards.length === 0) return out;
  const fresh = (at: number) => !age || age.block - at <= age.maxBlocks;
  for (const b of boards) {
    if (!fresh(b.block)) continue;
    for (const e of b.entries) {
      if (e.status !== 'scored' || !fresh(e.committed_block)) continue;
      const uid = m.hotkeys.indexOf(e.hotkey);
      if (uid < 0) continue;
      out.set(uid, (out.get(uid) ?? 0) + e.score / boards.length);
    }
  }
  return out;
}

const total = (s: ReadonlyMap<number, number>) => [...s.values()].reduce((a, v) => a + (Number.isFinite(v) && v > 0 ? v : 0), 0);

/** The blended score table (both sides normalised to mass 1 first; see the header). */
export function blendScores(bench: ReadonlyMap<number, number>, comp: ReadonlyMap<number, number>, share: number): Map<number, number> {
  const sb = total(bench);
  const sc = total(comp);
  if (sc <= 0 || share <= 0) return new Map(bench);
  const s = sb <= 0 ? 1 : share;
  const out = new Map<number, number>();
  for (const uid of new Set([...bench.keys(), ...comp.keys()])) {
    const b = sb > 0 ? Math.max(0, bench.get(uid) ?? 0) / sb : 0;
    const c = Math.max(0, comp.get(uid) ?? 0) / sc;
    out.set(uid, (1 - s) * b + s * c);
  }
  return out;
}
