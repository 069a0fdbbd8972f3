// Proving in the calling thread (docs/network.md, "CLI start-up"): one witness engine and one backend, kept
// between jobs. Each ProverPool worker runs one (worker-main.ts); a one-shot process such as `zkinfer prove`
// uses one directly and so loads the modules, the witness program and the key once instead of twice.
import { nowMs } from './clock.js';
import { WitnessEngine } from '../witness/calculate.js';
import { getProver, type ProverKind } from './factory.js';
import type { ProveJob, ProveJobResult } from './pool.js';
import type { Groth16Prover } from './types.js';
import type { NativeKeyOptions } from './native/addon.js';

/**
 * What prove() needs from a prover: a ProverPool (worker threads) or an InThreadProver. `ready` settles when the
 * job's artifacts are checked (docs/security.md): nothing is proven before it resolves, and when it rejects the job
 * fails with its error.
 */
export interface ProveRunner {
  prove(job: ProveJob, ready?: Promise<unknown>): Promise<ProveJobResult>;
}

export class InThreadProver implements ProveRunner {
  readonly witness = new WitnessEngine();
  private backend: Promise<Groth16Prover> | undefined;

  constructor(
    private readonly kind: ProverKind = 'auto',
    private readonly notice: (m: string) => void = (m) => console.error(m),
    private readonly nativeKeys: NativeKeyOptions = {},
  ) {}

  /** The backend (native or snarkjs), chosen on first use. */
  prover(): Promise<Groth16Prover> {
    this.backend ??= getProver(this.kind, this.notice, this.nativeKeys);
    return this.backend;
  }

  /**
   * While `ready` is pending (the artifacts' hashes are checked, their reads on libuv's thread pool), the native key starts
   * loading and the witness is computed on this thread (docs/network.md "CLI start-up"); the proof waits for `ready`.
   * The witness is a private input: a file changed under it gives a proof that fails verification, never one of
   * another statement (the key and vk are the checked ones).
   */
  async prove(job: ProveJob, ready: Promise<unknown> = Promise.resolve()): Promise<ProveJobResult> {
    const prover = await this.prover();
    prover.preload?.(job.zkeyPath);
    // its error is the job's, raised below; what was loaded from files that failed the check is not kept
    ready.catch(() => { this.witness.forget(job.wasmPath); return prover.unload?.(job.zkeyPath); }).catch(() => undefined);
    const t0 = nowMs();
    let wtns: Uint8Array;
    try {
      wtns = await this.witness.wtns(job.wasmPath, job.signals);
    } catch (e) {
      await ready; // a failed check explains a bad witness generator better than its own error
      throw e;
    }
    const t1 = nowMs();
    await ready;
    const t2 = nowMs();
    const { proof, publicSignals } = await prover.prove(job.zkeyPath, wtns);
    return { proof, publicSignals, witnessMs: t1 - t0, proveMs: nowMs() - t2, prover: prover.name, batchSize: 1 };
  }

  async close(): Promise<void> {
    if (this.backend) await (await this.backend).close?.();
  }
}
