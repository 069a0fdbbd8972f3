import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadArtifacts, type LoadedArtifacts } from '../../src/zkml/artifacts/index.js';
import { ProveError, ProverPool, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { nativeProverAvailable } from '../../src/zkml/prove/native/index.js';
import { verify } from '../../src/zkml/verify/index.js';
import { fixtureArtifacts } from './prove-fixtures.js';

let art: LoadedArtifacts;
let server: Server;
let url: string;
const pools: ProverPool[] = [];
const job = (x: number) => ({ wasmPath: art.paths.wasm, zkeyPath: art.paths.zkey, signals: { x: [String(x)] } });

before(async () => {
  const { dir } = await fixtureArtifacts('square-chain', 'square-chain-pool');
  art = await loadArtifacts(dir);
  server = createServer((_req, res) => res.end('pong'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await new Promise((r) => server.close(r));
  await releaseSnarkjsCurve();
});

test('an HTTP server in the same process keeps answering while the pool proves', async () => {
  const pool = new ProverPool({ size: 1, prover: 'snarkjs' });
  pools.push(pool);
  await pool.prove(job(1)); // warm: worker started, zkey loaded
  let done = false;
  const proving = Promise.all([2, 3, 4].map((x) => pool.prove(job(x)))).finally(() => { done = true; });
  let answeredWhileProving = 0;
  while (!done) {
    const res = await fetch(url);
    assert.equal(await res.text(), 'pong');
    if (!done) answeredWhileProving++;
  }
  const results = await proving;
  assert.ok(answeredWhileProving >= 5, `only ${answeredWhileProving} requests answered during 3 proofs`);
  // The proofs are real: each verifies for its own input.
  for (const [i, r] of results.entries()) {
    assert.equal(r.publicSignals[1], String(i + 2));
    const pf = { circuit_id: art.metadata.id, proof: r.proof, public_signals: r.publicSignals, outputs: [], security: art.metadata.security };
    assert.equal((await verify(dir(), pf)).valid, true);
  }
});

test('the queue is bounded: beyond maxQueue waiting jobs, prove rejects with PROVER_QUEUE_FULL', async () => {
  const pool = new ProverPool({ size: 1, prover: 'snarkjs', maxQueue: 1 });
  pools.push(pool);
  const a = pool.prove(job(5)); // runs
  const b = pool.prove(job(6)); // waits
  await assert.rejects(pool.prove(job(7)), (e: unknown) => e instanceof ProveError && e.code === 'PROVER_QUEUE_FULL');
  const [ra, rb] = await Promise.all([a, b]);
  assert.deepEqual([ra.publicSignals[1], rb.publicSignals[1]], ['5', '6']);
});

test('two workers prove concurrently-submitted jobs, and a closed pool refuses work', async () => {
  const pool = new ProverPool({ size: 2, prover: 'snarkjs' });
  const rs = await Promise.all([8, 9, 10, 11].map((x) => pool.prove(job(x))));
  assert.deepEqual(rs.map((r) => r.publicSignals[1]), ['8', '9', '10', '11']);
  await pool.close();
  await assert.rejects(pool.prove(job(12)), (e: unknown) => e instanceof ProveError && e.code === 'PROVER_CLOSED');
});

test('queued jobs of one circuit are proven in one native batch, and every proof verifies', { skip: nativeProverAvailable() ? false : 'native addon not built' }, async () => {
  const pool = new ProverPool({ size: 1, prover: 'native', maxBatch: 4 });
  pools.push(pool);
  // submitted together: the first goes to the free worker alone, the other three queue and go as one batch
  const rs = await Promise.all([21, 22, 23, 24].map((x) => pool.prove(job(x))));
  assert.deepEqual(rs.map((r) => r.publicSignals[1]), ['21', '22', '23', '24']);
  assert.deepEqual(rs.map((r) => r.batchSize), [1, 3, 3, 3]);
  assert.ok(rs.every((r) => r.prover === 'native'));
  for (const r of rs) {
    const pf = { circuit_id: art.metadata.id, proof: r.proof, public_signals: r.publicSignals, outputs: [], security: art.metadata.security };
    assert.equal((await verify(dir(), pf)).valid, true);
  }
  // maxBatch 1: no batching
  const single = new ProverPool({ size: 1, prover: 'native', maxBatch: 1 });
  pools.push(single);
  const ss = await Promise.all([25, 26, 27].map((x) => single.prove(job(x))));
  assert.deepEqual(ss.map((r) => r.batchSize), [1, 1, 1]);
});

function dir(): string { return art.dir; }
