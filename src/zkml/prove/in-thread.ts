// Proving in the calling thread (docs/network.md, "CLI start-up"): one witness engine and one backend, kept
// between jobs. Each ProverPool worker runs one (worker-main.ts); a one-shot process such as `zkinfer prove`
// uses one directly and so loads the modules, the witness program and the key once instead of twice.
import { WitnessEngine } from '../witness/calculate.js';
import { getProver, type ProverKind } from './factory.js';
import type { ProveJob, ProveJobResult } from './pool.js';
import type { Groth16Prover } from './types.js';

/** What prove() needs from a prover: a ProverPool (worker threads) or an InThreadProver. */
export interface ProveRunner {
  prove(job: ProveJob): Promise<ProveJobResult>;
}

export class InThreadProver implements ProveRunner {
  readonly witness = new WitnessEngine();
  private backend: Promise<Groth16Prover> | undefined;

  constructor(private readonly kind: ProverKind = 'auto', private readonly notice: (m: string) => void = (m) => console.error(m)) {}

  /** The backend (native or snarkjs), chosen on first use. */
  prover(): Promise<Groth16Prover> {
    this.backend ??= getProver(this.kind, this.notice);
    return this.backend;
  }

  async prove(job: ProveJob): Promise<ProveJobResult> {
    const prover = await this.prover();
    const t0 = performance.now();
    const wtns = await this.witness.wtns(job.wasmPath, job.signals);
    const t1 = performance.now();
    const { proof, publicSignals } = await prover.prove(job.zkeyPath, wtns);
    return { proof, publicSignals, witnessMs: t1 - t0, proveMs: performance.now() - t1, prover: prover.name, batchSize: 1 };
  }

  async close(): Promise<void> {
    if (this.backend) await (await this.backend).close?.();
  }
}
