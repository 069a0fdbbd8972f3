/**
 * The blocks in which a competition accepts commitments (docs/competitions.md, "Round"): the task's own
 * `startBlock` / `deadlineBlocks` unless the validator sets a round with `--competition-start` / `--competition-end`.
 */
import { InvalidInputError } from '../errors/base.js';
import type { CompetitionTask } from './task.js';

export interface WindowOverride { start?: number; end?: number }
export interface CompetitionWindow { start: number; end: number }

/** The window of `task` with the overrides applied: a start alone keeps the task's length; end ≥ start. */
export function competitionWindow(task: CompetitionTask, o: WindowOverride = {}): CompetitionWindow {
  const start = o.start ?? task.competition.startBlock;
  const end = o.end ?? start + task.competition.deadlineBlocks;
  if (end < start) {
    throw new InvalidInputError(`the competition round ends at block ${end}, before it starts at block ${start}`, {
      hint: 'pass --competition-end (or --end) at or after --competition-start (or --start)',
    });
  }
  return { start, end };
}
