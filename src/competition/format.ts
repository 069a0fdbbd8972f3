/** Text views of competitions for the CLI (docs/competitions.md). */
import { z } from 'zod';
import type { Leaderboard } from './leaderboard.js';
import type { CompetitionTask } from './task.js';

const f = (v: number | undefined, d = 3) => (v === undefined ? '–' : v.toFixed(d));

export function leaderboardText(b: Leaderboard): string {
  const head = `${b.task}: ${b.entries.length} submission(s), metric ${b.metric}, ${b.items} hidden items, block ${b.block}`;
  const rows = b.entries.map((e) =>
    [e.rank ?? '–', e.uid ?? '–', e.hotkey.slice(0, 10) + '…', e.circuit_id.slice(0, 12) + '…', e.status, f(e.metric), f(e.output_score), `${e.verified}/${e.verified + e.failed}`, e.proof_bytes ?? '–', e.prove_ms_median ?? '–', f(e.score, 4), e.reason ?? ''].join('\t'),
  );
  return [head, ['rank', 'uid', 'hotkey', 'circuit', 'status', b.metric, 'out', 'verified', 'bytes', 'ms', 'score', 'reason'].join('\t'), ...rows].join('\n');
}

export function taskText(t: CompetitionTask): string {
  const c = t.competition;
  return [
    `${t.name}: ${t.description}`,
    `  input  [${t.inputShape.join(', ')}]: ${t.inputDoc}`,
    `  output [${t.outputShape.join(', ')}]: ${t.outputDoc}`,
    `  metric ${c.metric.name}: ${c.metric.doc}`,
    `  score = clamp(${c.weights.accuracy}·output_score + ${c.weights.proveTime}·(1 − h(prove time)) − ${c.weights.proofSize}·(proof bytes / 3648), 0, 1) × verified fraction`,
    `  hidden set: ${c.evalCount} fresh items per evaluation; submissions committed in blocks ${c.startBlock}..${c.startBlock + c.deadlineBlocks}`,
    `  baseline: ${c.baseline().doc}`,
    `  request schema (API): ${JSON.stringify(z.toJSONSchema(t.request.schema)).slice(0, 160)}…`,
  ].join('\n');
}
