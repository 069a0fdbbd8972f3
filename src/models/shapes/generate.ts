import { Rng } from '../random.js';

/** Classes of the synthetic shapes data set, in label order. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'cross'] as const;
export const IMAGE_SIZE = 16;

/**
 * One 16×16 grey image (row-major, values ~0..1) of a shape of class `label`: random centre, size and stroke
 * intensity, plus Gaussian pixel noise. Filled circle/square/triangle, or a plus-shaped cross.
 */
export function drawShape(rng: Rng, label: number): number[] {
  const N = IMAGE_SIZE;
  const img = new Array<number>(N * N).fill(0);
  const r = rng.uniform(3, 6);
  const cx = rng.uniform(r + 0.5, N - r - 0.5);
  const cy = rng.uniform(r + 0.5, N - r - 0.5);
  const ink = rng.uniform(0.6, 1);
  const thick = rng.uniform(1, 2);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      let on = false;
      switch (SHAPE_CLASSES[label]) {
        case 'circle':
          on = dx * dx + dy * dy <= r * r;
          break;
        case 'square':
          on = Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
          break;
        case 'triangle': // apex up: |dx| grows with dy
          on = dy >= -r && dy <= r * 0.8 && Math.abs(dx) <= ((dy + r) / (1.8 * r)) * r;
          break;
        case 'cross':
          on = (Math.abs(dx) <= thick && Math.abs(dy) <= r) || (Math.abs(dy) <= thick && Math.abs(dx) <= r);
          break;
      }
      img[y * N + x] = (on ? ink : 0) + rng.normal(0, 0.1);
    }
  }
  return img;
}

/** `count` labelled images, classes balanced in expectation (seeded). */
export function generateShapes(count: number, seed: number): { images: number[][]; labels: number[] } {
  const rng = new Rng(seed);
  const images: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = rng.int(0, SHAPE_CLASSES.length - 1);
    labels.push(label);
    images.push(drawShape(rng, label));
  }
  return { images, labels };
}
