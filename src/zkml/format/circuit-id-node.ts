import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** sha256 (hex) of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Circuit id = sha256 (hex) of the canonical JSON of the Groth16 verification key (synchronous, Node). */
export function circuitIdOfVk(vk: unknown): string {
  return sha256Hex(canonicalJson(vk));
}
