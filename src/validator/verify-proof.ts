import * as snarkjs from 'snarkjs';
import { Groth16ProofSchema } from '../zkml/prove/proof-file.js';

/**
 * Groth16 verification of an untrusted proof against the verifier's own public signals. Never throws:
 * malformed proofs are simply invalid.
 */
export async function verifyGroth16(vk: Record<string, unknown>, publicSignals: readonly string[], proof: unknown): Promise<boolean> {
  const p = Groth16ProofSchema.safeParse(proof);
  if (!p.success) return false;
  try {
    return await snarkjs.groth16.verify(vk, [...publicSignals], p.data);
  } catch {
    return false;
  }
}
