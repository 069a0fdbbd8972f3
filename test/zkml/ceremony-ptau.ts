// A real (small) powers-of-tau ceremony output for tests: snarkjs's own new accumulator → one random
// contribution → prepare phase 2, cached under .cache/. Unlike a copy of a dev ptau it records a contribution
// and its secret is unknown, so zkinfer labels keys made from it `ceremony` (docs/security.md).
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { snarkjsCurve } from '../../src/zkml/prove/curve.js';
import { testCache } from './prove-fixtures.js';

export async function ceremonyTestPtau(power: number): Promise<string> {
  const dir = join(testCache, 'ceremony-ptau');
  const out = join(dir, `ceremony-test-${String(power).padStart(2, '0')}.ptau`);
  if (existsSync(out)) return out;
  await mkdir(dir, { recursive: true });
  const tmp = `${out}.${process.pid}`;
  try {
    await snarkjs.powersOfTau.newAccumulator(await snarkjsCurve(), power, `${tmp}.0`);
    await snarkjs.powersOfTau.contribute(`${tmp}.0`, `${tmp}.1`, 'zkinfer test contribution', randomBytes(32).toString('hex'));
    await snarkjs.powersOfTau.preparePhase2(`${tmp}.1`, tmp);
    await rename(tmp, out);
  } finally {
    await rm(`${tmp}.0`, { force: true });
    await rm(`${tmp}.1`, { force: true });
    await rm(tmp, { force: true });
  }
  return out;
}
