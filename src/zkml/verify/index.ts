import { readFile } from 'node:fs/promises';
import * as snarkjs from 'snarkjs';
import { loadArtifacts, type CircuitMetadata } from '../artifacts/index.js';
import { circuitIdOfVk } from '../format/circuit-id-node.js';
import { FormatError } from '../format/errors.js';
import { bindInputs, checkCanonicalSignals, decodeOutputs, outputsEqual } from '../format/layout.js';
import { parseProofFile } from '../format/proof-file.js';
import { parseInputData, quantizeInputs } from '../witness/inputs.js';
import { VerifyError } from './errors.js';

export { parseProofFile } from '../format/proof-file.js';

export { VerifyError } from './errors.js';

/** What a verifier holds: the vk, and metadata.json (needed to bind inputs and decode outputs). */
export interface VerifierKey { vk: Record<string, unknown>; metadata?: CircuitMetadata; id: string }

export interface VerifyResult {
  valid: boolean;
  /** Why it is invalid (absent when valid). */
  reason?: string;
  circuitId: string;
  /** Outputs decoded from the verified public signals (when metadata is known). */
  outputs?: number[][];
  security?: CircuitMetadata['security'];
  /** True when the verifier's own inputs were substituted into the public signals. */
  inputsBound: boolean;
}

export interface VerifyOptions {
  /** The verifier's own EZKL-style input ({"input_data": [[...]]}): substituted into the input positions. */
  input?: unknown;
  /** With `input`: the recipient the proof must be bound to (default 0, network traffic; docs/eth.md). */
  recipient?: bigint;
}

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
  const pf = parseProofFile(proofFile);
  const md = key.metadata;
  const base = { circuitId: key.id, inputsBound: opts.input !== undefined, ...(md ? { security: md.security } : {}) };
  if (pf.circuit_id !== key.id) return { ...base, valid: false, reason: `proof is for circuit ${pf.circuit_id}, not ${key.id}` };
  const nPublic = Number(key.vk.nPublic);
  if (pf.public_signals.length !== nPublic) return { ...base, valid: false, reason: `proof has ${pf.public_signals.length} public signals, the circuit has ${nPublic}` };
  try {
    checkCanonicalSignals(pf.public_signals);
  } catch (e) {
    if (e instanceof FormatError) return { ...base, valid: false, reason: e.message };
    throw e;
  }
  let signals = [...pf.public_signals];
  let inputsDiffer = false;
  if (opts.input !== undefined) {
    if (!md) throw new VerifyError('NEEDS_METADATA', 'binding inputs needs the circuit metadata', { hint: 'verify against the artifacts directory (with metadata.json)' });
    const bound = bindInputs(md, signals, quantizeInputs(md, parseInputData(opts.input), opts.recipient ?? 0n).fields, opts.recipient ?? 0n);
    signals = bound.signals;
    inputsDiffer = bound.differs;
  }
  const ok = await snarkjs.groth16.verify(key.vk, signals, pf.proof);
  if (!ok) {
    return { ...base, valid: false, reason: inputsDiffer ? 'the proof is not for the verifier\'s inputs (or recipient)' : 'the Groth16 proof does not verify against these public signals' };
  }
  if (!md) return { ...base, valid: true };
  const outputs = decodeOutputs(md, signals);
  // the file's `outputs` is a convenience copy; a file whose copy disagrees with the proof is refused (docs/security.md)
  if (pf.outputs.length > 0 && !outputsEqual(outputs, pf.outputs)) {
    return { ...base, valid: false, outputs, reason: 'the proof file\'s "outputs" field differs from the outputs the proof carries (the file was edited)' };
  }
  return { ...base, valid: true, outputs };
}

/** Read and verify PROOF.json from disk. */
export async function verifyFile(dir: string, proofPath: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let text: string;
  try { text = await readFile(proofPath, 'utf8'); } catch (cause) { throw new VerifyError('PROOF_FORMAT', `cannot read ${proofPath}`, { cause }); }
  return verify(dir, text, opts);
}
