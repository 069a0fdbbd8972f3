export { canonicalJson } from '../format/canonical-json.js';
export { circuitIdOfVk, sha256Hex } from '../format/circuit-id-node.js';
