import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { readModelCard } from '../models/card.js';
import { shippedModelDir } from '../models/paths.js';
import { describeOutput, encodeRequest } from '../models/predict.js';
import { StakingPositionInputSchema } from '../models/staking/schema.js';
import { STAKING_MODEL_NAME } from '../models/staking/train.js';
import { ZOO } from '../models/zoo.js';
import type { CircuitMetadata } from '../zkml/format/metadata.js';
import type { ModelInputAdapter } from './catalog.js';

/** Nest a flat row-major array into `shape`. */
function nest(flat: number[], shape: number[]): unknown {
  if (shape.length <= 1) return flat;
  const step = flat.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
}

/**
 * How the API takes input for a circuit compiled from a zoo model (by metadata.name): the staking LSTM
 * takes a raw staking position (token, deposit, 5 daily snapshots — normalised with the shipped model.json,
 * like `zkinfer predict`); the other models take `{"input": <nested array in the ONNX layout>}`.
 * Undefined when the circuit is not a zoo model (the API then uses the metadata's tensor schema).
 */
export function zooModelAdapter(meta: Pick<CircuitMetadata, 'name' | 'inputs'>): ModelInputAdapter | undefined {
  const model = ZOO.find((m) => m.name === meta.name);
  const tensor = meta.inputs[0];
  if (!model || !tensor || meta.inputs.length !== 1) return undefined;
  const dir = shippedModelDir(model.name);
  if (!existsSync(join(dir, 'model.json'))) return undefined;
  const card = readModelCard(dir);
  const staking = model.name === STAKING_MODEL_NAME;
  const examplePath = join(dir, 'example-input.json');
  const example: unknown =
    staking && existsSync(examplePath) ? JSON.parse(readFileSync(examplePath, 'utf8')) : { input: nest(model.sampleInput(1, card), model.inputShape) };
  return {
    schema: (staking ? StakingPositionInputSchema : model.inputSchema) as z.ZodType,
    encode: (input) => ({ [tensor.name]: encodeRequest(model, card, input, 'input') }),
    example,
    describe: (output) => {
      const first = Object.values(output)[0];
      return first ? describeOutput(model, card, first).summary : '';
    },
  };
}
