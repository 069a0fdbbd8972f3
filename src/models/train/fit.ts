import type * as tfTypes from '@tensorflow/tfjs';
import { Rng } from '../random.js';
import type { Tf } from './tf.js';

export interface FitOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Called after every batch with (batches done, total batches, last batch loss). */
  onBatch?: (done: number, total: number, loss: number) => void;
}

/**
 * Mini-batch training with our own seeded shuffling (tfjs's `fit` shuffles with Math.random). With seeded
 * initialisers this makes a run reproducible on the pure-JS CPU backend.
 */
export async function fitSeeded(tf: Tf, model: tfTypes.LayersModel, x: tfTypes.Tensor, y: tfTypes.Tensor, opts: FitOptions): Promise<number> {
  const n = x.shape[0]!;
  const rng = new Rng(opts.seed ^ 0x5eed);
  const perBatch = Math.ceil(n / opts.batchSize);
  const total = perBatch * opts.epochs;
  let done = 0;
  let lastLoss = Number.NaN;
  for (let e = 0; e < opts.epochs; e++) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let b = 0; b < perBatch; b++) {
      const idx = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
      const [bx, by] = tf.tidy(() => {
        const ix = tf.tensor1d(idx, 'int32');
        return [tf.gather(x, ix), tf.gather(y, ix)] as const;
      });
      const out = await model.trainOnBatch(bx, by);
      bx.dispose();
      by.dispose();
      lastLoss = Array.isArray(out) ? out[0]! : (out as number);
      done++;
      opts.onBatch?.(done, total, lastLoss);
    }
  }
  return lastLoss;
}
