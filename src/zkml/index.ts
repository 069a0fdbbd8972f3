/**
 * zkinfer's zkML engine as a library — the package's main entry (`import { compile, prove, verify } from
 * 'zkinfer'`, docs/library.md): ONNX → circuit (compile), a Groth16 proof of one inference (prove), and its
 * check against the verifier's own inputs (verify), plus the circuit format they share (docs/security.md).
 */
export { compile, CompileError, type CompileOptions, type CompileResult, type CompileProgress } from './compile.js';
export { prove, closeDefaultPools, ProverPool, ProveError, type ProveOptions, type ProverKind } from './prove/index.js';
export { verify, verifyFile, loadVerifierKey, verifierKeyFromVk, VerifyError, type VerifierKey, type VerifyResult, type VerifyOptions } from './verify/index.js';
export { loadArtifacts, readMetadata, ArtifactsError, type LoadedArtifacts } from './artifacts/index.js';
export { parseInputData, type InputData } from './witness/inputs.js';
export { releaseSnarkjsCurve } from './prove/curve.js';
export * from './format/index.js';
