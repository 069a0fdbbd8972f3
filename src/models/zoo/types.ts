import type { z } from 'zod';
import type { ModelCard } from '../card.js';

/** What training (or building, for function models) produces: the ONNX bytes and the model card. */
export interface BuiltModel {
  onnx: Uint8Array;
  card: ModelCard;
}

export interface TrainOptions {
  seed?: number;
  epochs?: number;
  /** CSV of real data (only models that support it). */
  dataFile?: string;
  count?: number;
  onProgress?: (done: number, total: number, loss: number) => void;
}

/**
 * The request a person or an app sends for a model (`zkinfer predict`, the validator API, the dashboard):
 * its zod schema, a valid example, and the encoder to the model's flat ONNX input (docs/models.md, plugins).
 */
export interface ModelRequest {
  /** Request body schema (exported as JSON Schema by the API and `zkinfer models --schema`). */
  schema: z.ZodType;
  /** What the request is, for error messages: e.g. `a staking position {token, deposit_eth, days: [5 snapshots]}`. */
  doc: string;
  /** A valid request body. `card`: the model card (default: the shipped one). */
  example(card?: ModelCard): unknown;
  /** A body that passed `schema` → the flat ONNX input (row-major). */
  encode(body: unknown, card?: ModelCard): number[];
}

/** A readable answer: one line for a person and the headline number in its unit. */
export interface OutputDescription {
  summary: string;
  value: number | number[];
}

/**
 * A model plugin: everything the CLI, the API and the competitions need to take requests for a model and
 * explain its outputs, with no model-name checks anywhere else. Zoo models and competition tasks are plugins.
 */
export interface ModelPlugin {
  name: string;
  description: string;
  /** What the input tensor means and the output means (one line each). */
  inputDoc: string;
  outputDoc: string;
  inputShape: number[];
  outputShape: number[];
  /** The tensor form every plugin also accepts: `{ input: <nested array of inputShape> }` (normalised values). */
  inputSchema: z.ZodType<{ input: unknown }>;
  /** The request people send; the tensor form when the model has no richer one. */
  request: ModelRequest;
  /** Readable meaning of one float output (flat, row-major). */
  describe(output: number[], card?: ModelCard): OutputDescription;
  /** Seeded benchmark request input, flat in the ONNX input layout (normalised with `card`, default: the shipped one). */
  sampleInput(seed: number, card?: ModelCard): number[];
  /** Largest |value| a valid (normalised) input element can have; calibration covers it so proofs never fail on range. */
  inputBound?: number;
}

/** One model of the zoo: a plugin with shipped files under models/<name>/ and a trainer. */
export interface ZooModel extends ModelPlugin {
  /** Whether `train` accepts --data CSV. */
  acceptsCsv: boolean;
  /** Train (learned models) or build (function models) from scratch. */
  train(opts: TrainOptions): Promise<BuiltModel>;
}
