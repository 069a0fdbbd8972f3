import { z } from 'zod';
import { Rng } from '../random.js';
import { drawShape, IMAGE_SIZE, SHAPE_CLASSES } from '../shapes/generate.js';
import { SHAPES_CNN_NAME, trainShapesCnn } from '../shapes/train.js';
import { tensorArraySchema } from '../tensor-schema.js';
import type { ZooModel } from './types.js';

const inputShape = [1, 1, IMAGE_SIZE, IMAGE_SIZE];

export const shapesCnn: ZooModel = {
  name: SHAPES_CNN_NAME,
  description: `Small CNN classifying ${IMAGE_SIZE}×${IMAGE_SIZE} synthetic shapes (${SHAPE_CLASSES.join(', ')})`,
  inputDoc: 'grey image (NCHW), values about 0..1',
  outputDoc: `${SHAPE_CLASSES.length} class logits; argmax is the class`,
  inputShape,
  outputShape: [1, SHAPE_CLASSES.length],
  inputSchema: z.object({ input: tensorArraySchema(inputShape) }),
  acceptsCsv: false,
  sampleInput(seed) {
    const rng = new Rng(seed);
    return drawShape(rng, rng.int(0, SHAPE_CLASSES.length - 1));
  },
  async train(opts) {
    return trainShapesCnn({
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
      ...(opts.count === undefined ? {} : { count: opts.count }),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  },
};
