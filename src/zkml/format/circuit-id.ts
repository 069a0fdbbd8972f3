import { canonicalJson } from './canonical-json.js';

/**
 * Circuit id = sha256 (hex) of the canonical JSON of the Groth16 verification key (docs/security.md). This file
 * uses WebCrypto only, so browsers and the client SDK share it; circuit-id-node.ts is the synchronous Node twin.
 */
export async function circuitIdOfVkAsync(vk: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(vk)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A circuit id is 64 lowercase hex digits. */
export const CIRCUIT_ID_RE = /^[0-9a-f]{64}$/;
