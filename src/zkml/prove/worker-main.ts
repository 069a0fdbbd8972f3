// Prover worker thread body (loaded by worker.ts): keeps a witness calculator per wasm and the backend's loaded keys between jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { ZkinferError } from '../../errors/base.js';
import { releaseSnarkjsCurve } from './curve.js';
import { InThreadProver } from './in-thread.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('prove/worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const local = new InThreadProver(init.prover);
const witness = local.witness;
const prover = await local.prover();
const send = (m: WorkerResponse) => port.postMessage(m);
send({ type: 'ready', prover: prover.name });

const errorOf = (err: unknown): Extract<WorkerResponse, { ok: false }>['error'] => {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, ...(err instanceof ZkinferError ? { code: err.code, ...(err.hint ? { hint: err.hint } : {}) } : {}) };
};

/** Witnesses first (a failing one answers at once), then one batched native pass, or one proof at a time. */
async function proveBatch(jobs: Extract<WorkerRequest, { type: 'prove-batch' }>['jobs']): Promise<void> {
  const ready: Array<{ id: number; zkeyPath: string; wtns: Uint8Array; witnessMs: number }> = [];
  for (const j of jobs) {
    const t0 = performance.now();
    try {
      ready.push({ id: j.id, zkeyPath: j.zkeyPath, wtns: await witness.wtns(j.wasmPath, j.signals), witnessMs: performance.now() - t0 });
    } catch (err) {
      send({ type: 'result', id: j.id, ok: false, error: errorOf(err) });
    }
  }
  if (ready.length === 0) return;
  const t1 = performance.now();
  const results = prover.proveBatch
    ? await prover.proveBatch(ready[0]!.zkeyPath, ready.map((r) => r.wtns)).catch((err: unknown) => ready.map(() => ({ ok: false as const, error: err as Error })))
    : await Promise.all(ready.map((r) => prover.prove(r.zkeyPath, r.wtns).then((result) => ({ ok: true as const, result }), (error: Error) => ({ ok: false as const, error }))));
  const proveMs = performance.now() - t1;
  ready.forEach((r, i) => {
    const res = results[i]!;
    if (res.ok) send({ type: 'result', id: r.id, ok: true, proof: res.result.proof, publicSignals: res.result.publicSignals, witnessMs: r.witnessMs, proveMs, prover: prover.name, batchSize: ready.length });
    else send({ type: 'result', id: r.id, ok: false, error: errorOf(res.error) });
  });
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'close') {
    void (async () => {
      await local.close();
      await releaseSnarkjsCurve();
      port.close();
    })();
    return;
  }
  if (msg.type === 'prove-batch') {
    void proveBatch(msg.jobs).catch((err: unknown) => {
      for (const j of msg.jobs) send({ type: 'result', id: j.id, ok: false, error: errorOf(err) });
    });
    return;
  }
  void (async () => {
    try {
      send({ type: 'result', id: msg.id, ok: true, ...(await local.prove(msg)) });
    } catch (err) {
      send({ type: 'result', id: msg.id, ok: false, error: errorOf(err) });
    }
  })();
});
