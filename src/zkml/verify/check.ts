/**
 * The checks around the pairing equation that every verification path shares (single `verify`, `verifyBatch`;
 * docs/zkml-prove.md): circuit id, signal count, canonical signals, the verifier's own inputs and recipient bound
 * into the public signals, and after the pairing check the outputs decoded and the file's copy compared.
 */
import type { CircuitMetadata } from '../artifacts/index.js';
import { FormatError } from '../format/errors.js';
import { bindInputs, checkCanonicalSignals, decodeOutputs, outputsEqual, proofNotCanonical } from '../format/layout.js';
import { parseProofFile, type ProofFile } from '../format/proof-file.js';
import { parseInputData, quantizeInputs } from '../witness/inputs.js';
import { VerifyError } from './errors.js';

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

type Base = Omit<VerifyResult, 'valid'>;
/** A proof ready for the pairing check: the signals to check (inputs bound) and what finishing needs. */
export interface PreparedCheck { pf: ProofFile; signals: string[]; inputsDiffer: boolean; base: Base }

/**
 * Everything before the pairing check. Returns `{result}` when the proof is already known invalid; throws
 * FormatError/VerifyError when verification cannot be attempted (unreadable file, bad input, no metadata).
 */
export function prepareCheck(key: VerifierKey, proofFile: unknown, opts: VerifyOptions = {}): PreparedCheck | { result: VerifyResult } {
  const pf = parseProofFile(proofFile);
  const md = key.metadata;
  const base: Base = { circuitId: key.id, inputsBound: opts.input !== undefined, ...(md ? { security: md.security } : {}) };
  if (pf.circuit_id !== key.id) return { result: { ...base, valid: false, reason: `proof is for circuit ${pf.circuit_id}, not ${key.id}` } };
  const nPublic = Number(key.vk.nPublic);
  if (pf.public_signals.length !== nPublic) return { result: { ...base, valid: false, reason: `proof has ${pf.public_signals.length} public signals, the circuit has ${nPublic}` } };
  try {
    checkCanonicalSignals(pf.public_signals);
  } catch (e) {
    if (e instanceof FormatError) return { result: { ...base, valid: false, reason: e.message } };
    throw e;
  }
  const notCanonical = proofNotCanonical(pf.proof);
  if (notCanonical) return { result: { ...base, valid: false, reason: notCanonical } };
  let signals = [...pf.public_signals];
  let inputsDiffer = false;
  if (opts.input !== undefined) {
    if (!md) throw new VerifyError('NEEDS_METADATA', 'binding inputs needs the circuit metadata', { hint: 'verify against the artifacts directory (with metadata.json)' });
    const bound = bindInputs(md, signals, quantizeInputs(md, parseInputData(opts.input), opts.recipient ?? 0n).fields, opts.recipient ?? 0n);
    signals = bound.signals;
    inputsDiffer = bound.differs;
  }
  return { pf, signals, inputsDiffer, base };
}

/** Everything after the pairing check (`ok`): the reason, decoded outputs, the file's `outputs` copy compared. */
export function finishCheck(key: VerifierKey, p: PreparedCheck, ok: boolean): VerifyResult {
  const { base, pf, signals } = p;
  if (!ok) {
    return { ...base, valid: false, reason: p.inputsDiffer ? 'the proof is not for the verifier\'s inputs (or recipient)' : 'the Groth16 proof does not verify against these public signals' };
  }
  const md = key.metadata;
  if (!md) return { ...base, valid: true };
  const outputs = decodeOutputs(md, signals);
  // the file's `outputs` is a convenience copy; a file whose copy disagrees with the proof is refused (docs/security.md)
  if (pf.outputs.length > 0 && !outputsEqual(outputs, pf.outputs)) {
    return { ...base, valid: false, outputs, reason: 'the proof file\'s "outputs" field differs from the outputs the proof carries (the file was edited)' };
  }
  return { ...base, valid: true, outputs };
}
