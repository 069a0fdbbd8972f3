import { Rng } from '../random.js';
import { drawShape, IMAGE_SIZE, SHAPE_CLASSES } from '../shapes/generate.js';
import { SHAPES_CNN_NAME, trainShapesCnn } from '../shapes/train.js';
import { describeClasses, tensorInputSchema, tensorRequest } from './requests.js';
import type { ZooModel } from './types.js';

const inputShape = [1, 1, IMAGE_SIZE, IMAGE_SIZE];

/** A seeded image of a random class (NCHW, flat). */
export function sampleShape(seed: number): number[] {
  const rng = new Rng(seed);
  return drawShape(rng, rng.int(0, SHAPE_CLASSES.length - 1));
}

export const shapesCnn: ZooModel = {
  name: SHAPES_CNN_NAME,
  description: `Small CNN classifying ${IMAGE_SIZE}×${IMAGE_SIZE} synthetic shapes (${SHAPE_CLASSES.join(', ')})`,
  inputDoc: 'grey image (NCHW), values about 0..1',
  outputDoc: `${SHAPE_CLASSES.length} class logits; argmax is the class`,
  inputShape,
  outputShape: [1, SHAPE_CLASSES.length],
  inputSchema: tensorInputSchema(inputShape),
  request: tensorRequest(inputShape, sampleShape),
  describe: (output) => describeClasses(output, SHAPE_CLASSES),
  acceptsCsv: false,
  sampleInput: sampleShape,
  async train(opts) {
    return trainShapesCnn({
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
      ...(opts.count === undefined ? {} : { count: opts.count }),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  },
};
