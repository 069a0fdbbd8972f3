/** Task `shapes-classification` (docs/competitions.md): the zoo's 16×16 shapes, ranked by accuracy. */
import { OnnxBuilder } from '../../zkml/onnx/write.js';
import { calibrationData } from '../../models/calibration.js';
import { generateShapes, IMAGE_SIZE, SHAPE_CLASSES } from '../../models/shapes/generate.js';
import { sampleShape } from '../../models/zoo/shapes-cnn.js';
import { describeClasses, tensorInputSchema, tensorRequest } from '../../models/zoo/requests.js';
import { ridgeFit } from '../fit.js';
import type { CompetitionTask, EvalItem } from '../task.js';

export const SHAPES_TASK = 'shapes-classification';
const inputShape = [1, 1, IMAGE_SIZE, IMAGE_SIZE];
const N_CLASSES = SHAPE_CLASSES.length;
/** The baseline averages 4×4 blocks: 16 features. */
const POOL = 4;

function argmax(v: readonly number[]): number {
  return v.indexOf(Math.max(...v));
}

/** Mean of each POOL×POOL block of a flat IMAGE_SIZE² image (what the baseline's AveragePool computes). */
function pooled(img: readonly number[]): number[] {
  const n = IMAGE_SIZE / POOL;
  const out: number[] = [];
  for (let by = 0; by < n; by++) {
    for (let bx = 0; bx < n; bx++) {
      let s = 0;
      for (let y = 0; y < POOL; y++) for (let x = 0; x < POOL; x++) s += img[(by * POOL + y) * IMAGE_SIZE + bx * POOL + x]!;
      out.push(s / (POOL * POOL));
    }
  }
  return out;
}

/**
 * A linear classifier on 4×4-pooled pixels as ONNX (AveragePool → Flatten → Gemm): `W` is [classes][16],
 * `b` [classes]. The baseline fits W and b; any other values make another (valid) submission.
 */
export function shapesLinearOnnx(W: readonly number[][], b: readonly number[], name = SHAPES_TASK): Uint8Array {
  const o = new OnnxBuilder(name);
  o.input('input', inputShape);
  o.node('AveragePool', ['input'], ['pool'], { kernel_shape: [POOL, POOL], strides: [POOL, POOL] });
  o.node('Flatten', ['pool'], ['flat'], { axis: 1 });
  o.node('Gemm', ['flat', o.init('W', [N_CLASSES, W[0]!.length], W.flat()), o.init('b', [N_CLASSES], b)], ['output'], { transB: 1 });
  o.output('output', [1, N_CLASSES]);
  return o.toBytes();
}

export const shapesTask: CompetitionTask = {
  name: SHAPES_TASK,
  description: `Classify ${IMAGE_SIZE}×${IMAGE_SIZE} synthetic shapes (${SHAPE_CLASSES.join(', ')}); ranked by accuracy on a hidden set`,
  inputDoc: 'grey image (NCHW), values 0..1 (the zoo shapes generator)',
  outputDoc: `${N_CLASSES} class scores; argmax is the class`,
  inputShape,
  outputShape: [1, N_CLASSES],
  inputSchema: tensorInputSchema(inputShape),
  request: tensorRequest(inputShape, sampleShape),
  describe: (output) => describeClasses(output, SHAPE_CLASSES),
  sampleInput: sampleShape,
  inputBound: 1,
  competition: {
    evalCount: 24,
    draw(seed: number, count: number): EvalItem[] {
      const { images, labels } = generateShapes(count, seed);
      return images.map((input, i) => ({ input, truth: labels[i]! }));
    },
    metric: {
      name: 'accuracy',
      doc: 'fraction of hidden images whose proven argmax is the true class (no valid proof = wrong); output score = accuracy',
      evaluate(outputs, items) {
        const right = items.filter((it, i) => outputs[i] !== undefined && argmax(outputs[i]!) === it.truth).length;
        const acc = items.length ? right / items.length : 0;
        return { value: acc, score: acc };
      },
    },
    weights: { accuracy: 0.9, proofSize: 0.05, proveTime: 0.05 },
    startBlock: 0,
    deadlineBlocks: 1_000_000,
    baseline() {
      const { images, labels } = generateShapes(2000, 20261205);
      const fit = ridgeFit(images.map(pooled), labels.map((l) => SHAPE_CLASSES.map((_, c) => (c === l ? 1 : 0))), 1e-2);
      return {
        onnx: shapesLinearOnnx(fit.W, fit.b),
        calibration: calibrationData(shapesTask, undefined),
        doc: 'ridge-regression linear classifier on 4×4-pooled pixels (AveragePool → Flatten → Gemm), 2000 seeded training images',
      };
    },
  },
};
