import { readFile } from 'node:fs/promises';
import * as snarkjs from 'snarkjs';
import { loadArtifacts, type CircuitMetadata } from '../artifacts/index.js';
import { circuitIdOfVk } from '../format/circuit-id-node.js';
import { finishCheck, prepareCheck, type VerifierKey, type VerifyOptions, type VerifyResult } from './check.js';
import { VerifyError } from './errors.js';

export { parseProofFile } from '../format/proof-file.js';

export { VerifyError } from './errors.js';
export type { VerifierKey, VerifyOptions, VerifyResult } from './check.js';
export { verifyBatch, type BatchItem, type BatchVerifyResult } from './batch.js';

const keys = new Map<string, Promise<VerifierKey>>();

/** Load a verifier key from an artifacts directory (metadata + vk hash-checked; cached per directory). */
export function loadVerifierKey(dir: string, opts: { reload?: boolean } = {}): Promise<VerifierKey> {
  let k = opts.reload ? undefined : keys.get(dir);
  if (!k) {
    k = loadArtifacts(dir, { need: ['vk'] }).then((a) => ({ vk: a.vk, metadata: a.metadata, id: a.metadata.id }));
    k.catch(() => keys.delete(dir));
    keys.set(dir, k);
  }
  return k;
}

/** A verifier key from a bare vk JSON object (no input binding or output decoding without metadata). */
export function verifierKeyFromVk(vk: Record<string, unknown>, metadata?: CircuitMetadata): VerifierKey {
  const id = circuitIdOfVk(vk);
  if (metadata && metadata.id !== id) throw new VerifyError('VK_INVALID', `metadata id ${metadata.id} is not the id of this vk (${id})`);
  return { vk, id, ...(metadata ? { metadata } : {}) };
}

/**
 * Verify a proof file against a circuit (artifacts directory or a loaded VerifierKey). Checks the circuit id,
 * and with `input` substitutes the verifier's OWN quantized inputs into the input positions of the public
 * signals (metadata.publicLayout) before the Groth16 check — so a proof about other inputs fails.
 */
export async function verify(target: string | VerifierKey, proofFile: unknown, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const key = typeof target === 'string' ? await loadVerifierKey(target) : target;
  const p = prepareCheck(key, proofFile, opts);
  if ('result' in p) return p.result;
  return finishCheck(key, p, await snarkjs.groth16.verify(key.vk, p.signals, p.pf.proof));
}

/** Read and verify PROOF.json from disk. */
export async function verifyFile(dir: string, proofPath: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let text: string;
  try { text = await readFile(proofPath, 'utf8'); } catch (cause) { throw new VerifyError('PROOF_FORMAT', `cannot read ${proofPath}`, { cause }); }
  return verify(dir, text, opts);
}
