/** The competitions' tasks (docs/competitions.md); each is a model plugin (src/models/plugins.ts). */
import { UnknownCompetitionError } from './errors.js';
import type { CompetitionTask } from './task.js';
import { shapesTask } from './tasks/shapes.js';
import { stakingTask } from './tasks/staking.js';

export const COMPETITION_TASKS: readonly CompetitionTask[] = [shapesTask, stakingTask];

/** A task by name (typed error listing the tasks when unknown). */
export function getCompetitionTask(name: string): CompetitionTask {
  const t = COMPETITION_TASKS.find((x) => x.name === name);
  if (!t) throw new UnknownCompetitionError(name, COMPETITION_TASKS.map((x) => x.name));
  return t;
}
