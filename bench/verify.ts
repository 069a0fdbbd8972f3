// npm run bench:verify — Groth16 verification throughput, one proof at a time (the engine's `verify`, snarkjs's
// pairing check: the baseline) vs batch verification (src/zkml/verify/batch.ts: one multi-pairing per batch with
// fresh random scalars) for k = 1, 8, 32, 128 proofs of one circuit: the scoring-ema circuit (proof of weights;
// the header line prints its constraints and public signals). Keys INSECURE-DEV (dev setup); circuit and proofs cached under .cache/bench-verify/.
// Medians over --runs rounds; every round verifies the same proofs both ways with the verifier's own inputs bound.
// Options: --runs 3   --sizes 1,8,32,128
// Ends with the line `batch-verify speedup k=32: N.NNx` (batch proofs/s ÷ single proofs/s, same run).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { compileZooModel } from '../src/models/compiled.js';
import { getZooModel } from '../src/models/zoo.js';
import { packageRoot } from '../src/zkml/prove/native/addon.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve } from '../src/zkml/prove/index.js';
import { loadArtifacts } from '../src/zkml/artifacts/index.js';
import type { ProofFile } from '../src/zkml/format/proof-file.js';
import { verify, verifyBatch, verifierKeyFromVk } from '../src/zkml/verify/index.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

const runs = Number(arg('runs', '3'));
const sizes = arg('sizes', '1,8,32,128').split(',').map(Number);
const maxK = Math.max(...sizes);
const CACHE = join(packageRoot(), '.cache', 'bench-verify');
const NAME = 'scoring-ema';

try {
  mkdirSync(CACHE, { recursive: true });
  const compiled = await compileZooModel(NAME, { outDir: join(CACHE, NAME) });
  const art = await loadArtifacts(compiled.dir);
  const key = verifierKeyFromVk(art.vk, art.metadata);
  const model = getZooModel(NAME);
  const proofsFile = join(CACHE, `proofs-${art.metadata.id.slice(0, 16)}.json`);
  let cached: Array<{ input: number[]; proof: ProofFile }> = existsSync(proofsFile) ? JSON.parse(readFileSync(proofsFile, 'utf8')) : [];
  if (cached.length < maxK) {
    process.stderr.write(`proving ${maxK - cached.length} proofs of ${NAME} (cached for later runs)…\n`);
    for (let i = cached.length; i < maxK; i++) {
      const input = model.sampleInput(5000 + i);
      const proof = await prove(compiled.dir, { input_data: [input] }, { artifacts: art });
      cached.push({ input, proof: { ...proof, timings: undefined } as unknown as ProofFile });
      if ((i + 1) % 16 === 0) process.stderr.write(`  ${i + 1}/${maxK}\n`);
    }
    writeFileSync(proofsFile, JSON.stringify(cached));
  }
  cached = cached.slice(0, maxK);
  const items = cached.map((c) => ({ proofFile: c.proof, input: { input_data: [c.input] } }));

  // warm-up both paths (snarkjs's curve, noble's tables)
  await verify(key, items[0]!.proofFile, { input: items[0]!.input });
  await verifyBatch(key, items.slice(0, 2));

  console.log(`device: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}; circuit ${NAME}: ${art.metadata.constraints} constraints, ${art.metadata.publicLayout.total} public signals; median of ${runs} rounds`);
  console.log('k     single proofs/s   batch proofs/s   speedup   batch checks');
  const speedups = new Map<number, number>();
  for (const k of sizes) {
    const batch = items.slice(0, k);
    const singleMs: number[] = [];
    const batchMs: number[] = [];
    let checks = 0;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      for (const it of batch) {
        const v = await verify(key, it.proofFile, { input: it.input });
        if (!v.valid) throw new Error(`single verify failed: ${v.reason}`);
      }
      singleMs.push(performance.now() - t);
      t = performance.now();
      const b = await verifyBatch(key, batch);
      batchMs.push(performance.now() - t);
      if (!b.results.every((x) => x.valid)) throw new Error('batch verify rejected a valid proof');
      checks = b.checks;
    }
    const single = (k * 1000) / median(singleMs);
    const batched = (k * 1000) / median(batchMs);
    speedups.set(k, batched / single);
    console.log(`${String(k).padEnd(5)} ${single.toFixed(1).padStart(15)}   ${batched.toFixed(1).padStart(14)}   ${(batched / single).toFixed(2).padStart(6)}x   ${checks}`);
  }
  const s32 = speedups.get(32);
  if (s32 !== undefined) console.log(`batch-verify speedup k=32: ${s32.toFixed(2)}x`);
} finally {
  await closeDefaultPools();
  await releaseSnarkjsCurve();
}
