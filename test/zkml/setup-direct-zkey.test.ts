import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { readBinSections } from '../../src/zkml/setup/binfile.js';
import { getDevPtau, writeDevPtau } from '../../src/zkml/setup/dev-ptau.js';
import { writeDirectZkey } from '../../src/zkml/setup/direct-zkey.js';
import { readPtauInfo } from '../../src/zkml/setup/ptau.js';
import { readR1csHeader, requiredPower } from '../../src/zkml/setup/r1cs-header.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { compileFixture, testCache, zkeyVerifies } from './prove-fixtures.js';

after(releaseSnarkjsCurve);

const work = join(testCache, `setup-${process.pid}`);

function sectionsEqual(a: string, b: string, ids: number[]): Promise<Array<[number, boolean]>> {
  return Promise.all([readBinSections(a), readBinSections(b)]).then(([sa, sb]) => {
    const A = readFileSync(a), B = readFileSync(b);
    return ids.map((id) => {
      const x = sa.sections.get(id)?.[0], y = sb.sections.get(id)?.[0];
      return [id, !!x && !!y && x.size === y.size && A.subarray(x.offset, x.offset + x.size).equals(B.subarray(y.offset, y.offset + y.size))];
    });
  });
}

test('dev ptau equals what snarkjs `powersoftau prepare phase2` makes of its monomial sections', async () => {
  await mkdir(work, { recursive: true });
  const toxic = { tau: 0x1234567890abcdefn, alpha: 0x55aa55aa55n, beta: 0x77777777n, id: 'test' };
  const mine = join(work, 'mine.ptau'), prepared = join(work, 'prepared.ptau');
  await writeDevPtau(mine, 8, toxic); // ≥ 256 points per section: the multi-threaded path
  await snarkjs.powersOfTau.preparePhase2(mine, prepared);
  const eq = await sectionsEqual(mine, prepared, [1, 2, 3, 4, 5, 6, 12, 13, 14, 15]);
  assert.deepEqual(eq.filter(([, ok]) => !ok), [], 'every section identical');
  const info = await readPtauInfo(mine);
  assert.deepEqual({ power: info.power, prepared: info.prepared }, { power: 8, prepared: true });
});

for (const [fixture, extraPower] of [['affine', 0], ['square-chain', 0], ['square-chain', 1]] as const) {
  test(`direct zkey (${fixture}, ptau power +${extraPower}) is byte-identical to snarkjs zkey new and passes zkey verify after a contribution`, async () => {
    await mkdir(work, { recursive: true });
    const c = await compileFixture(fixture);
    const power = requiredPower(await readR1csHeader(c.r1cs)) + extraPower;
    const ptau = await getDevPtau(power, { cacheDir: testCache });
    const direct = join(work, `${fixture}-${power}-direct.zkey`), reference = join(work, `${fixture}-${power}-new.zkey`);
    await writeDirectZkey({ r1csPath: c.r1cs, zkeyPath: direct, toxic: ptau.toxic, ptauPower: ptau.power });
    await snarkjs.zKey.newZKey(c.r1cs, ptau.path, reference);
    assert.ok(readFileSync(direct).equals(readFileSync(reference)), 'direct zkey bytes == zkey new bytes');
    const final = join(work, `${fixture}-${power}-final.zkey`);
    await snarkjs.zKey.contribute(direct, final, 'test', 'some entropy');
    assert.equal(await zkeyVerifies(c.r1cs, ptau.path, final), true);
  });
}

test('direct zkey with its phase-2 contribution applied in one pass passes zkey verify', async () => {
  await mkdir(work, { recursive: true });
  const c = await compileFixture('square-chain');
  const power = requiredPower(await readR1csHeader(c.r1cs));
  const ptau = await getDevPtau(power, { cacheDir: testCache });
  const zkey = join(work, 'contributed.zkey');
  await writeDirectZkey({ r1csPath: c.r1cs, zkeyPath: zkey, toxic: ptau.toxic, ptauPower: ptau.power, contribution: { delta: 0x1234567n, name: 'test' } });
  assert.equal(await zkeyVerifies(c.r1cs, ptau.path, zkey), true);
  // the same with a key from another τ is refused
  const bad = join(work, 'contributed-bad.zkey');
  await writeDirectZkey({ r1csPath: c.r1cs, zkeyPath: bad, toxic: { ...ptau.toxic, tau: ptau.toxic.tau + 1n }, ptauPower: ptau.power, contribution: { delta: 0x1234567n, name: 'test' } });
  assert.equal(await zkeyVerifies(c.r1cs, ptau.path, bad), false);
});

test('zkey verify rejects a direct zkey made from a different secret', async () => {
  await mkdir(work, { recursive: true });
  const c = await compileFixture('affine');
  const power = requiredPower(await readR1csHeader(c.r1cs));
  const ptau = await getDevPtau(power, { cacheDir: testCache });
  const wrong = join(work, 'wrong.zkey'), final = join(work, 'wrong-final.zkey');
  await writeDirectZkey({ r1csPath: c.r1cs, zkeyPath: wrong, toxic: { ...ptau.toxic, tau: ptau.toxic.tau + 1n }, ptauPower: ptau.power });
  await snarkjs.zKey.contribute(wrong, final, 'test', 'entropy');
  assert.equal(await zkeyVerifies(c.r1cs, ptau.path, final), false);
  await rm(work, { recursive: true, force: true });
});
