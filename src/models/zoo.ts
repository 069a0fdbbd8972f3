import { UnknownModelError } from './errors.js';
import { exitMlp } from './zoo/exit-mlp.js';
import { scoringEma } from './zoo/scoring-ema.js';
import { shapesCnn } from './zoo/shapes-cnn.js';
import { stakingLstm } from './zoo/staking-lstm.js';
import type { ZooModel } from './zoo/types.js';

export type { ZooModel, BuiltModel, TrainOptions } from './zoo/types.js';

/** Every model of the zoo, flagship first. Shipped files live in models/<name>/ (model.onnx, model.json). */
export const ZOO: readonly ZooModel[] = [stakingLstm, exitMlp, shapesCnn, scoringEma];

export function zooModelNames(): string[] {
  return ZOO.map((m) => m.name);
}

/** Look a model up by name (typed error listing the zoo when unknown). */
export function getZooModel(name: string): ZooModel {
  const m = ZOO.find((x) => x.name === name);
  if (m === undefined) throw new UnknownModelError(name, zooModelNames());
  return m;
}
