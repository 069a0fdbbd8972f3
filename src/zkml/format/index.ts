/**
 * The circuit format (docs/security.md): metadata.json, the public-signal layout and its input packing (bind inputs, decode
 * outputs), the proof file, the circuit id (sync and WebCrypto) and the Solidity export. Every other module
 * — prove, verify, miner, validator, API, client, Ethereum — goes through here.
 */
export * from './metadata.js';
export * from './layout.js';
export * from './proof-file.js';
export { canonicalJson } from './canonical-json.js';
export { circuitIdOfVkAsync, CIRCUIT_ID_RE } from './circuit-id.js';
export { circuitIdOfVk, sha256Hex } from './circuit-id-node.js';
export { solidityVerifierSource, exportSolidityVerifier, evmVkHash, withVkHash, INSECURE_DEV_SOLIDITY_BANNER } from './solidity.js';
export { FormatError } from './errors.js';
export * from './packing.js';
