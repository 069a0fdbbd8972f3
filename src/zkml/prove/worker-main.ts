// Prover worker thread body (loaded by worker.ts): keeps a witness calculator per wasm and the backend's loaded keys between jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { ZkinferError } from '../../errors/base.js';
import { WitnessEngine } from '../witness/calculate.js';
import { releaseSnarkjsCurve } from './curve.js';
import { getProver } from './factory.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('prove/worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const witness = new WitnessEngine();
const prover = await getProver(init.prover, (m) => console.error(m));
const send = (m: WorkerResponse) => port.postMessage(m);
send({ type: 'ready', prover: prover.name });

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'close') {
    void (async () => {
      await prover.close?.();
      await releaseSnarkjsCurve();
      port.close();
    })();
    return;
  }
  void (async () => {
    try {
      const t0 = performance.now();
      const wtns = await witness.wtns(msg.wasmPath, msg.signals);
      const t1 = performance.now();
      const { proof, publicSignals } = await prover.prove(msg.zkeyPath, wtns);
      const t2 = performance.now();
      send({ type: 'result', id: msg.id, ok: true, proof, publicSignals, witnessMs: t1 - t0, proveMs: t2 - t1, prover: prover.name });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      send({
        type: 'result', id: msg.id, ok: false,
        error: { name: e.name, message: e.message, ...(err instanceof ZkinferError ? { code: err.code, ...(err.hint ? { hint: err.hint } : {}) } : {}) },
      });
    }
  })();
});
