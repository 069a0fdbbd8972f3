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

/** One model of the zoo. */
export interface ZooModel {
  name: string;
  description: string;
  /** What the input tensor means and the output means (one line each). */
  inputDoc: string;
  outputDoc: string;
  inputShape: number[];
  outputShape: number[];
  /** Request body schema for benchmark / validator requests: `{ input: <nested array of inputShape> }`. */
  inputSchema: z.ZodType<{ input: unknown }>;
  /** Seeded benchmark request input, flat in the ONNX input layout (normalised with `card`, default: the shipped one). */
  sampleInput(seed: number, card?: ModelCard): number[];
  /** Largest |value| a valid (normalised) input element can have; calibration covers it so proofs never fail on range. */
  inputBound?: number;
  /** Whether `train` accepts --data CSV. */
  acceptsCsv: boolean;
  /** Train (learned models) or build (function models) from scratch. */
  train(opts: TrainOptions): Promise<BuiltModel>;
}
