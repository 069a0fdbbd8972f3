import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../errors/base.js';
import { importOnnx } from '../zkml/onnx/import.js';
import { runOnnxRuntime } from '../zkml/onnx/runtime.js';
import { readModelCard, type ModelCard } from './card.js';
import { EXIT_MLP_NAME, exitFeatures, normaliseExitFeatures } from './staking/exit-mlp.js';
import { decodeDuration, encodePosition } from './staking/features.js';
import { StakingPositionInputSchema } from './staking/schema.js';
import { STAKING_MODEL_NAME } from './staking/train.js';
import { flattenNested } from './tensor-schema.js';
import type { ZooModel } from './zoo/types.js';

export interface Prediction {
  model: string;
  /** Flat ONNX input actually fed to the model (normalised). */
  input: number[];
  /** Raw float output of the model (onnxruntime). */
  output: number[];
  /** One readable line. */
  summary: string;
  /** The headline number in its unit (days, probability, class index, …). */
  value: number | number[];
}

/** Read and parse a JSON input file, with a typed error. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file} as JSON: ${(err as Error).message}`, { hint: 'pass a JSON file (see models/staking-lstm/example-input.json)' });
  }
}

function zodProblem(err: z.ZodError): string {
  const i = err.issues[0]!;
  return `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`;
}

/**
 * Turn a request into the model's flat ONNX input: staking models take a raw position (token, deposit,
 * 5 daily snapshots — normalised here with model.json's statistics); every model takes `{ "input": [...] }`
 * already in the ONNX layout.
 */
export function encodeRequest(model: ZooModel, card: ModelCard, body: unknown, source: string): number[] {
  const isStaking = model.name === STAKING_MODEL_NAME || model.name === EXIT_MLP_NAME;
  if (isStaking && typeof body === 'object' && body !== null && 'days' in body) {
    const parsed = StakingPositionInputSchema.safeParse(body);
    if (!parsed.success) throw new InvalidInputError(`${source}: not a valid staking position: ${zodProblem(parsed.error)}`, { hint: 'see models/staking-lstm/example-input.json and models/staking-lstm/README.md' });
    const norm = card.normalisation!;
    if (model.name === STAKING_MODEL_NAME) return encodePosition(parsed.data, norm).flat();
    return normaliseExitFeatures(exitFeatures({ ...parsed.data, id: 'x', start_date: '2024-01-01', duration_days: 0 }), norm);
  }
  const parsed = model.inputSchema.safeParse(body);
  if (!parsed.success) {
    const want = isStaking ? 'a staking position {token, deposit_eth, days: [5 snapshots]} or ' : '';
    throw new InvalidInputError(`${source}: expected ${want}{"input": <array of shape [${model.inputShape.join(', ')}]>}: ${zodProblem(parsed.error)}`);
  }
  return flattenNested(parsed.data.input);
}

/** Run the float model (onnxruntime) on a flat input and describe the result for a person. */
export async function predict(model: ZooModel, modelDir: string, input: number[]): Promise<Prediction> {
  const card = readModelCard(modelDir);
  const bytes = readFileSync(join(modelDir, card.onnx.file));
  const graph = importOnnx(bytes, model.name);
  const [outs] = await runOnnxRuntime(bytes, graph, [[input]]);
  const output = Array.from(outs![0]!);
  return { model: model.name, input, output, ...describeOutput(model, card, output) };
}

/** Readable meaning of a model output. */
export function describeOutput(model: ZooModel, card: ModelCard, output: number[]): { summary: string; value: number | number[] } {
  switch (card.task) {
    case 'regression': {
      const days = decodeDuration(output[0]!, card.normalisation!);
      const mae = card.evaluation?.[0]?.metrics['mae_days'];
      const clipped = Math.min(365, Math.max(5, days));
      const note = mae === undefined ? '' : ` (held-out MAE ${mae} days)`;
      return { value: clipped, summary: `predicted staking duration: ${Math.round(clipped)} days ≈ ${(clipped / 30.44).toFixed(1)} months${note}` };
    }
    case 'classification': {
      if (output.length === 1) {
        const p = output[0]!;
        return { value: p, summary: `${card.labels?.[1] ?? 'positive'}: probability ${(100 * p).toFixed(1)}%` };
      }
      const best = output.indexOf(Math.max(...output));
      return { value: best, summary: `class ${card.labels?.[best] ?? best} (logits ${output.map((v) => v.toFixed(3)).join(', ')})` };
    }
    case 'function':
      return { value: output, summary: `${model.outputDoc}: ${output.map((v) => v.toFixed(4)).join(', ')}` };
  }
}
