import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTf } from '../../src/models/train/tf.js';
import { exportSequentialToOnnx, UnsupportedLayerError } from '../../src/models/onnx-export/from-tfjs.js';
import { compareExport, EXPORT_TOLERANCE } from '../../src/models/onnx-export/verify.js';
import { onnxOps } from '../../src/models/onnx-export/ops.js';
import { Rng } from '../../src/models/random.js';

type Tf = Awaited<ReturnType<typeof loadTf>>;

/** Overwrite every weight (biases included) with seeded values so no layout mistake can hide behind zeros. */
function randomiseWeights(tf: Tf, model: import('@tensorflow/tfjs').LayersModel, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    layer.setWeights(ws.map((w) => tf.tensor(Array.from({ length: w.size }, () => rng.normal(0, 0.5)), w.shape)));
  }
}

function randomArray(rng: Rng, shape: number[]): unknown {
  if (shape.length === 0) return rng.normal(0, 1.5);
  return Array.from({ length: shape[0]! }, () => randomArray(rng, shape.slice(1)));
}

test('LSTM → Gemm export matches tfjs in onnxruntime within 1e-5 (gate order and bias layout)', async () => {
  const tf = await loadTf();
  for (const [steps, features, units] of [[5, 8, 16], [3, 2, 4]] as const) {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units, inputShape: [steps, features], recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: 3, activation: 'tanh' }));
    m.add(tf.layers.dense({ units: 1 }));
    randomiseWeights(tf, m, 11 + units);
    const exported = exportSequentialToOnnx(m, { name: 'lstm-test' });
    assert.deepEqual(exported.inputShape, [steps, 1, features]);
    assert.deepEqual(onnxOps(exported.bytes), ['LSTM', 'Reshape', 'Gemm', 'Tanh']);
    const rng = new Rng(units);
    const samples = Array.from({ length: 20 }, () => randomArray(rng, [steps, features])) as number[][][];
    const diff = await compareExport(tf, m, exported, samples);
    assert.ok(diff <= EXPORT_TOLERANCE, `max |tfjs − onnxruntime| = ${diff}`);
  }
});

test('a wrong gate order would be caught: swapping tfjs gates changes the output', async () => {
  // Guards the guard: the comparison above is sensitive to the gate mapping.
  const tf = await loadTf();
  const m = tf.sequential();
  m.add(tf.layers.lstm({ units: 4, inputShape: [4, 3], recurrentActivation: 'sigmoid' }));
  m.add(tf.layers.dense({ units: 1 }));
  randomiseWeights(tf, m, 5);
  const exported = exportSequentialToOnnx(m, { name: 'x' });
  const [k, r, b] = m.layers[0]!.getWeights();
  const swap = (t: import('@tensorflow/tfjs').Tensor) => {
    const parts = tf.split(t, 4, -1);
    return tf.concat([parts[0]!, parts[3]!, parts[2]!, parts[1]!], -1); // i,f,c,o → i,o,c,f
  };
  m.layers[0]!.setWeights([swap(k!), swap(r!), swap(b!)]);
  const rng = new Rng(2);
  const samples = Array.from({ length: 5 }, () => randomArray(rng, [4, 3])) as number[][][];
  assert.ok((await compareExport(tf, m, exported, samples)) > 1e-3);
});

test('Conv → MaxPool → Flatten → Gemm export matches tfjs (NHWC → NCHW, flatten order)', async () => {
  const tf = await loadTf();
  const m = tf.sequential();
  m.add(tf.layers.averagePooling2d({ inputShape: [8, 6, 2], poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 2, kernelSize: [1, 1], padding: 'valid' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 4 }));
  randomiseWeights(tf, m, 9);
  const exported = exportSequentialToOnnx(m, { name: 'cnn-test' });
  assert.deepEqual(exported.inputShape, [1, 2, 8, 6]);
  assert.deepEqual(onnxOps(exported.bytes), ['AveragePool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm']);
  const rng = new Rng(3);
  const samples = Array.from({ length: 10 }, () => randomArray(rng, [8, 6, 2])) as number[][][][];
  const diff = await compareExport(tf, m, exported, samples);
  assert.ok(diff <= EXPORT_TOLERANCE, `max |tfjs − onnxruntime| = ${diff}`);
});

test('MLP with sigmoid output exports to Gemm/Relu/Sigmoid', async () => {
  const tf = await loadTf();
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [5], units: 7, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  randomiseWeights(tf, m, 4);
  const exported = exportSequentialToOnnx(m, { name: 'mlp-test' });
  assert.deepEqual(onnxOps(exported.bytes), ['Gemm', 'Relu', 'Sigmoid']);
  const rng = new Rng(4);
  const samples = Array.from({ length: 10 }, () => randomArray(rng, [5])) as number[][];
  assert.ok((await compareExport(tf, m, exported, samples)) <= EXPORT_TOLERANCE);
});

test('unsupported layers are refused with a typed error', async () => {
  const tf = await loadTf();
  const hard = tf.sequential();
  hard.add(tf.layers.lstm({ units: 2, inputShape: [3, 2] })); // tfjs default recurrentActivation: hardSigmoid
  hard.add(tf.layers.dense({ units: 1 }));
  assert.throws(() => exportSequentialToOnnx(hard, { name: 'x' }), (e: unknown) => e instanceof UnsupportedLayerError && /hardSigmoid/.test(e.message));
  const soft = tf.sequential();
  soft.add(tf.layers.dense({ inputShape: [3], units: 2, activation: 'softmax' }));
  assert.throws(() => exportSequentialToOnnx(soft, { name: 'x' }), UnsupportedLayerError);
});
