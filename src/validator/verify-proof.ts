import { ZkinferError } from '../errors/base.js';
import { toInputData, type RealInputs } from '../protocol/circuit-io.js';
import type { LoadedArtifacts } from '../zkml/artifacts/index.js';
import { bindInputs } from '../zkml/format/layout.js';
import { verifyBatch, verifierKeyFromVk, type BatchItem, type VerifierKey } from '../zkml/verify/index.js';
import { quantizeInputs } from '../zkml/witness/inputs.js';

/** What checking needs of a circuit: its vk and metadata (loaded artifacts, or a competition's downloaded ones). */
export type VerifyingArtifacts = Pick<LoadedArtifacts, 'vk' | 'metadata'>;

const keys = new WeakMap<object, VerifierKey>();

export interface MinerProofCheck {
  valid: boolean;
  reason?: string;
  /** The public signals that were checked: the miner's, with the validator's own inputs substituted. */
  publicSignals: string[];
}

/** A miner's answer to check: its {proof, public_signals} and the validator's OWN inputs of the query. */
export interface MinerAnswer {
  response: { proof: unknown; public_signals: string[] };
  inputs: RealInputs;
}

function keyOf(artifacts: VerifyingArtifacts): VerifierKey {
  let key = keys.get(artifacts);
  if (!key) {
    key = verifierKeyFromVk(artifacts.vk, artifacts.metadata);
    keys.set(artifacts, key);
  }
  return key;
}

/**
 * Verify miners' answers for ONE circuit as one batch (docs/zkml-prove.md, batch verification), each with the
 * validator's OWN inputs substituted into the public signals. Never throws for untrusted data: a bad answer
 * gets a reason, and only it is invalid.
 */
export async function verifyMinerProofs(artifacts: VerifyingArtifacts, answers: readonly MinerAnswer[]): Promise<MinerProofCheck[]> {
  const md = artifacts.metadata;
  const checks: Array<MinerProofCheck | undefined> = [];
  const batch: Array<{ at: number; item: BatchItem }> = [];
  answers.forEach(({ response, inputs }, at) => {
    let signals = response.public_signals;
    try {
      const data = toInputData(md, inputs);
      signals = bindInputs(md, response.public_signals, quantizeInputs(md, data).fields).signals;
      batch.push({ at, item: { proofFile: { circuit_id: md.id, proof: response.proof, public_signals: response.public_signals, outputs: [], security: md.security }, input: data } });
    } catch (e) {
      if (!(e instanceof ZkinferError)) throw e;
      checks[at] = { valid: false, reason: e.message, publicSignals: signals };
    }
    checks[at] ??= { valid: false, publicSignals: signals };
  });
  const { results } = await verifyBatch(keyOf(artifacts), batch.map((b) => b.item));
  batch.forEach(({ at }, j) => {
    const r = results[j]!;
    checks[at] = { valid: r.valid, ...(r.reason ? { reason: r.reason } : {}), publicSignals: checks[at]!.publicSignals };
  });
  return checks as MinerProofCheck[];
}

/** Verify one miner answer (a batch of one). */
export async function verifyMinerProof(artifacts: VerifyingArtifacts, response: { proof: unknown; public_signals: string[] }, inputs: RealInputs): Promise<MinerProofCheck> {
  return (await verifyMinerProofs(artifacts, [{ response, inputs }]))[0]!;
}
