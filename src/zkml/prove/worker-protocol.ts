import type { ProverKind } from './factory.js';
import type { Groth16Proof } from './types.js';

/** Main thread → prover worker. */
export type WorkerRequest =
  | { type: 'prove'; id: number; wasmPath: string; zkeyPath: string; signals: Record<string, string[]> }
  /** Queued jobs of one circuit proven in one pass; answered with one 'result' per id. */
  | { type: 'prove-batch'; jobs: Array<{ id: number; wasmPath: string; zkeyPath: string; signals: Record<string, string[]> }> }
  | { type: 'close' };

export type WorkerResponse =
  | { type: 'ready'; prover: string }
  | { type: 'result'; id: number; ok: true; proof: Groth16Proof; publicSignals: string[]; witnessMs: number; proveMs: number; prover: string; batchSize: number }
  | { type: 'result'; id: number; ok: false; error: { name: string; code?: string; message: string; hint?: string } };

export interface WorkerInit { prover: ProverKind }
