import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelCard } from '../card.js';
import { exportSequentialToOnnx } from '../onnx-export/from-tfjs.js';
import { onnxOps, onnxOpset } from '../onnx-export/ops.js';
import { assertExportMatches } from '../onnx-export/verify.js';
import { sha256 } from '../hash.js';
import { fitSeeded } from '../train/fit.js';
import { accuracy } from '../train/metrics.js';
import { loadTf } from '../train/tf.js';
import { generateShapes, IMAGE_SIZE, SHAPE_CLASSES } from './generate.js';

export const SHAPES_CNN_NAME = 'shapes-cnn';

/** [H*W] row-major → tfjs [H][W][1]. */
function toHwc(img: number[]): number[][][] {
  return Array.from({ length: IMAGE_SIZE }, (_, y) => Array.from({ length: IMAGE_SIZE }, (_, x) => [img[y * IMAGE_SIZE + x]!]));
}

/**
 * Small CNN on 16×16 synthetic shapes: AveragePool 2 → Conv 3×3 ×4 (ReLU) → MaxPool 2 → Flatten → Gemm 4.
 * Outputs class logits (argmax = class; no softmax, which circuits do not need).
 */
export async function trainShapesCnn(opts: { seed?: number; epochs?: number; count?: number; onProgress?: (d: number, t: number, l: number) => void } = {}): Promise<{ model: tfTypes.LayersModel; onnx: Uint8Array; card: ModelCard }> {
  const seed = opts.seed ?? 1;
  const epochs = opts.epochs ?? 8;
  const count = opts.count ?? 3000;
  const { images, labels } = generateShapes(count, seed);
  const nTest = Math.round(count * 0.2);
  const tf = await loadTf();
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential();
  model.add(tf.layers.averagePooling2d({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1], poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(0) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: SHAPE_CLASSES.length, kernelInitializer: init(1) }));
  model.compile({ optimizer: tf.train.adam(0.02), loss: (yTrue: tfTypes.Tensor, yPred: tfTypes.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const trainImgs = images.slice(nTest).map(toHwc);
  const x = tf.tensor4d(trainImgs);
  const y = tf.oneHot(tf.tensor1d(labels.slice(nTest), 'int32'), SHAPE_CLASSES.length).toFloat();
  const t0 = Date.now();
  await fitSeeded(tf, model, x, y, { epochs, batchSize: 64, seed, ...(opts.onProgress ? { onBatch: opts.onProgress } : {}) });
  const seconds = (Date.now() - t0) / 1000;
  x.dispose();
  y.dispose();
  const testImgs = images.slice(0, nTest).map(toHwc);
  const pred = tf.tidy(() => Array.from((tf.argMax(model.predict(tf.tensor4d(testImgs)) as tfTypes.Tensor, 1)).dataSync()));
  const actual = labels.slice(0, nTest);
  const exported = exportSequentialToOnnx(model, { name: SHAPES_CNN_NAME });
  const diff = await assertExportMatches(tf, model, exported, testImgs.slice(0, 32));
  const counts = SHAPE_CLASSES.map((_, c) => labels.slice(nTest).filter((l) => l === c).length);
  const majority = counts.indexOf(Math.max(...counts));
  const card: ModelCard = {
    name: SHAPES_CNN_NAME,
    description: 'Small CNN classifying 16×16 synthetic shapes (circle, square, triangle, cross)',
    task: 'classification',
    onnx: { file: 'model.onnx', sha256: sha256(exported.bytes), opset: onnxOpset(exported.bytes), ops: onnxOps(exported.bytes) },
    input: { name: exported.inputName, shape: exported.inputShape, description: '[1, 1, 16, 16] grey image, values about 0..1 (NCHW)' },
    output: { name: exported.outputName, shape: exported.outputShape, description: `class logits (${SHAPE_CLASSES.join(', ')}); argmax is the class` },
    training: { seed, epochs, data: `synthetic shapes (seed ${seed}, ${count} images)`, trainCount: count - nTest, testCount: nTest, seconds: Math.round(seconds * 100) / 100, tfjsVersion: tf.version.tfjs },
    evaluation: [
      { predictor: 'CNN', metrics: { accuracy: Math.round(accuracy(pred, actual) * 1e4) / 1e4 } },
      { predictor: 'majority class', metrics: { accuracy: Math.round(accuracy(actual.map(() => majority), actual) * 1e4) / 1e4 } },
    ],
    exportMaxAbsDiff: diff,
    labels: [...SHAPE_CLASSES],
  };
  return { model, onnx: exported.bytes, card };
}
