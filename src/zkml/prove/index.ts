import { artifactPaths, loadArtifacts, readMetadata, witnessKind, type CircuitMetadata, type LoadedArtifacts } from '../artifacts/index.js';
import { parseInputData, quantizeInputs } from '../witness/inputs.js';
import { bindInputs, decodeOutputs } from '../format/layout.js';
import { ProveError } from './errors.js';
import type { ProverKind } from './factory.js';
import { ProverPool } from './pool.js';
import type { ProveRunner } from './in-thread.js';
import { ProofFileSchema, type ProofFile } from '../format/proof-file.js';

export { ProveError } from './errors.js';
export { getProver, PROVER_KINDS, type ProverKind } from './factory.js';
export { ProverPool, type ProverPoolOptions, type ProveJob, type ProveJobResult } from './pool.js';
export { ProofFileSchema, Groth16ProofSchema, type ProofFile } from '../format/proof-file.js';
export { SnarkjsProver } from './snarkjs.js';
export { InThreadProver, type ProveRunner } from './in-thread.js';
export { releaseSnarkjsCurve } from './curve.js';
export type { Groth16Prover, Groth16Proof, Groth16ProveResult } from './types.js';

export interface ProveOptions {
  /** Backend when no pool is given (default 'auto': native when built, else snarkjs). */
  prover?: ProverKind;
  /** Where to prove: a worker pool, or an InThreadProver (default: a shared per-backend pool of one worker, see closeDefaultPools). */
  pool?: ProveRunner;
  /** metadata.json as the caller read it (readMetadataFile), checked against the files like a fresh read. */
  metadata?: CircuitMetadata;
  /** Already loaded (hash-checked) artifacts, to skip re-hashing the files on every proof. */
  artifacts?: LoadedArtifacts;
  /** The circuit's `recipient` public input (default 0; an Ethereum address for attestations, docs/eth.md). */
  recipient?: bigint;
}

export interface ProveTimings { witnessMs: number; proveMs: number }

const defaultPools = new Map<ProverKind, ProverPool>();

/** The shared pool for a backend (created on first use). */
export function defaultPool(kind: ProverKind = 'auto'): ProverPool {
  let p = defaultPools.get(kind);
  if (!p) { p = new ProverPool({ prover: kind }); defaultPools.set(kind, p); }
  return p;
}

/** Stop the shared pools' workers (call before a CLI or test process ends). */
export async function closeDefaultPools(): Promise<void> {
  const pools = [...defaultPools.values()];
  defaultPools.clear();
  await Promise.all(pools.map((p) => p.close()));
}

/**
 * Prove one inference: quantize EZKL-style `inputData` ({"input_data": [[...floats]]}) with the circuit's
 * metadata, compute the witness and a Groth16 proof in a worker thread, and return the proof file.
 */
export async function prove(dir: string, inputData: unknown, opts: ProveOptions = {}): Promise<ProofFile & { timings: ProveTimings }> {
  const md = opts.artifacts?.metadata ?? opts.metadata ?? (await readMetadata(dir));
  const q = quantizeInputs(md, parseInputData(inputData), opts.recipient ?? 0n);
  // the files' hashes are checked while the runner computes the witness; it proves only once the check passed
  const checked = opts.artifacts ? Promise.resolve(opts.artifacts) : loadArtifacts(dir, { metadata: md });
  checked.catch(() => undefined); // awaited by the runner; its error is the proof's
  const paths = opts.artifacts?.paths ?? artifactPaths(dir, witnessKind(md));
  const pool = opts.pool ?? defaultPool(opts.prover ?? 'auto');
  const r = await pool.prove({ wasmPath: paths.witness, zkeyPath: paths.zkey, signals: q.signals }, checked);
  if (r.publicSignals.length !== md.publicLayout.total) {
    throw new ProveError('PROVE_FAILED', `the proof has ${r.publicSignals.length} public signals, metadata.json says ${md.publicLayout.total}`, { hint: 'the artifacts do not belong together; re-run `zkinfer compile`' });
  }
  if (bindInputs(md, r.publicSignals, q.fields, opts.recipient ?? 0n).differs) {
    throw new ProveError('PROVE_FAILED', 'the public inputs in the proof do not match the given input', { hint: 'metadata.json publicLayout does not match the circuit; re-run `zkinfer compile`' });
  }
  const file: ProofFile = ProofFileSchema.parse({
    circuit_id: md.id,
    proof: r.proof,
    public_signals: r.publicSignals,
    outputs: decodeOutputs(md, r.publicSignals),
    security: md.security,
    prover: r.prover,
  });
  return { ...file, timings: { witnessMs: r.witnessMs, proveMs: r.proveMs } };
}
