import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readModelCard } from '../models/card.js';
import { shippedModelDir } from '../models/paths.js';
import { findPlugin } from '../models/plugins.js';
import type { CircuitMetadata } from '../zkml/format/metadata.js';
import type { ModelInputAdapter } from './catalog.js';

/**
 * How the API takes input for a circuit compiled from a model plugin (a zoo model or a competition task, found
 * by metadata.name): the plugin's declared request schema, example and encoder (docs/models.md, plugins) —
 * e.g. a raw staking position for the staking models, `{"input": <nested array>}` for the others.
 * Undefined when the circuit is no plugin's (the API then uses the metadata's tensor schema).
 */
export function zooModelAdapter(meta: Pick<CircuitMetadata, 'name' | 'inputs'>): ModelInputAdapter | undefined {
  const model = findPlugin(meta.name);
  const tensor = meta.inputs[0];
  if (!model || !tensor || meta.inputs.length !== 1) return undefined;
  const dir = shippedModelDir(model.name);
  const card = existsSync(join(dir, 'model.json')) ? readModelCard(dir) : undefined;
  return {
    schema: model.request.schema,
    encode: (input) => ({ [tensor.name]: model.request.encode(input, card) }),
    example: model.request.example(card),
    describe: (output) => {
      const first = Object.values(output)[0];
      return first ? model.describe(first, card).summary : '';
    },
  };
}
