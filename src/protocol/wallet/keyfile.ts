import { argon2i } from 'hash-wasm';
import { naclDecrypt, naclEncrypt, sr25519PairFromSeed, mnemonicToMiniSecret, mnemonicValidate, encodeAddress } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ZkinferError } from '../../errors/base.js';

/** Bittensor's fixed salt for coldkey encryption (NACL_SALT). */
export const NACL_SALT = hexToU8a('0x137183dff15a09bc9c90b5518739e9b1');
/** libsodium crypto_pwhash_argon2i OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE, as Bittensor uses. */
export const ARGON2I_OPSLIMIT = 8;
export const ARGON2I_MEMLIMIT_BYTES = 512 * 1024 * 1024;

export class KeyfileError extends ZkinferError {
  override readonly name = 'KeyfileError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('KEYFILE', message, { hint, cause });
  }
}

/** A Bittensor keyfile's JSON (hotkeys are stored as this, coldkeys as this encrypted). */
export const KeyfileJsonSchema = z.object({
  accountId: z.string().regex(/^0x[0-9a-f]{64}$/i),
  publicKey: z.string().regex(/^0x[0-9a-f]{64}$/i),
  privateKey: z.string().regex(/^0x[0-9a-f]{128}$/i).optional(),
  secretPhrase: z.string().nullish(),
  secretSeed: z.string().regex(/^0x[0-9a-f]{64}$/i).nullish(),
  ss58Address: z.string(),
});
export type KeyfileJson = z.infer<typeof KeyfileJsonSchema>;

/** The public part (coldkeypub.txt). */
export const PublicKeyfileSchema = z.object({
  accountId: z.string().regex(/^0x[0-9a-f]{64}$/i),
  publicKey: z.string().regex(/^0x[0-9a-f]{64}$/i),
  ss58Address: z.string(),
});
export type PublicKeyfile = z.infer<typeof PublicKeyfileSchema>;

/** sr25519 key material from a BIP-39 phrase, as Bittensor's Keypair.create_from_mnemonic (substrate mini-secret). */
export function keyfileFromMnemonic(mnemonic: string): KeyfileJson {
  if (!mnemonicValidate(mnemonic)) throw new KeyfileError('invalid mnemonic', 'check the 12/24 words and their order');
  const seed = mnemonicToMiniSecret(mnemonic);
  return { ...keyfileFromSeed(seed), secretPhrase: mnemonic };
}

/** sr25519 key material from a 32-byte mini-secret seed. */
export function keyfileFromSeed(seed: Uint8Array): KeyfileJson {
  const pair = sr25519PairFromSeed(seed);
  const pub = u8aToHex(pair.publicKey);
  return {
    accountId: pub,
    publicKey: pub,
    privateKey: u8aToHex(pair.secretKey),
    secretPhrase: null,
    secretSeed: u8aToHex(seed),
    ss58Address: encodeAddress(pair.publicKey, 42),
  };
}

/** Derive the 32-byte secretbox key: argon2i(password, NACL_SALT, opslimit, memlimit), one lane. */
export async function deriveKey(password: string, opts: { opslimit?: number; memlimitBytes?: number; salt?: Uint8Array } = {}): Promise<Uint8Array> {
  return argon2i({
    password,
    salt: opts.salt ?? NACL_SALT,
    iterations: opts.opslimit ?? ARGON2I_OPSLIMIT,
    memorySize: (opts.memlimitBytes ?? ARGON2I_MEMLIMIT_BYTES) / 1024,
    parallelism: 1,
    hashLength: 32,
    outputType: 'binary',
  });
}

const NACL_PREFIX = Buffer.from('$NACL');

/** Whether keyfile bytes are NaCl-encrypted (Bittensor `$NACL` format). */
export function isEncrypted(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, NACL_PREFIX.length)).equals(NACL_PREFIX);
}

/** KDF cost; Bittensor's (opslimit 8, 512 MiB) unless a test lowers it. */
export interface KdfParams {
  opslimit?: number;
  memlimitBytes?: number;
}

/** `$NACL` + 24-byte nonce + secretbox(data) (MAC then ciphertext, as PyNaCl SecretBox.encrypt). */
export async function encryptKeyfileData(data: Uint8Array, password: string, kdf: KdfParams = {}): Promise<Uint8Array> {
  return encryptWithKey(data, await deriveKey(password, kdf));
}

/** Encrypt with an already derived secretbox key. */
export function encryptWithKey(data: Uint8Array, key: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(randomBytes(24));
  const { encrypted } = naclEncrypt(data, key, nonce);
  return Buffer.concat([NACL_PREFIX, nonce, encrypted]);
}

export async function decryptKeyfileData(data: Uint8Array, password: string, kdf: KdfParams = {}): Promise<Uint8Array> {
  if (!isEncrypted(data)) throw new KeyfileError('keyfile is not $NACL-encrypted', 'only the NaCl keyfile format is supported (legacy ansible-vault/fernet files are not)');
  return decryptWithKey(data, await deriveKey(password, kdf));
}

/** Decrypt with an already derived secretbox key. */
export function decryptWithKey(data: Uint8Array, key: Uint8Array): Uint8Array {
  if (!isEncrypted(data)) throw new KeyfileError('keyfile is not $NACL-encrypted', 'only the NaCl keyfile format is supported (legacy ansible-vault/fernet files are not)');
  const nonce = data.subarray(5, 29);
  const box = data.subarray(29);
  const out = naclDecrypt(box, nonce, key);
  if (!out) throw new KeyfileError('wrong coldkey password (decryption failed)', 'enter the password the coldkey was created with');
  return out;
}
