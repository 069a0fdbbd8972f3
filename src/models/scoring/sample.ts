import { Rng } from '../random.js';
import { SCORING_ROWS } from './build.js';

/** A seeded batch of scoring inputs [rows][batch]: n-scaled scores, 80 % verified, times/sizes a bit past the clamps. */
export function sampleScoringBatch(seed: number, batch: number): number[][] {
  const rng = new Rng(seed);
  const rows: number[][] = SCORING_ROWS.map(() => []);
  for (let j = 0; j < batch; j++) {
    rows[0]!.push(rng.next());
    rows[1]!.push(rng.bernoulli(0.8) ? 1 : 0);
    rows[2]!.push(rng.uniform(-0.05, 1.1));
    rows[3]!.push(rng.uniform(0, 1.2));
    rows[4]!.push(rng.next());
  }
  return rows;
}
