/** File names inside a circuit artifacts directory (docs/zkml-prove.md). */
export const ARTIFACT_FILES = {
  metadata: 'metadata.json',
  r1cs: 'circuit.r1cs',
  /** circom witness generator (hand-written circom circuits). */
  wasm: 'witness.wasm',
  /** Direct backend's witness program, run by the exact emulator (docs/zkml-compile.md). */
  program: 'witness.json',
  /** Readable Circom export of the same program, for audit (not used to prove). */
  circom: 'circuit.circom',
  sym: 'circuit.sym',
  zkey: 'circuit.zkey',
  vk: 'vk.json',
} as const;
