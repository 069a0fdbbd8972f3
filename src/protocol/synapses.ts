import { z } from 'zod';

/**
 * Synapse schemas (zod) mirroring Bittensor's pydantic `Synapse`/`TerminalInfo` and the reference subnet's
 * synapses (docs/network.md). Field names are the Python ones, so bodies interoperate with the Python SDK.
 */

/** Python ints may arrive as JSON numbers (nonces exceed 2^53 — do not trust them from the body), strings or bigints. */
const IntLike = z.union([z.number(), z.string(), z.bigint()]);

/** `bittensor.core.synapse.TerminalInfo`. */
export const TerminalInfoSchema = z.object({
  status_code: IntLike.nullish(),
  status_message: z.string().nullish(),
  process_time: z.union([z.number(), z.string()]).nullish(),
  ip: z.string().nullish(),
  port: IntLike.nullish(),
  version: IntLike.nullish(),
  nonce: IntLike.nullish(),
  uuid: z.string().nullish(),
  hotkey: z.string().nullish(),
  signature: z.string().nullish(),
});
export type TerminalInfoJson = z.infer<typeof TerminalInfoSchema>;

/** The typed, in-memory TerminalInfo (nonce as BigInt). */
export interface TerminalInfo {
  status_code?: number;
  status_message?: string;
  process_time?: number;
  ip?: string;
  port?: number;
  version?: number;
  nonce?: bigint;
  uuid?: string;
  hotkey?: string;
  signature?: string;
}

/** Fields every synapse carries (`bittensor.core.synapse.Synapse`). */
export const BaseSynapseShape = {
  name: z.string().nullish(),
  timeout: z.union([z.number(), z.string()]).nullish(),
  total_size: IntLike.nullish(),
  header_size: IntLike.nullish(),
  dendrite: TerminalInfoSchema.nullish(),
  axon: TerminalInfoSchema.nullish(),
  computed_body_hash: z.string().nullish(),
};

/** Real numbers of each input tensor (by circuit input name), flattened row-major. */
export const PublicInputsSchema = z.record(z.string().min(1).max(128), z.array(z.number().finite()).max(1_000_000));

/** `QueryZkProof` — query_input {model_id, public_inputs}; query_output is a JSON string {proof, public_signals}. */
export const QueryZkProofSchema = z.object({
  ...BaseSynapseShape,
  query_input: z.object({ model_id: z.string().min(1).max(256), public_inputs: PublicInputsSchema }).nullish(),
  query_output: z.string().nullish(),
});
export type QueryZkProof = z.infer<typeof QueryZkProofSchema>;

/** `ProofOfWeightsSynapse` — proof and public_signals are JSON strings. */
export const ProofOfWeightsSynapseSchema = z.object({
  ...BaseSynapseShape,
  subnet_uid: z.number().int().min(0).default(2),
  verification_key_hash: z.string(),
  proof_system: z.string().default('CIRCOM'),
  inputs: z.record(z.string(), z.unknown()),
  proof: z.string(),
  public_signals: z.string(),
});
export type ProofOfWeightsSynapse = z.infer<typeof ProofOfWeightsSynapseSchema>;

/** `QueryForCapacities` — capacities {circuit_id: compute_units}. */
export const QueryForCapacitiesSchema = z.object({
  ...BaseSynapseShape,
  capacities: z.record(z.string(), z.number().int().min(0)).nullish(),
});
export type QueryForCapacities = z.infer<typeof QueryForCapacitiesSchema>;

/**
 * `CompetitionArtifacts` (zkinfer's own, docs/competitions.md): a validator asks a competitor for the circuit it
 * committed; the miner answers metadata.json and the verification key, both as JSON strings, and with
 * `include_source` what the validator audits: the circuit's source (model, calibration, options), the proving key
 * and, for INSECURE-DEV keys, the dev powers of tau.
 */
export const CompetitionArtifactsSchema = z.object({
  ...BaseSynapseShape,
  circuit_id: z.string().max(64).default(''),
  include_source: z.boolean().default(false),
  metadata: z.string().nullish(),
  verification_key: z.string().nullish(),
  /** JSON `{options, model (base64 ONNX), calibration?}` (src/zkml/source.ts). */
  source: z.string().nullish(),
  /** base64 circuit.zkey. */
  zkey: z.string().nullish(),
  /** base64 dev .ptau (INSECURE-DEV circuits only). */
  ptau: z.string().nullish(),
});
export type CompetitionArtifacts = z.infer<typeof CompetitionArtifactsSchema>;

/** The decoded content of QueryZkProof.query_output. */
export const QueryOutputSchema = z.object({
  proof: z.unknown(),
  public_signals: z.array(z.string().regex(/^\d{1,80}$/)).max(100_000),
});
export type QueryOutput = z.infer<typeof QueryOutputSchema>;

/**
 * Bytes a proof answer (QueryZkProof's query_output, ProofOfWeightsSynapse's proof and public_signals) may add to
 * the synapse it echoes, for a circuit of `nPublic` public signals: a Groth16 proof's JSON (≈ 1 KB), each signal
 * (at most 77 digits, quoted, escaped inside a JSON string) and 64 KiB for the rest (docs/network.md, "Hostile miners").
 */
export function proofAnswerBytes(nPublic: number): number {
  return 64 * 1024 + 100 * nPublic;
}

/** Bytes a QueryForCapacities answer may add: the capacities of thousands of circuits. */
export const CAPACITIES_ANSWER_BYTES = 1024 * 1024;

/** Static description of a synapse type, as Python derives it from the pydantic class. */
export interface SynapseSpec<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  schema: S;
  /** Fields without a default (pydantic "required"): each gets a `bt_header_input_obj_<field>` placeholder header. */
  requiredFields: Record<string, unknown>;
  /** `required_hash_fields` (ClassVar) — none for the reference subnet's synapses. */
  hashFields: string[];
  /** The synapse's own fields with their defaults, in class-definition order. */
  defaults: Record<string, unknown>;
}

export const SYNAPSES = {
  QueryZkProof: {
    name: 'QueryZkProof',
    schema: QueryZkProofSchema,
    requiredFields: {},
    hashFields: [],
    defaults: { query_input: null, query_output: null },
  },
  ProofOfWeightsSynapse: {
    name: 'ProofOfWeightsSynapse',
    schema: ProofOfWeightsSynapseSchema,
    // Python placeholder: json.dumps(type(value)()) — '' for str, {} for dict.
    requiredFields: { verification_key_hash: '', inputs: {}, proof: '', public_signals: '' },
    hashFields: [],
    defaults: { subnet_uid: 2, verification_key_hash: '', proof_system: 'CIRCOM', inputs: {}, proof: '', public_signals: '' },
  },
  QueryForCapacities: {
    name: 'QueryForCapacities',
    schema: QueryForCapacitiesSchema,
    requiredFields: {},
    hashFields: [],
    defaults: { capacities: null },
  },
  CompetitionArtifacts: {
    name: 'CompetitionArtifacts',
    schema: CompetitionArtifactsSchema,
    requiredFields: {},
    hashFields: [],
    defaults: { circuit_id: '', metadata: null, verification_key: null },
  },
} as const satisfies Record<string, SynapseSpec>;

export type SynapseName = keyof typeof SYNAPSES;
