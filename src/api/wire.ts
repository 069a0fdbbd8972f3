/**
 * The external API's JSON wire format (zod). Shared by the server (src/api/) and the client SDK
 * (src/client/); imports nothing but zod so it bundles for browsers.
 */
import { z } from 'zod';

export const InferenceStatusSchema = z.enum(['queued', 'dispatched', 'proving', 'verifying', 'verified', 'failed']);

/** POST /v1/inferences body. Exactly one of `circuit_id` / `model`. */
export const SubmitBodySchema = z
  .strictObject({
    circuit_id: z.string().min(1).max(128).optional().describe('circuit id (sha256 of its vk, 64 hex)'),
    model: z.string().min(1).max(128).optional().describe('model name, e.g. staking-lstm (an alias of a circuit)'),
    input: z.unknown().describe("the circuit's input object; see GET /v1/circuits for its JSON Schema"),
  })
  .refine((b) => (b.circuit_id === undefined) !== (b.model === undefined), { message: 'give exactly one of circuit_id or model', path: ['circuit_id'] })
  .refine((b) => b.input !== undefined, { message: 'input is required', path: ['input'] });
export type SubmitBody = z.infer<typeof SubmitBodySchema>;

export const SubmitResponseSchema = z.object({
  id: z.string(),
  status: InferenceStatusSchema,
  circuit_id: z.string(),
  links: z.object({ self: z.string(), events: z.string() }),
});
export type SubmitResponse = z.infer<typeof SubmitResponseSchema>;

export const Groth16ProofSchema = z.object({
  pi_a: z.array(z.string()).length(3),
  pi_b: z.array(z.array(z.string()).length(2)).length(3),
  pi_c: z.array(z.string()).length(3),
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
});

export const InferenceViewSchema = z.object({
  id: z.string(),
  circuit_id: z.string(),
  source: z.string(),
  status: InferenceStatusSchema,
  input: z.unknown(),
  output: z.record(z.string(), z.array(z.number())).optional().describe('decoded outputs by tensor name, flattened row-major'),
  summary: z.string().optional().describe("the output's meaning for the model, one line (zoo models)"),
  proof: Groth16ProofSchema.optional(),
  public_signals: z.array(z.string()).optional(),
  miner_uid: z.number().int().optional(),
  miner_hotkey: z.string().optional(),
  error: z.string().optional(),
  timings: z.object({
    submitted_at: z.number(),
    dispatched_at: z.number().optional(),
    completed_at: z.number().optional(),
    response_ms: z.number().optional(),
    verify_ms: z.number().optional(),
    total_ms: z.number().optional(),
  }),
});
export type InferenceView = z.infer<typeof InferenceViewSchema>;

export const ProgressEventSchema = z.object({
  id: z.string(),
  status: InferenceStatusSchema,
  at: z.number(),
  miner_uid: z.number().int().optional(),
  detail: z.string().optional(),
});
export type ProgressEventView = z.infer<typeof ProgressEventSchema>;

export const TensorViewSchema = z.object({
  name: z.string(), shape: z.array(z.number().int()), scale_bits: z.number().int(),
  range_bits: z.number().int().optional().describe('|value·2^scale_bits| < 2^range_bits (inputs: range-checked in the circuit; packed layouts need it)'),
});

export const CircuitViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  aliases: z.array(z.string()),
  security: z.string(),
  constraints: z.number().int(),
  inputs: z.array(TensorViewSchema),
  outputs: z.array(TensorViewSchema),
  input_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of `input`'),
  public_layout: z
    .object({
      version: z.number().int().optional().describe('2: input values packed into `packed.words` signals (docs/eth.md)'),
      outputs: z.array(z.object({ name: z.string(), offset: z.number().int(), length: z.number().int() })),
      inputs: z.array(z.object({ name: z.string(), offset: z.number().int(), length: z.number().int() })),
      packed: z.object({ offset: z.number().int(), words: z.number().int() }).optional(),
      recipient: z.number().int().optional(),
      total: z.number().int(),
    })
    .describe('where each tensor sits in public_signals'),
  example: z.unknown().optional().describe('a valid input'),
  links: z.object({ vk: z.string(), verifier_sol: z.string() }),
});
export type CircuitView = z.infer<typeof CircuitViewSchema>;

export const MinerViewSchema = z.object({
  uid: z.number().int(),
  hotkey: z.string(),
  score: z.number(),
  weight: z.number(),
  incentive: z.number(),
  verified: z.number().int(),
  failed: z.number().int(),
  latency_p50_ms: z.number().optional(),
  latency_p95_ms: z.number().optional(),
});

export const NetworkViewSchema = z.object({
  netuid: z.number().int(),
  block: z.number().int(),
  miners: z.array(MinerViewSchema),
  verified: z.number().int(),
  failed: z.number().int(),
  latency_p50_ms: z.number().optional(),
  latency_p95_ms: z.number().optional(),
  history: z.array(
    z.object({ at: z.number(), block: z.number().int(), verified: z.number().int(), failed: z.number().int(), incentive: z.record(z.string(), z.number()), score: z.record(z.string(), z.number()) }),
  ),
});
export type NetworkViewWire = z.infer<typeof NetworkViewSchema>;

/** The history points the API keeps (NetworkHistory), so the most one `GET /v1/network?points=` can ask for. */
export const NETWORK_POINTS_MAX = 720;
/** GET /v1/network's query: `since` (unix ms) keeps only the history points after it, `points` at most that many. */
export const NetworkQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional(),
  points: z.coerce.number().int().min(2).max(NETWORK_POINTS_MAX).optional(),
});

export const ErrorBodySchema = z.object({
  error: z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional(), field: z.string().optional() }),
});

/** JSON-RPC 2.0 over WebSocket at /rpc. */
export const RpcRequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string(),
  params: z.unknown().optional(),
});
export const ProofOfComputationParamsSchema = z.strictObject({ circuit: z.string().min(1).max(128).describe('circuit id or model name'), input: z.unknown() });
export const ProofOfWeightsParamsSchema = z.strictObject({
  evaluation_data: z.unknown().describe("input of the weights-scoring circuit"),
  weights_version: z.union([z.number().int(), z.string()]).describe('selects the scoring circuit (validator config proofOfWeights)'),
});
