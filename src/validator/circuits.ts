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

/** Load a circuit for validation (only metadata + vk are needed and checked). */
export async function loadValidatorCircuit(dir: string, opts: { weight?: number; timeoutS?: number; generate?: (rand: () => number) => RealInputs } = {}): Promise<ValidatorCircuit> {
  const artifacts = await loadArtifacts(dir, { need: ['vk'] });
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
