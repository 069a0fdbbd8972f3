import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelCard } from '../card.js';
import { sha256 } from '../hash.js';
import { TrainingError } from '../errors.js';
import { exportSequentialToOnnx } from '../onnx-export/from-tfjs.js';
import { onnxOps, onnxOpset } from '../onnx-export/ops.js';
import { assertExportMatches } from '../onnx-export/verify.js';
import { Rng } from '../random.js';
import { fitSeeded } from '../train/fit.js';
import { mae, rmse } from '../train/metrics.js';
import { loadTf } from '../train/tf.js';
import { lastKnownDuration } from './baselines.js';
import { FEATURE_NAMES, N_FEATURES, deriveFeatures, fitNormalisation, normaliseFeatures, decodeDuration } from './features.js';
import { generatePositions } from './generate.js';
import { SEQ_LEN, type StakingPosition } from './schema.js';

export const STAKING_MODEL_NAME = 'staking-lstm';

export interface TrainStakingOptions {
  /** Real positions (from a CSV); when absent, `count` positions are generated with `seed`. */
  positions?: StakingPosition[];
  dataLabel?: string;
  count?: number;
  seed?: number;
  epochs?: number;
  hidden?: number;
  /** Fraction held out for evaluation (seeded random split). */
  testFraction?: number;
  onProgress?: (done: number, total: number, loss: number) => void;
}

export interface TrainedStakingModel {
  model: tfTypes.LayersModel;
  onnx: Uint8Array;
  card: ModelCard;
}

export const STAKING_DEFAULTS = { count: 5000, seed: 1, epochs: 10, hidden: 16, testFraction: 0.2 } as const;

/**
 * Train the staking-duration LSTM (LSTM(hidden) → Dense(1), MSE on the z-scored duration), evaluate it on a
 * held-out split against the mean-duration and last-known-duration baselines, export it to ONNX and check
 * the export against tfjs in onnxruntime-node.
 */
export async function trainStakingLstm(opts: TrainStakingOptions = {}): Promise<TrainedStakingModel> {
  const seed = opts.seed ?? STAKING_DEFAULTS.seed;
  const epochs = opts.epochs ?? STAKING_DEFAULTS.epochs;
  const hidden = opts.hidden ?? STAKING_DEFAULTS.hidden;
  const count = opts.count ?? STAKING_DEFAULTS.count;
  const positions = opts.positions ?? generatePositions({ count, seed }).positions;
  const dataLabel = opts.dataLabel ?? `generator (seed ${seed}, ${count} positions)`;
  if (positions.length < 20) throw new TrainingError(`only ${positions.length} positions: too few to train and evaluate`, 'supply at least 20 positions (a few thousand for a useful model)');
  if (!Number.isInteger(epochs) || epochs < 1) throw new TrainingError(`--epochs must be a whole number ≥ 1 (got ${epochs})`, 'e.g. --epochs 10');

  const order = new Rng(seed ^ 0x7e57).shuffle(positions.map((_, i) => i));
  const nTest = Math.max(1, Math.round(positions.length * (opts.testFraction ?? STAKING_DEFAULTS.testFraction)));
  const test = order.slice(0, nTest).map((i) => positions[i]!);
  const train = order.slice(nTest).map((i) => positions[i]!);

  const seqTrain = train.map(deriveFeatures);
  const yTrain = train.map((p) => p.duration_days);
  const norm = fitNormalisation(seqTrain, yTrain);

  const tf = await loadTf();
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: hidden,
      inputShape: [SEQ_LEN, N_FEATURES],
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
    }),
  );
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });

  const x = tf.tensor3d(seqTrain.map((s) => normaliseFeatures(s, norm)));
  const y = tf.tensor2d(yTrain.map((v) => [(v - norm.targetMean) / norm.targetStd]));
  const t0 = Date.now();
  await fitSeeded(tf, model, x, y, { epochs, batchSize: 64, seed, ...(opts.onProgress ? { onBatch: opts.onProgress } : {}) });
  const seconds = (Date.now() - t0) / 1000;
  x.dispose();
  y.dispose();

  const testInputs = test.map((p) => normaliseFeatures(deriveFeatures(p), norm));
  const predNorm = tf.tidy(() => Array.from((model.predict(tf.tensor3d(testInputs)) as tfTypes.Tensor).dataSync()));
  const pred = predNorm.map((v) => decodeDuration(v, norm));
  const actual = test.map((p) => p.duration_days);
  const meanPred = actual.map(() => norm.targetMean);
  const lastKnown = lastKnownDuration(test, positions, norm.targetMean);
  const row = (predictor: string, p: number[]) => ({ predictor, metrics: { mae_days: round2(mae(p, actual)), rmse_days: round2(rmse(p, actual)) } });

  const exported = exportSequentialToOnnx(model, {
    name: STAKING_MODEL_NAME,
  });
  const diff = await assertExportMatches(tf, model, exported, testInputs.slice(0, 64));

  const card: ModelCard = {
    name: STAKING_MODEL_NAME,
    description: 'Predicts how many days a liquid-staking position stays staked from its first 5 daily snapshots',
    task: 'regression',
    onnx: { file: 'model.onnx', sha256: sha256(exported.bytes), opset: onnxOpset(exported.bytes), ops: onnxOps(exported.bytes) },
    input: { name: exported.inputName, shape: exported.inputShape, description: `[${SEQ_LEN} days, batch 1, ${N_FEATURES} z-scored features] (features: ${FEATURE_NAMES.join(', ')})` },
    output: { name: exported.outputName, shape: exported.outputShape, description: 'z-scored duration: days = output·targetStd + targetMean' },
    training: { seed, epochs, data: dataLabel, trainCount: train.length, testCount: test.length, seconds: round2(seconds), tfjsVersion: tf.version.tfjs },
    evaluation: [row(`LSTM(${hidden}) → Dense(1)`, pred), row('mean duration (train)', meanPred), row('last-known duration (same token)', lastKnown)],
    exportMaxAbsDiff: diff,
    normalisation: norm,
    featureNames: [...FEATURE_NAMES],
    notes: [
      'Deterministic for a given seed, data and tfjs version on the pure-JS CPU backend (seeded initialisers and our own seeded batch shuffling); other tfjs backends (WebGL, tfjs-node) use different float kernels and give slightly different weights.',
      `Durations are capped at 365 days (positions still staked are right-censored at 365).`,
    ],
  };
  return { model, onnx: exported.bytes, card };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
