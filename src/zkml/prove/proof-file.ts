import { z } from 'zod';
import { SecurityLevelSchema } from '../artifacts/metadata.js';

const Fe = z.string().regex(/^[0-9]{1,78}$/, 'a decimal field element');

/** A Groth16 proof in snarkjs's JSON format. */
export const Groth16ProofSchema = z.object({
  pi_a: z.tuple([Fe, Fe, Fe]),
  pi_b: z.tuple([z.tuple([Fe, Fe]), z.tuple([Fe, Fe]), z.tuple([Fe, Fe])]),
  pi_c: z.tuple([Fe, Fe, Fe]),
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
});

/**
 * PROOF.json (ARCHITECTURE.md §3): circuit id, snarkjs proof, public signals (outputs then inputs, as field
 * elements), and the outputs decoded to floats (one array per output tensor) for convenience — a verifier
 * re-decodes them from the public signals itself.
 */
export const ProofFileSchema = z.object({
  circuit_id: z.string().regex(/^[0-9a-f]{64}$/),
  proof: Groth16ProofSchema,
  public_signals: z.array(Fe),
  outputs: z.array(z.array(z.number())),
  security: SecurityLevelSchema,
  prover: z.string().optional(),
});
export type ProofFile = z.infer<typeof ProofFileSchema>;
