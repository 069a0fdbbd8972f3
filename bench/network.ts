// npm run bench:network — the network path on the staking LSTM (zoo model, compiled on first run, cached).
//
// Real parts: devnet chain (in-process), a miner axon (fastify, Bittensor wire protocol, sr25519 signatures)
// proving in the zkML engine's worker pool, a dendrite sending signed QueryZkProof requests, and the
// validator's verification (inputs bound, snarkjs Groth16 verify). Measured in the same run:
//   prove (pool, no network)      baseline: the same pool proving directly, one job at a time
//   miner, C concurrent           sustained proofs/s and latency through the axon (C requests in flight)
//   100-concurrent burst          every request answered 200 or 503 (none dropped), the miner still serving
//   verify (snarkjs)              baseline: raw snarkjs groth16.verify of one proof
//   verify (validator)            verifyMinerProof: proof-file schema, own-input binding, Groth16 verify
// Options: --requests N (default 12)  --concurrency C (default 4)  --workers W (default 1)  --verifies V (default 100)
import * as snarkjs from 'snarkjs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../src/chain/devnet/devnet.js';
import { taoToRao } from '../src/chain/types.js';
import { CircuitStore } from '../src/miner/circuit-store.js';
import { Miner } from '../src/miner/miner.js';
import { PoolBackend } from '../src/miner/pool-backend.js';
import { compileZooModel } from '../src/models/compiled.js';
import { getZooModel } from '../src/models/zoo.js';
import { encodeInputs, type RealInputs } from '../src/protocol/circuit-io.js';
import { Dendrite } from '../src/protocol/dendrite.js';
import { QueryOutputSchema, SYNAPSES, type QueryZkProof } from '../src/protocol/synapses.js';
import { verifyMinerProof } from '../src/validator/verify-proof.js';
import { releaseSnarkjsCurve } from '../src/zkml/prove/curve.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = arg('requests', 12);
const CONCURRENCY = arg('concurrency', 4);
const WORKERS = arg('workers', 1);
const VERIFIES = arg('verifies', 100);

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const p = (s.length - 1) * q;
  return s[Math.floor(p)]! + (s[Math.ceil(p)]! - s[Math.floor(p)]!) * (p - Math.floor(p));
}

interface Row { name: string; n: number; perS: number; p50: number; p95: number; ratio?: string; note?: string }
const rows: Row[] = [];

async function main(): Promise<void> {
  await cryptoWaitReady();
  const compiled = await compileZooModel('staking-lstm', { onProgress: (s, d, t) => process.stderr.write(`\r${s} ${d}/${t}   `) });
  process.stderr.write('\n');
  const meta = compiled.metadata;
  const zoo = getZooModel('staking-lstm');
  const inputName = meta.inputs[0]!.name;
  let seed = 1;
  const nextInputs = (): RealInputs => ({ [inputName]: zoo.sampleInput(seed++) });

  const devnet = await Devnet.open({ fast: true });
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const cold = k.addFromUri('//BenchCold');
  const vHot = k.addFromUri('//BenchValidator');
  const mHot = k.addFromUri('//BenchMiner');
  await devnet.faucet(cold.address, taoToRao(10_000));
  await devnet.burnedRegister(1, cold, vHot.address);
  await devnet.addStake(cold, vHot.address, taoToRao(100));
  await devnet.burnedRegister(1, cold, mHot.address);
  const circuits = new CircuitStore();
  const served = await circuits.add(compiled.dir, { capacity: WORKERS, queue: 256 });
  const backend = new PoolBackend({ size: WORKERS, maxQueue: 256 });
  const miner = new Miner({ hotkey: mHot, chain: devnet, netuid: 1, circuits, backend, concurrency: 2 * WORKERS, maxQueue: 64 });
  const port = await miner.start();
  const target = { ip: '127.0.0.1', port, hotkey: mHot.address };
  const dendrite = new Dendrite(vHot);

  // Warm the prover (keys loaded in the worker).
  await backend.prove(served, encodeInputs(meta, nextInputs()));

  // Baseline: the pool directly, sequential.
  const base: number[] = [];
  const baseStart = performance.now();
  for (let i = 0; i < Math.max(3, Math.ceil(REQUESTS / 2)); i++) {
    const t = performance.now();
    await backend.prove(served, encodeInputs(meta, nextInputs()));
    base.push(performance.now() - t);
  }
  const basePerS = base.length / ((performance.now() - baseStart) / 1000);
  rows.push({ name: 'prove (pool, no network, sequential)', n: base.length, perS: basePerS, p50: quantile(base, 0.5), p95: quantile(base, 0.95), ratio: '1.00' });

  // Miner through the axon with C requests in flight.
  const proofs: Array<{ out: { proof: unknown; public_signals: string[] }; inputs: RealInputs }> = [];
  const lat: number[] = [];
  let next = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next++;
      const inputs = nextInputs();
      const r = await dendrite.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: meta.id, public_inputs: inputs } }, 120);
      if (r.status !== 200) { failures++; continue; }
      lat.push(r.elapsedS * 1000);
      proofs.push({ out: QueryOutputSchema.parse(JSON.parse(r.synapse!.query_output!)) as { proof: unknown; public_signals: string[] }, inputs });
    }
  }));
  const perS = lat.length / ((performance.now() - start) / 1000);
  rows.push({ name: `miner via axon, ${CONCURRENCY} in flight`, n: lat.length, perS, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), ratio: (perS / basePerS).toFixed(2), note: `${failures} failed` });

  // 100 concurrent requests: each must be answered 200 or 503.
  const burst = await Promise.all(Array.from({ length: 100 }, () =>
    dendrite.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: meta.id, public_inputs: nextInputs() } }, 300)));
  const by = new Map<number, number>();
  for (const r of burst) by.set(r.status, (by.get(r.status) ?? 0) + 1);
  const after = await dendrite.call(target, SYNAPSES.QueryForCapacities, {}, 10);
  const burstLat = burst.filter((r) => r.status === 200).map((r) => r.elapsedS * 1000);
  rows.push({ name: '100 concurrent requests', n: 100, perS: Number.NaN, p50: quantile(burstLat, 0.5), p95: quantile(burstLat, 0.95),
    note: `${[...by].map(([s, n]) => `${n}×${s}`).join(', ')}; miner still serving: ${after.status === 200}` });

  // Verification: raw snarkjs vs the validator's bound verification.
  const one = proofs[0]!;
  const vkRaw = (await import('../src/zkml/artifacts/index.js')).loadArtifacts;
  const artifacts = await vkRaw(compiled.dir, { need: ['vk'] });
  const raw: number[] = [];
  const rawStart = performance.now();
  for (let i = 0; i < VERIFIES; i++) {
    const t = performance.now();
    await snarkjs.groth16.verify(artifacts.vk, one.out.public_signals, one.out.proof);
    raw.push(performance.now() - t);
  }
  const rawPerS = VERIFIES / ((performance.now() - rawStart) / 1000);
  rows.push({ name: 'verify (raw snarkjs groth16.verify)', n: VERIFIES, perS: rawPerS, p50: quantile(raw, 0.5), p95: quantile(raw, 0.95), ratio: '1.00' });
  const ver: number[] = [];
  let valid = 0;
  const verStart = performance.now();
  for (let i = 0; i < VERIFIES; i++) {
    const p = proofs[i % proofs.length]!;
    const t = performance.now();
    if ((await verifyMinerProof(artifacts, p.out, p.inputs)).valid) valid++;
    ver.push(performance.now() - t);
  }
  const verPerS = VERIFIES / ((performance.now() - verStart) / 1000);
  rows.push({ name: 'verify (validator: bind inputs + verify)', n: VERIFIES, perS: verPerS, p50: quantile(ver, 0.5), p95: quantile(ver, 0.95), ratio: (verPerS / rawPerS).toFixed(2), note: `${valid}/${VERIFIES} valid` });

  dendrite.close();
  await miner.stop();
  await backend.close();
  await devnet.close();
  await releaseSnarkjsCurve();

  console.log(`\nstaking-lstm: ${meta.constraints} constraints, ${WORKERS} prover worker(s), prover ${process.env['ZKINFER_PROVER'] ?? 'auto'}`);
  console.log('| measurement | n | per s | p50 ms | p95 ms | ratio vs baseline | note |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${Number.isNaN(r.perS) ? '-' : r.perS.toFixed(2)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.ratio ?? '-'} | ${r.note ?? ''} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
