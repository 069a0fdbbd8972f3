// The prover backend names, dependency-free so the CLI can check `--prover` without loading a prover.

export type ProverKind = 'snarkjs' | 'native' | 'auto';
export const PROVER_KINDS: readonly ProverKind[] = ['snarkjs', 'native', 'auto'];
