/**
 * A validator's audit verdicts (docs/competitions.md "Auditing a submission"), across evaluations and restarts:
 * - a **pass** stands for the circuit id *and the metadata the audit checked* (its interface, scales, layout and
 *   security are what the evaluation then binds proofs with): a miner that serves other metadata for an audited id
 *   is audited again, with its source;
 * - a **problem** stands for the circuit id and the hotkey that sent the source (a rival committing an honest id
 *   with a junk source is rejected alone). Problems stay in memory: one can come of this validator's own limits
 *   (the audit's time or memory cap under load), so a restart gives the miner another audit.
 * Passes are saved (atomically) to a file beside the leaderboards when one is given, under a context — the zkinfer
 * version that recompiled and the ceremony powers of tau it checked against — and a saved file of another context
 * is not used: a pass holds for the compiler and ptau that made it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { VERSION } from '../version.js';
import type { CircuitMetadata } from '../zkml/format/metadata.js';
import { replaceFile } from './replace-file.js';

/** The passes' file in a validator's competitions folder (beside its leaderboards). */
export const AUDIT_PASSES_FILE = 'audit-passes.json';

/** Most passes kept (the oldest go first): one per audited circuit, far above a subnet's live submissions. */
export const MAX_SAVED_PASSES = 4096;

const SavedSchema = z.object({ context: z.string(), passes: z.array(z.string()) });

/** The context a pass holds in: this zkinfer, and the ceremony ptau file (path, size, mtime) when there is one. */
export function auditContext(ceremonyPtau?: string): string {
  if (!ceremonyPtau) return `zkinfer ${VERSION}; no ceremony ptau`;
  const st = statSync(ceremonyPtau);
  return `zkinfer ${VERSION}; ceremony ptau ${resolve(ceremonyPtau)} ${st.size} bytes, mtime ${st.mtimeMs}`;
}

export class AuditVerdicts {
  private readonly passes = new Set<string>();
  private readonly problems = new Map<string, string>();

  /** `file`: where passes are saved (none: memory only); `context`: auditContext() of this validator. */
  constructor(private readonly o: { file?: string; context: string } = { context: auditContext() }) {
    if (!o.file) return;
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(o.file, 'utf8'));
    } catch {
      return; // none yet, or cut short: the next pass writes it again
    }
    const r = SavedSchema.safeParse(saved);
    if (r.success && r.data.context === o.context) for (const p of r.data.passes) this.passes.add(p);
  }

  /** Did an audit pass this circuit with any metadata? (Then its source is asked for only if the metadata differs.) */
  hasPass(circuitId: string): boolean {
    for (const k of this.passes) if (k.startsWith(`${circuitId}:`)) return true;
    return false;
  }

  /** Did an audit pass this circuit with exactly this metadata? */
  passed(circuitId: string, metadata: CircuitMetadata): boolean {
    return this.passes.has(passKey(circuitId, metadata));
  }

  /** The problem an audit found with what `hotkey` sent for this circuit, if one did. */
  problem(circuitId: string, hotkey: string): string | undefined {
    return this.problems.get(`${circuitId}:${hotkey}`);
  }

  recordPass(circuitId: string, metadata: CircuitMetadata): void {
    this.passes.add(passKey(circuitId, metadata));
    while (this.passes.size > MAX_SAVED_PASSES) this.passes.delete(this.passes.values().next().value!);
    if (this.o.file) replaceFile(this.o.file, `${JSON.stringify({ context: this.o.context, passes: [...this.passes] })}\n`);
  }

  recordProblem(circuitId: string, hotkey: string, problem: string): void {
    this.problems.set(`${circuitId}:${hotkey}`, problem);
  }
}

/** A pass's key: the circuit id and sha256 of the metadata as parsed (the schema's key order, so the same text each time). */
function passKey(circuitId: string, metadata: CircuitMetadata): string {
  return `${circuitId}:${createHash('sha256').update(JSON.stringify(metadata)).digest('hex')}`;
}
