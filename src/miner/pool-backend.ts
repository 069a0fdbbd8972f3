import { ProverPool, type ProverPoolOptions } from '../zkml/prove/pool.js';
import { PriorityError } from '../protocol/errors.js';
import type { Groth16ProveResult } from '../zkml/prove/types.js';
import type { ServedCircuit } from './circuit-store.js';
import type { ProofBackend } from './miner.js';

/** The miner's proving backend: the zkML engine's worker-thread ProverPool (witness + Groth16 off the event loop). */
export class PoolBackend implements ProofBackend {
  readonly pool: ProverPool;

  constructor(opts: ProverPoolOptions = {}) {
    this.pool = new ProverPool(opts);
  }

  async prove(circuit: ServedCircuit, witnessInput: Record<string, string[]>): Promise<Groth16ProveResult> {
    try {
      const r = await this.pool.prove({ wasmPath: circuit.artifacts.paths.witness, zkeyPath: circuit.artifacts.paths.zkey, signals: witnessInput });
      return { proof: r.proof, publicSignals: r.publicSignals };
    } catch (e) {
      if ((e as { code?: string }).code === 'PROVER_QUEUE_FULL') throw new PriorityError(503, (e as Error).message);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
