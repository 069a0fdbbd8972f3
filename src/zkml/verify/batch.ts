/**
 * Batch verification of proofs of ONE circuit (docs/zkml-prove.md, batch verification): the same checks as
 * `verify` for each proof (circuit id, canonical signals, the verifier's own inputs and recipient bound), then
 * one randomised multi-pairing for all of them (groth16-batch.ts), bisecting to name exactly the bad ones.
 */
import { ZkinferError } from '../../errors/base.js';
import { parseProofFile } from '../format/proof-file.js';
import { finishCheck, prepareCheck, type PreparedCheck, type VerifierKey, type VerifyOptions, type VerifyResult } from './check.js';
import { VerifyError } from './errors.js';
import { PAIRING_FAILED, verifyGroth16Batch } from './groth16-batch.js';

/** One proof of a batch: the proof file (object or JSON text) and, optionally, the verifier's own input. */
export interface BatchItem extends VerifyOptions {
  proofFile: unknown;
}

export interface BatchVerifyResult {
  /** One result per item, in order. */
  results: VerifyResult[];
  /** Multi-pairing checks that ran (1 when every well-formed proof verifies; more while bisecting). */
  checks: number;
}

/**
 * Verify k proof files of the circuit `key` with one multi-pairing. Every proof file must name this circuit:
 * a batch holding another circuit's proof throws VerifyError('MIXED_CIRCUITS'). A proof that is malformed,
 * not for the verifier's inputs, or does not verify gets `valid: false` with its reason; the others stay valid.
 * An empty batch returns no results and runs no check.
 */
export async function verifyBatch(key: VerifierKey, items: readonly BatchItem[]): Promise<BatchVerifyResult> {
  const others = new Set<string>();
  for (const it of items) {
    let id: string | undefined;
    try { id = parseProofFile(it.proofFile).circuit_id; } catch { id = undefined; } // malformed: reported per item below
    if (id !== undefined && id !== key.id) others.add(id);
  }
  if (others.size > 0) {
    throw new VerifyError('MIXED_CIRCUITS', `a batch holds proofs of one circuit (${key.id.slice(0, 16)}…), but ${others.size} other circuit(s) appear: ${[...others].map((x) => `${x.slice(0, 16)}…`).join(', ')}`, {
      hint: 'group proofs by circuit and verify each group against its own artifacts directory',
    });
  }
  const results: Array<VerifyResult | undefined> = new Array(items.length).fill(undefined);
  const ready: Array<{ i: number; p: PreparedCheck }> = [];
  items.forEach((it, i) => {
    try {
      const p = prepareCheck(key, it.proofFile, it);
      if ('result' in p) results[i] = p.result;
      else ready.push({ i, p });
    } catch (e) {
      if (!(e instanceof ZkinferError)) throw e;
      results[i] = { circuitId: key.id, inputsBound: it.input !== undefined, valid: false, reason: e.message, ...(key.metadata ? { security: key.metadata.security } : {}) };
    }
  });
  const outcome = await verifyGroth16Batch(key.vk, ready.map(({ p }) => ({ proof: p.pf.proof, publicSignals: p.signals })));
  ready.forEach(({ i, p }, j) => {
    const failure = outcome.failures[j];
    const r = finishCheck(key, p, failure === undefined);
    // a proof rejected before the pairing (bad point encoding) says why
    results[i] = failure !== undefined && failure !== PAIRING_FAILED ? { ...r, reason: failure } : r;
  });
  return { results: results as VerifyResult[], checks: outcome.checks };
}
