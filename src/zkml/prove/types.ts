/** A Groth16 proof in exactly snarkjs's JSON format (decimal strings, projective coordinates). */
export interface Groth16Proof {
  pi_a: [string, string, string];
  pi_b: [[string, string], [string, string], [string, string]];
  pi_c: [string, string, string];
  protocol: 'groth16';
  curve: 'bn128';
}

export interface Groth16ProveResult {
  proof: Groth16Proof;
  publicSignals: string[];
}

/**
 * One Groth16 proving backend (snarkjs in JS, or the native addon). Every backend takes snarkjs's standard
 * files: a Groth16 `.zkey` and a witness in `.wtns` format (bytes), and returns snarkjs-identical JSON.
 */
export interface Groth16Prover {
  readonly name: 'snarkjs' | 'native';
  prove(zkeyPath: string, wtns: Uint8Array): Promise<Groth16ProveResult>;
  /** Several witnesses of one key in one pass (native only); results in input order, a bad witness fails only its entry. */
  proveBatch?(zkeyPath: string, wtns: Uint8Array[]): Promise<Array<{ ok: true; result: Groth16ProveResult } | { ok: false; error: Error }>>;
  /** Start loading a key ahead of its first proof (a failure is reported by that proof). */
  preload?(zkeyPath: string): void;
  /** Drop a loaded key (a later proof loads it again). */
  unload?(zkeyPath: string): Promise<void>;
  /** Release cached keys and memory. */
  close?(): Promise<void>;
}
