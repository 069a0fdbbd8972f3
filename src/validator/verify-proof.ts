import { ZkinferError } from '../errors/base.js';
import { toInputData, type RealInputs } from '../protocol/circuit-io.js';
import type { LoadedArtifacts } from '../zkml/artifacts/index.js';
import { bindInputs } from '../zkml/format/layout.js';
import { verify, verifierKeyFromVk, type VerifierKey } from '../zkml/verify/index.js';
import { quantizeInputs } from '../zkml/witness/inputs.js';

const keys = new WeakMap<object, VerifierKey>();

export interface MinerProofCheck {
  valid: boolean;
  reason?: string;
  /** The public signals that were checked: the miner's, with the validator's own inputs substituted. */
  publicSignals: string[];
}

/**
 * Verify a miner's {proof, public_signals} for a circuit with the validator's OWN inputs substituted into the
 * public signals (the zkML engine's `verify`). Never throws for untrusted data: returns a reason instead.
 */
export async function verifyMinerProof(artifacts: Pick<LoadedArtifacts, 'vk' | 'metadata'>, response: { proof: unknown; public_signals: string[] }, inputs: RealInputs): Promise<MinerProofCheck> {
  let key = keys.get(artifacts);
  if (!key) {
    key = verifierKeyFromVk(artifacts.vk, artifacts.metadata);
    keys.set(artifacts, key);
  }
  const md = artifacts.metadata;
  const data = toInputData(md, inputs);
  const { signals } = bindInputs(md, response.public_signals, quantizeInputs(md, data).fields);
  try {
    const r = await verify(key, { circuit_id: md.id, proof: response.proof, public_signals: response.public_signals, outputs: [], security: md.security }, { input: data });
    return { valid: r.valid, ...(r.reason ? { reason: r.reason } : {}), publicSignals: signals };
  } catch (e) {
    if (e instanceof ZkinferError) return { valid: false, reason: e.message, publicSignals: signals };
    throw e;
  }
}
