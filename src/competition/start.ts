/** A validator's competitions from its flags (`zkinfer validator --competition TASK`, docs/competitions.md). */
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Chain } from '../chain/types.js';
import { join } from 'node:path';
import { AUDIT_PASSES_FILE } from './audit-verdicts.js';
import { CompetitionBoards } from './boards.js';
import { CompetitionRunner } from './runner.js';
import { leaderboardText } from './format.js';
import { getCompetitionTask } from './tasks.js';
import type { CompetitionTask } from './task.js';
import { competitionWindow, type WindowOverride } from './window.js';

/** The named tasks, each with a round that does not end before it starts (InvalidInputError otherwise). */
export function roundTasks(names: readonly string[], window: WindowOverride = {}): CompetitionTask[] {
  const tasks = names.map(getCompetitionTask);
  for (const t of tasks) competitionWindow(t, window);
  return tasks;
}

/** Boards and audit passes (saved under `dir`) and a started runner for `tasks`; undefined when there are none. */
export function startCompetitions(o: { tasks: readonly string[]; dir: string; everyBlocks: number; count?: number; hotkey: KeyringPair; chain: Chain; netuid: number; allowInsecureDev: boolean; window?: WindowOverride; ceremonyPtau?: string; auditTimeoutS?: number; auditMemoryMiB?: number }): { boards: CompetitionBoards; runner: CompetitionRunner } | undefined {
  if (!o.tasks.length) return undefined;
  const tasks = roundTasks(o.tasks, o.window);
  const boards = new CompetitionBoards(tasks, o.dir, o.window);
  const runner = new CompetitionRunner({
    hotkey: o.hotkey, chain: o.chain, netuid: o.netuid, boards, everyBlocks: o.everyBlocks, auditFile: join(o.dir, AUDIT_PASSES_FILE), allowInsecureDev: o.allowInsecureDev, ...(o.count ? { count: o.count } : {}),
    ...(o.window ? { window: o.window } : {}), ...(o.ceremonyPtau ? { ceremonyPtau: o.ceremonyPtau } : {}),
    ...(o.auditTimeoutS !== undefined ? { auditTimeoutS: o.auditTimeoutS } : {}),
    ...(o.auditMemoryMiB !== undefined ? { auditMemoryMiB: o.auditMemoryMiB } : {}),
    log: (l) => console.error(l),
    onLeaderboard: (b) => console.log(leaderboardText(b)),
  });
  runner.start();
  console.log(`competitions ${o.tasks.join(', ')}: evaluated every ${o.everyBlocks} blocks, leaderboards in ${o.dir}`);
  return { boards, runner };
}
