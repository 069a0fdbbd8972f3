/** Anything that signs with sr25519, e.g. a @polkadot/keyring pair (`keyring.addFromUri('//Alice')`). */
export interface RequestSigner {
  address: string;
  sign(message: Uint8Array): Uint8Array;
}

const hex = (b: Uint8Array): string => `0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;

/**
 * Headers of a signed API request: the signer's sr25519 signature over the text of the current unix time.
 * Each signature is accepted once within ±300 s; make fresh headers for every request.
 */
export function signedHeaders(signer: RequestSigner, nowS: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(nowS);
  return { 'x-timestamp': timestamp, 'x-origin-ss58': signer.address, 'x-signature': hex(signer.sign(new TextEncoder().encode(timestamp))) };
}
