import { createRequire } from 'node:module';
import { loadNativeAddon } from '../prove/native/addon.js';
import { canonicalJson } from './canonical-json.js';

const require = createRequire(import.meta.url);

/**
 * node:crypto, required on first use: a one-shot `zkinfer prove` with the native addon hashes through the addon
 * (the same OpenSSL code) and never loads it and the stream modules it pulls in (docs/network.md "CLI start-up").
 */
export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');

/** sha256 (hex) of a string (its UTF-8 bytes) or bytes: the native addon's when built, else node:crypto's. */
export function sha256Hex(data: string | Uint8Array): string {
  const native = loadNativeAddon()?.sha256;
  if (native) return native(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

/** Circuit id = sha256 (hex) of the canonical JSON of the Groth16 verification key (synchronous, Node). */
export function circuitIdOfVk(vk: unknown): string {
  return sha256Hex(canonicalJson(vk));
}
