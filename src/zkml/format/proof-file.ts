import * as z from '../../zod-mini.js';
import { SecurityLevelSchema } from './metadata.js';
import { FormatError } from './errors.js';

const Fe = z.matching(/^[0-9]{1,78}$/, 'a decimal field element');

/** A Groth16 proof in snarkjs's JSON format. */
export const Groth16ProofSchema = z.object({
  pi_a: z.tuple([Fe, Fe, Fe]),
  pi_b: z.tuple([z.tuple([Fe, Fe]), z.tuple([Fe, Fe]), z.tuple([Fe, Fe])]),
  pi_c: z.tuple([Fe, Fe, Fe]),
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
});

/**
 * PROOF.json (docs/zkml-prove.md): circuit id, snarkjs proof, public signals (outputs then inputs, as field
 * elements), and the outputs decoded to floats (one array per output tensor) for convenience — a verifier
 * re-decodes them from the public signals itself and flags a file whose `outputs` differ (docs/security.md).
 */
export const ProofFileSchema = z.object({
  circuit_id: z.matching(/^[0-9a-f]{64}$/),
  proof: Groth16ProofSchema,
  public_signals: z.array(Fe),
  outputs: z.array(z.array(z.number())),
  security: SecurityLevelSchema,
  prover: z.optional(z.string()),
});
export type ProofFile = z.infer<typeof ProofFileSchema>;

/** Parse an untrusted proof file (object or JSON text); FormatError('PROOF_FORMAT') says what is wrong. */
export function parseProofFile(json: unknown): ProofFile {
  let v = json;
  if (typeof v === 'string') {
    try { v = JSON.parse(v); } catch (cause) { throw new FormatError('PROOF_FORMAT', 'proof file is not valid JSON', { hint: 'pass the PROOF.json written by `zkinfer prove`', cause }); }
  }
  const r = ProofFileSchema.safeParse(v);
  if (!r.success) {
    throw new FormatError('PROOF_FORMAT', `not a zkinfer proof file: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      hint: 'pass the PROOF.json written by `zkinfer prove`',
    });
  }
  return r.data;
}
