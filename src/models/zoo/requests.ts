/**
 * Building blocks of model plugins (docs/models.md, plugins): the tensor request form, the staking-position
 * request, and the readable output descriptions shared by several plugins.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readModelCard, type ModelCard } from '../card.js';
import { shippedModelDir } from '../paths.js';
import { decodeDuration } from '../staking/features.js';
import { StakingPositionInputSchema, type StakingPositionInput } from '../staking/schema.js';
import { STAKING_MODEL_NAME } from '../staking/train.js';
import { flattenNested, nest, tensorArraySchema } from '../tensor-schema.js';
import type { ModelRequest, OutputDescription } from './types.js';

/** `{ input: <nested array of shape> }`: the tensor form of a model's input. */
export function tensorInputSchema(shape: readonly number[]): z.ZodType<{ input: unknown }> {
  return z.object({ input: tensorArraySchema(shape) });
}

/** The tensor form as a request: values already normalised, in the ONNX layout; the example is `sample(1)`. */
export function tensorRequest(shape: readonly number[], sample: (seed: number, card?: ModelCard) => number[]): ModelRequest {
  return {
    schema: tensorInputSchema(shape),
    doc: `{"input": <array of shape [${shape.join(', ')}]>}`,
    example: (card) => ({ input: nest(sample(1, card), shape) }),
    encode: (body) => flattenNested((body as { input: unknown }).input),
  };
}

/** The shipped card of `name` unless the caller has one (e.g. a model trained with `zkinfer train`). */
export function cardOr(card: ModelCard | undefined, name: string): ModelCard {
  return card ?? readModelCard(shippedModelDir(name));
}

/**
 * A raw staking position (token, deposit, 5 daily snapshots, raw units), normalised with the card's statistics
 * by `toInput`; the example is models/staking-lstm/example-input.json.
 */
export function stakingPositionRequest(model: string, toInput: (p: StakingPositionInput, card: ModelCard) => number[]): ModelRequest {
  return {
    schema: StakingPositionInputSchema,
    doc: 'a staking position {token, deposit_eth, days: [5 snapshots]}',
    example: () => JSON.parse(readFileSync(join(shippedModelDir(STAKING_MODEL_NAME), 'example-input.json'), 'utf8')) as unknown,
    encode: (body, card) => toInput(body as StakingPositionInput, cardOr(card, model)),
  };
}

/** A z-scored staking duration as days (clipped to the data's 5..365), with the card's held-out MAE. */
export function describeDuration(y: number, card: ModelCard): OutputDescription {
  const days = decodeDuration(y, card.normalisation!);
  const mae = card.evaluation?.[0]?.metrics['mae_days'];
  const clipped = Math.min(365, Math.max(5, days));
  const note = mae === undefined ? '' : ` (held-out MAE ${mae} days)`;
  return { value: clipped, summary: `predicted staking duration: ${Math.round(clipped)} days ≈ ${(clipped / 30.44).toFixed(1)} months${note}` };
}

/** Class logits: the argmax names the class. */
export function describeClasses(output: number[], labels: readonly string[]): OutputDescription {
  const best = output.indexOf(Math.max(...output));
  return { value: best, summary: `class ${labels[best] ?? best} (logits ${output.map((v) => v.toFixed(3)).join(', ')})` };
}
