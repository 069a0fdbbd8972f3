// npm run bench:fleet — the proving fleet (docs/scale-out.md) on the staking LSTM (zoo model, compiled on first
// run, cached), against the local worker-thread pool in the same run.
//
// Real parts: Debian's redis-server on a free loopback port, `zkinfer prover-worker` child processes (as a user
// types them), the miner's FleetBackend (BullMQ queue per circuit), the zkML engine's ProverPool as baseline.
// Rows: local pool (1 thread) with the same number of proofs in flight (baseline); fleet with 1, 2, 4 worker
// processes, proofs/s and per-job queue overhead (miner round trip minus the worker's witness+prove time; the local
// pool's row with 1 in flight shows the same measure for the pool alone, the worker-thread hop both pay), each with
// results on the miner's reply channel (the default) and through BullMQ's event stream alone (the fallback path,
// as before the reply channel), measured in alternating order in the same runs. The overhead is split into hops by
// the worker's timestamps: to worker (enqueue → the worker's processor starts), in worker (its time around the
// prover: checks and its own worker-thread hop), back (proof ready → the miner has the result).
// This machine has 2 cores: the point is the correctness of the split and the overhead per job (target ≤ 5 ms
// p50), not a speed-up. Options: --requests N (default 8)  --workers 1,2,4  --prover auto|native|snarkjs
// --runs R (default 3): each fleet row is measured R times on the same warm workers; proofs/s and p50/p95 are
// the median run's, the queue overhead is the median of the runs' p50s (each run's p50 in the note); with 1 in
// flight the local pool's hop is measured again after every run and its median is subtracted. The load
// average of the machine is printed with the table: on a shared machine it decides the overhead.
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { CircuitStore } from '../src/miner/circuit-store.js';
import { PoolBackend } from '../src/miner/pool-backend.js';
import { FleetBackend } from '../src/fleet/backend.js';
import { quantile } from '../src/api/validator-view.js';
import { compileZooModel } from '../src/models/compiled.js';
import { getZooModel } from '../src/models/zoo.js';
import { encodeInputs } from '../src/protocol/circuit-io.js';
import type { ProofBackend } from '../src/miner/miner.js';
import type { ServedCircuit } from '../src/miner/circuit-store.js';
import { repoRoot, zkinferArgv } from '../test/zkml/prove-fixtures.js';
import { skipWithoutRedis, startRedis } from '../test/fleet/redis-harness.js';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const REQUESTS = Number(arg('requests', '8'));
const FLEETS = arg('workers', '1,2,4').split(',').map(Number);
const PROVER = arg('prover', 'auto');
const RUNS = Number(arg('runs', '3'));
const median = (xs: number[]): number => quantile(xs, 0.5)!;
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');

interface FleetRun { perS: number; p50: number; p95: number; overheadP50: number; jobs: string; hops: number[] }
interface Row { name: string; n: number; perS: number; p50: number; p95: number; overheadP50?: number; ratio?: string; note?: string }

/** Prove REQUESTS jobs with `inFlight` at a time; latencies in ms and proofs/s. */
async function run(backend: ProofBackend, circuit: ServedCircuit, inputs: () => Record<string, string[]>, inFlight: number): Promise<{ lat: number[]; perS: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < REQUESTS) {
      next++;
      const t = performance.now();
      await backend.prove(circuit, inputs());
      lat.push(performance.now() - t);
    }
  }));
  return { lat, perS: lat.length / ((performance.now() - t0) / 1000) };
}

async function main(): Promise<void> {
  if (skipWithoutRedis) throw new Error(skipWithoutRedis);
  const loadStart = load();
  const compiled = await compileZooModel('staking-lstm', { onProgress: (s, d, t) => process.stderr.write(`\r${s} ${d}/${t}   `) });
  process.stderr.write('\n');
  const meta = compiled.metadata;
  const zoo = getZooModel('staking-lstm');
  let seed = 1;
  const inputs = (): Record<string, string[]> => encodeInputs(meta, { [meta.inputs[0]!.name]: zoo.sampleInput(seed++) });
  const circuits = new CircuitStore();
  const circuit = await circuits.add(compiled.dir);
  const rows: Row[] = [];

  for (const w of FLEETS) {
    // Baseline: the local pool (one thread, as `zkinfer miner --workers 1`), same proofs in flight.
    // Its own overhead (round trip minus the reported witness + prove time: the worker-thread hop) is measured the
    // same way as the fleet's, so the part the queue adds is the difference of the two. With 1 in flight it is
    // measured again in every run, next to the fleet's runs, so load swings on a shared machine hit both alike.
    const pool = new PoolBackend({ size: 1, prover: PROVER as 'auto' });
    const poolOverhead: number[] = [];
    const local: ProofBackend = {
      async prove(c, signals) {
        const t = performance.now();
        const r = await pool.pool.prove({ wasmPath: c.artifacts.paths.witness, zkeyPath: c.artifacts.paths.zkey, signals });
        poolOverhead.push(Math.max(0, performance.now() - t - r.witnessMs - r.proveMs));
        return { proof: r.proof, publicSignals: r.publicSignals };
      },
    };
    await local.prove(circuit, inputs());
    poolOverhead.length = 0;
    const base = await run(local, circuit, inputs, w);
    const hops = [quantile(poolOverhead, 0.5)!];
    rows.push({ name: `local pool (1 thread), ${w} in flight`, n: base.lat.length, perS: base.perS, p50: quantile(base.lat, 0.5)!, p95: quantile(base.lat, 0.95)!, ratio: '1.00' });

    const redis = await startRedis();
    const procs: ChildProcess[] = [];
    for (let i = 0; i < w; i++) {
      const p = spawn(process.execPath, zkinferArgv(['prover-worker', '--queue', redis.url, '--circuit', `${compiled.dir}:1`, '--prover', PROVER]), { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
      procs.push(p);
    }
    const fleet = new FleetBackend({ url: redis.url, circuits, pollMs: 200, logEveryS: 0 });
    await fleet.start();
    while ((fleet.fleet().get(circuit.id)?.capacity ?? 0) < w) await new Promise((r) => setTimeout(r, 200));
    await run(fleet, circuit, inputs, w).catch(() => undefined); // warm every worker (keys loaded)
    // Each run measures both result paths on the same warm workers, in alternating order.
    const runs: Record<'event' | 'reply', FleetRun[]> = { event: [], reply: [] };
    for (let k = 0; k < RUNS; k++) {
      for (const mode of k % 2 ? (['reply', 'event'] as const) : (['event', 'reply'] as const)) {
        const fresh = new FleetBackend({ url: redis.url, circuits, pollMs: 200, logEveryS: 0, replyChannel: mode === 'reply' });
        await fresh.start();
        const r = await run(fresh, circuit, inputs, w);
        const st = fresh.fleet().get(circuit.id)!;
        runs[mode].push({
          perS: r.perS, p50: quantile(r.lat, 0.5)!, p95: quantile(r.lat, 0.95)!, overheadP50: st.overhead.p(0.5) ?? Number.NaN, jobs: st.workers.map((x) => `${x.jobs}`).join('+'),
          hops: [st.hops.toWorker.p(0.5) ?? Number.NaN, st.hops.inWorker.p(0.5) ?? Number.NaN, st.hops.back.p(0.5) ?? Number.NaN],
        });
        await fresh.close();
      }
      if (w === 1) {
        poolOverhead.length = 0;
        await run(local, circuit, inputs, 1);
        hops.push(quantile(poolOverhead, 0.5)!);
      }
    }
    await pool.close();
    const hop = median(hops);
    if (w === 1) Object.assign(rows[rows.length - 1]!, { overheadP50: hop, note: `overhead here = the worker-thread hop (no queue); per run ${hops.map((x) => x.toFixed(1)).join(', ')} ms` });
    for (const mode of ['event', 'reply'] as const) {
      const rs = runs[mode];
      const mid = [...rs].sort((a, b) => a.perS - b.perS)[Math.floor(rs.length / 2)]!;
      const over = median(rs.map((x) => x.overheadP50));
      const split = [0, 1, 2].map((i) => median(rs.map((x) => x.hops[i]!)).toFixed(1));
      rows.push({
        name: `fleet, ${w} worker process${w > 1 ? 'es' : ''}, ${w} in flight, results ${mode === 'reply' ? 'on the reply channel' : 'via the BullMQ event stream'}`, n: REQUESTS * RUNS, perS: mid.perS, p50: mid.p50, p95: mid.p95,
        overheadP50: over, ratio: (mid.perS / base.perS).toFixed(2),
        note: `${RUNS} runs; overhead p50 per run ${rs.map((x) => x.overheadP50.toFixed(1)).join(', ')} ms${w === 1 ? `; **added by the queue** (minus the local pool's thread hop) **${(over - hop).toFixed(1)} ms**` : ''}; hops p50: to worker ${split[0]}, in worker ${split[1]}, back ${split[2]} ms; ${mid.jobs} jobs per worker (incl. warm-up)`,
      });
    }
    await fleet.close();
    for (const p of procs) {
      const exited = new Promise((res) => p.once('exit', res));
      p.kill('SIGTERM');
      await exited;
    }
    await redis.stop();
  }

  console.log(`\nbench:fleet — staking LSTM, ${REQUESTS} proofs per run, prover ${PROVER}, ${new Date().toISOString()}, load average (1/5/15 min) ${loadStart} at start, ${load()} at end\n`);
  console.log('| measurement | n | proofs/s | p50 ms | p95 ms | queue overhead p50 ms | ratio vs local pool | note |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.perS.toFixed(2)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.overheadP50 === undefined ? '-' : r.overheadP50.toFixed(1)} | ${r.ratio ?? '-'} | ${r.note ?? ''} |`);
  }
}

await main();
