import { cryptoWaitReady, decodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import type { KeyringPair } from '@polkadot/keyring/types';

/** Load the sr25519 WASM once; call before signing or verifying. */
export async function ensureCrypto(): Promise<void> {
  await cryptoWaitReady();
}

/** sr25519-sign UTF-8 text with a hotkey; returns the `0x`+hex header value. */
export function signText(pair: KeyringPair, text: string): string {
  return u8aToHex(pair.sign(new TextEncoder().encode(text)));
}

/** Whether `signature` (0x+hex, 64 bytes) is `ss58`'s sr25519 signature over UTF-8 `text`. Never throws. */
export function verifyText(text: string, signature: string, ss58: string): boolean {
  try {
    if (!/^0x[0-9a-fA-F]{128}$/.test(signature)) return false;
    const publicKey = decodeAddress(ss58);
    const r = signatureVerify(new TextEncoder().encode(text), signature, publicKey);
    return r.isValid && r.crypto === 'sr25519';
  } catch {
    return false;
  }
}

/** Whether `ss58` is a well-formed SS58 address. */
export function isSs58(ss58: string): boolean {
  try {
    return decodeAddress(ss58).length === 32;
  } catch {
    return false;
  }
}
