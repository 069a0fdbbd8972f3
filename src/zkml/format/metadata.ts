import * as z from '../../zod-mini.js';

/** One tensor at the circuit boundary. `signal` is the Circom main-component signal that carries it (flattened, row-major). */
export const TensorSpecSchema = z.object({
  name: z.string(),
  signal: z.string(),
  shape: z.array(z.positiveInt()),
  /** Fractional bits of the fixed-point encoding. */
  scaleBits: z.natural().check(z.lte(64)),
  /** Values must satisfy |round(v·2^scaleBits)| < 2^rangeBits, enforced in-circuit for inputs. */
  rangeBits: z.positiveInt().check(z.lte(252)),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

/**
 * Where each tensor sits in snarkjs's public signal array (Circom puts outputs first, then public inputs). In a
 * version-2 layout the inputs' offsets count input values (graph order) and the values are packed (format/layout.ts).
 */
export const PublicLayoutSchema = z.object({
  /** 2 (zkinfer compile): inputs packed into `packed.words` signals; absent = 1: one signal per input value. */
  version: z.optional(z.positiveInt()),
  outputs: z.array(z.object({ name: z.string(), offset: z.natural(), length: z.positiveInt() })),
  inputs: z.array(z.object({ name: z.string(), offset: z.natural(), length: z.positiveInt() })),
  /** Version 2: the packed input words' first public signal and count (docs/eth.md "Packed public inputs"). */
  packed: z.optional(z.object({ offset: z.natural(), words: z.positiveInt() })),
  /** Offset of the `recipient` public input (the last signal); absent in circuits compiled before it existed. */
  recipient: z.optional(z.natural()),
  total: z.positiveInt(),
});
export type PublicLayout = z.infer<typeof PublicLayoutSchema>;

export const SecurityLevelSchema = z.enum(['INSECURE-DEV', 'ceremony']);
export type SecurityLevel = z.infer<typeof SecurityLevelSchema>;

/** metadata.json, one per circuit artifacts directory (docs/zkml-prove.md). */
export const CircuitMetadataSchema = z.object({
  /** sha256 (hex) of the canonical verification key. */
  id: z.matching(/^[0-9a-f]{64}$/),
  name: z.string(),
  modelSha256: z.matching(/^[0-9a-f]{64}$/),
  zkinferVersion: z.string(),
  createdAt: z.string(),
  security: SecurityLevelSchema,
  ptau: z.object({ sha256: z.string(), power: z.safeInt(), source: z.string() }),
  constraints: z.natural(),
  ops: z.array(z.object({ node: z.string(), op: z.string(), constraints: z.natural() })),
  inputs: z.array(TensorSpecSchema),
  outputs: z.array(TensorSpecSchema),
  publicLayout: PublicLayoutSchema,
  /** Quantization error of the circuit against the float model (onnxruntime-node) on sample inputs. */
  error: z.optional(z.object({
    maxAbs: z.number(), meanAbs: z.number(), samples: z.safeInt(),
    /** The same per graph output (absent in circuits compiled before presets existed). */
    perOutput: z.optional(z.array(z.object({ name: z.string(), maxAbs: z.number(), meanAbs: z.number() }))),
  })),
  /** `--precision` preset the circuit was compiled with (docs/zkml-compile.md, "Precision presets"). */
  precision: z.optional(z.enum(['fast', 'balanced', 'accurate'])),
  /** Which of the preset's table variants the calibration search chose (0: the preset itself; precision.ts presetVariants). */
  tableVariant: z.optional(z.natural()),
  /**
   * sha256 (hex) of each artifact file, checked before use. The witness generator is either `program`
   * (witness.json, the direct backend) or `wasm` (a circom witness.wasm).
   */
  files: z.object({ r1cs: z.string(), wasm: z.optional(z.string()), program: z.optional(z.string()), zkey: z.string(), vk: z.string() })
    .check(z.refine((f) => (f.wasm === undefined) !== (f.program === undefined), { message: 'exactly one witness generator (wasm or program)' })),
});
export type CircuitMetadata = z.infer<typeof CircuitMetadataSchema>;
