/**
 * What a competitor commits on chain (subtensor-style commitments, docs/competitions.md): `zkc1:<task>:<circuit id>`,
 * the circuit id being sha256 of the canonical vk (src/zkml/format). 92 bytes for the shipped tasks.
 */
import { z } from 'zod';
import type { Commitment } from '../chain/types.js';
import { CIRCUIT_ID_RE } from '../zkml/format/circuit-id.js';

const PREFIX = 'zkc1';

export const SubmissionCommitmentSchema = z.object({
  task: z.string().regex(/^[a-z0-9-]{1,40}$/),
  circuitId: z.string().regex(CIRCUIT_ID_RE),
});
export type SubmissionCommitment = z.infer<typeof SubmissionCommitmentSchema>;

export function formatCommitment(c: SubmissionCommitment): string {
  const ok = SubmissionCommitmentSchema.parse(c);
  return `${PREFIX}:${ok.task}:${ok.circuitId}`;
}

/** The submission a commitment carries, or undefined when it is something else (other uses of commitments). */
export function parseCommitment(data: string): SubmissionCommitment | undefined {
  const [prefix, task, circuitId, ...rest] = data.split(':');
  if (prefix !== PREFIX || rest.length) return undefined;
  const r = SubmissionCommitmentSchema.safeParse({ task, circuitId });
  return r.success ? r.data : undefined;
}

/** A task's submissions on chain: one per hotkey (its latest commitment), each with the block it was made at. */
export function submissionsOf(commitments: readonly Commitment[], task: string): Array<{ hotkey: string; block: number; circuitId: string }> {
  const out = new Map<string, { hotkey: string; block: number; circuitId: string }>();
  for (const c of commitments) {
    const s = parseCommitment(c.data);
    if (!s || s.task !== task) continue;
    const prev = out.get(c.hotkey);
    if (!prev || prev.block <= c.block) out.set(c.hotkey, { hotkey: c.hotkey, block: c.block, circuitId: s.circuitId });
  }
  return [...out.values()];
}
