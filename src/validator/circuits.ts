import { ZkinferError } from '../errors/base.js';
import { loadArtifacts, type LoadedArtifacts } from '../zkml/artifacts/index.js';
import { randomInputs, type RealInputs } from '../protocol/circuit-io.js';

/** A circuit the validator benchmarks: its vk (hash-checked), a weight for the weighted choice, a timeout and an input generator. */
export interface ValidatorCircuit {
  id: string;
  artifacts: LoadedArtifacts;
  /** Relative share of benchmark requests. */
  weight: number;
  /** Query timeout for this circuit, seconds. */
  timeoutS: number;
  /** Seeded input generator (the zoo's, or uniform random within the circuit's input range). */
  generate: (rand: () => number) => RealInputs;
}

/** A validator was given an INSECURE-DEV circuit without --allow-insecure-dev (docs/security.md). */
export class InsecureCircuitError extends ZkinferError {
  override readonly name = 'InsecureCircuitError';
  constructor(dir: string, id: string) {
    super('INSECURE_DEV_REFUSED', `circuit ${dir} (${id.slice(0, 16)}…) is INSECURE-DEV: its powers of tau has a known secret, so anyone holding it can forge proofs and every miner would score as valid`, {
      hint: 'compile it with a ceremony file (`zkinfer compile --ptau powersOfTau28_hez_final_NN.ptau`), or pass --allow-insecure-dev for a development network',
    });
  }
}

/**
 * Load a circuit for validation (only metadata + vk are needed and checked). INSECURE-DEV circuits are refused
 * unless `allowInsecureDev` (a development network, e.g. `devnet up`).
 */
export async function loadValidatorCircuit(dir: string, opts: { weight?: number; timeoutS?: number; generate?: (rand: () => number) => RealInputs; allowInsecureDev?: boolean } = {}): Promise<ValidatorCircuit> {
  const artifacts = await loadArtifacts(dir, { need: ['vk'] });
  if (artifacts.metadata.security === 'INSECURE-DEV' && !opts.allowInsecureDev) throw new InsecureCircuitError(dir, artifacts.metadata.id);
  return {
    id: artifacts.metadata.id,
    artifacts,
    weight: opts.weight ?? 1,
    timeoutS: opts.timeoutS ?? 60,
    generate: opts.generate ?? ((rand) => randomInputs(artifacts.metadata, rand)),
  };
}

/** Weighted choice among circuits. */
export function pickCircuit(circuits: readonly ValidatorCircuit[], rand: () => number): ValidatorCircuit | undefined {
  const total = circuits.reduce((a, c) => a + Math.max(0, c.weight), 0);
  if (total <= 0) return circuits[0];
  let r = rand() * total;
  for (const c of circuits) {
    r -= Math.max(0, c.weight);
    if (r < 0) return c;
  }
  return circuits[circuits.length - 1];
}
