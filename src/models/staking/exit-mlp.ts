import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelCard } from '../card.js';
import { TrainingError } from '../errors.js';
import { exportSequentialToOnnx } from '../onnx-export/from-tfjs.js';
import { onnxOps, onnxOpset } from '../onnx-export/ops.js';
import { assertExportMatches } from '../onnx-export/verify.js';
import { Rng } from '../random.js';
import { fitSeeded } from '../train/fit.js';
import { accuracy } from '../train/metrics.js';
import { loadTf } from '../train/tf.js';
import { deriveFeatures, fitNormalisation, normaliseFeatures, FEATURE_NAMES, N_FEATURES, type Normalisation } from './features.js';
import { generatePositions } from './generate.js';
import { SEQ_LEN, type StakingPosition, type StakingPositionInput } from './schema.js';
import { sha256 } from '../hash.js';

export const EXIT_MLP_NAME = 'exit-mlp';
/** The MLP classifies "exits within this many days of the deposit". */
export const EXIT_HORIZON_DAYS = 30;

/** Tabular features of a position: its last observed day's derived features (no sequence). */
export function exitFeatures(p: StakingPositionInput): number[] {
  return deriveFeatures(p)[SEQ_LEN - 1]!;
}

/** z-score tabular features with a staking Normalisation (its target fields are unused here). */
export function normaliseExitFeatures(row: number[], norm: Normalisation): number[] {
  return normaliseFeatures([row], norm)[0]!;
}

export interface TrainExitOptions {
  positions?: StakingPosition[];
  dataLabel?: string;
  count?: number;
  seed?: number;
  epochs?: number;
  onProgress?: (done: number, total: number, loss: number) => void;
}

/**
 * Tabular MLP 8 → 16 (ReLU) → 8 (ReLU) → 1 (sigmoid): probability that a staking position exits within
 * EXIT_HORIZON_DAYS of its deposit, from the last observed day's features. Baseline: majority class.
 */
export async function trainExitMlp(opts: TrainExitOptions = {}): Promise<{ model: tfTypes.LayersModel; onnx: Uint8Array; card: ModelCard }> {
  const seed = opts.seed ?? 1;
  const epochs = opts.epochs ?? 15;
  const count = opts.count ?? 5000;
  const positions = opts.positions ?? generatePositions({ count, seed }).positions;
  if (positions.length < 20) throw new TrainingError(`only ${positions.length} positions: too few to train and evaluate`, 'supply at least 20 positions');
  const order = new Rng(seed ^ 0x7e57).shuffle(positions.map((_, i) => i));
  const nTest = Math.max(1, Math.round(positions.length * 0.2));
  const test = order.slice(0, nTest).map((i) => positions[i]!);
  const train = order.slice(nTest).map((i) => positions[i]!);
  const label = (p: StakingPosition): number => (p.duration_days <= EXIT_HORIZON_DAYS ? 1 : 0);
  const norm = fitNormalisation(train.map((p) => [exitFeatures(p)]), train.map(label));

  const tf = await loadTf();
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [N_FEATURES], units: 16, activation: 'relu', kernelInitializer: init(0) }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: init(1) }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  const xTrain = train.map((p) => normaliseExitFeatures(exitFeatures(p), norm));
  const x = tf.tensor2d(xTrain);
  const y = tf.tensor2d(train.map((p) => [label(p)]));
  const t0 = Date.now();
  await fitSeeded(tf, model, x, y, { epochs, batchSize: 64, seed, ...(opts.onProgress ? { onBatch: opts.onProgress } : {}) });
  const seconds = (Date.now() - t0) / 1000;
  x.dispose();
  y.dispose();

  const xTest = test.map((p) => normaliseExitFeatures(exitFeatures(p), norm));
  const probs = tf.tidy(() => Array.from((model.predict(tf.tensor2d(xTest)) as tfTypes.Tensor).dataSync()));
  const actual = test.map(label);
  const positiveRate = train.map(label).reduce((a, b) => a + b, 0) / train.length;
  const majority = positiveRate >= 0.5 ? 1 : 0;
  const logLoss = (ps: number[]) => -ps.reduce((s, p, i) => s + (actual[i] ? Math.log(Math.max(p, 1e-7)) : Math.log(Math.max(1 - p, 1e-7))), 0) / ps.length;
  const exported = exportSequentialToOnnx(model, { name: EXIT_MLP_NAME });
  const diff = await assertExportMatches(tf, model, exported, xTest.slice(0, 64));
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  const card: ModelCard = {
    name: EXIT_MLP_NAME,
    description: `Tabular MLP: probability that a staking position exits within ${EXIT_HORIZON_DAYS} days, from one day of features`,
    task: 'classification',
    onnx: { file: 'model.onnx', sha256: sha256(exported.bytes), opset: onnxOpset(exported.bytes), ops: onnxOps(exported.bytes) },
    input: { name: exported.inputName, shape: exported.inputShape, description: `[1, ${N_FEATURES}] z-scored features of day ${SEQ_LEN - 1} (${FEATURE_NAMES.join(', ')})` },
    output: { name: exported.outputName, shape: exported.outputShape, description: `P(exit within ${EXIT_HORIZON_DAYS} days)` },
    training: { seed, epochs, data: opts.dataLabel ?? `generator (seed ${seed}, ${count} positions)`, trainCount: train.length, testCount: test.length, seconds: Math.round(seconds * 100) / 100, tfjsVersion: tf.version.tfjs },
    evaluation: [
      { predictor: 'MLP 8→16→8→1', metrics: { accuracy: r4(accuracy(probs.map((p) => (p >= 0.5 ? 1 : 0)), actual)), log_loss: r4(logLoss(probs)) } },
      { predictor: 'majority class / base rate', metrics: { accuracy: r4(accuracy(actual.map(() => majority), actual)), log_loss: r4(logLoss(actual.map(() => positiveRate))) } },
    ],
    exportMaxAbsDiff: diff,
    normalisation: norm,
    featureNames: [...FEATURE_NAMES],
    labels: [`stays > ${EXIT_HORIZON_DAYS} days`, `exits within ${EXIT_HORIZON_DAYS} days`],
    notes: ['normalisation.target* fields hold the training base rate statistics and are not used at inference.'],
  };
  return { model, onnx: exported.bytes, card };
}
