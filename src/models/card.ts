import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ModelFilesError } from './errors.js';
import { NormalisationSchema } from './staking/features.js';

/** One row of an evaluation table on the held-out split (lower is better for errors). */
export const EvalRowSchema = z.object({
  predictor: z.string(),
  metrics: z.record(z.string(), z.number()),
});

/**
 * model.json beside each zoo model's model.onnx: what it is, how it was trained, how it scored, and what a
 * caller needs to turn raw inputs into the ONNX input (normalisation) and outputs into meaning.
 */
export const ModelCardSchema = z.object({
  name: z.string(),
  description: z.string(),
  task: z.enum(['regression', 'classification', 'function']),
  onnx: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), opset: z.number().int(), ops: z.array(z.string()) }),
  input: z.object({ name: z.string(), shape: z.array(z.number().int().positive()), description: z.string() }),
  output: z.object({ name: z.string(), shape: z.array(z.number().int().positive()), description: z.string() }),
  training: z
    .object({
      seed: z.number().int(),
      epochs: z.number().int(),
      data: z.string(),
      trainCount: z.number().int(),
      testCount: z.number().int(),
      seconds: z.number(),
      tfjsVersion: z.string(),
    })
    .optional(),
  evaluation: z.array(EvalRowSchema).optional(),
  /** max |tfjs − onnxruntime| over the held-out inputs, checked at export. */
  exportMaxAbsDiff: z.number().optional(),
  normalisation: NormalisationSchema.optional(),
  featureNames: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

export function writeModelCard(dir: string, card: ModelCard): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(ModelCardSchema.parse(card), null, 2) + '\n');
}

export function readModelCard(dir: string): ModelCard {
  const file = join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ModelFilesError(`cannot read ${file}: ${(err as Error).message}`, 'train the model first (`zkinfer train <model> --out DIR`) or pass the right --model-dir', err);
  }
  const parsed = ModelCardSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFilesError(`${file} is not a valid model card: ${parsed.error.issues[0]?.message}`, 're-run `zkinfer train` to regenerate it');
  return parsed.data;
}
