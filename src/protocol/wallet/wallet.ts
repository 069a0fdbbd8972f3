import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync, chmodSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { decodeAddress, encodeAddress, mnemonicGenerate, mnemonicToMiniSecret, mnemonicValidate } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { InvalidInputError, ZkinferError } from '../../errors/base.js';
import type { z } from 'zod';
import { decryptKeyfileData, encryptKeyfileData, isEncrypted, type KdfParams, KeyfileError, keyfileFromMnemonic, KeyfileJsonSchema, PublicKeyfileSchema, type KeyfileJson, type PublicKeyfile } from './keyfile.js';

/** Where wallets live and which one to use; env BT_WALLET_PATH / BT_WALLET_NAME / BT_WALLET_HOTKEY override the defaults. */
export interface WalletRef {
  path: string;
  name: string;
  hotkey: string;
}

export function defaultWalletPath(): string {
  return process.env['BT_WALLET_PATH'] ?? join(homedir(), '.bittensor', 'wallets');
}

/** Resolve flags, then env overrides, then Bittensor's defaults ("default"/"default"). */
export function resolveWalletRef(opts: { path?: string; name?: string; hotkey?: string } = {}): WalletRef {
  return {
    path: opts.path ?? defaultWalletPath(),
    name: opts.name ?? process.env['BT_WALLET_NAME'] ?? 'default',
    hotkey: opts.hotkey ?? process.env['BT_WALLET_HOTKEY'] ?? 'default',
  };
}

function checkName(kind: string, name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name.startsWith('.')) {
    throw new InvalidInputError(`invalid ${kind} name "${name}"`, { hint: 'use letters, digits, _ . - (max 64)' });
  }
}

/**
 * The most bytes a keyfile may have: Bittensor's are < 1 KiB (JSON) or a little more ($NACL). A bigger file, or anything
 * but a regular file (a FIFO, /dev/zero, a directory), is refused before it is read (docs/chain.md "Wallet files").
 */
export const KEYFILE_MAX_BYTES = 64 * 1024;

const REGEN_HINT = 'restore the key from its mnemonic (`btcli wallet regen_hotkey` / `regen_coldkey`, or `zkinfer wallet create --mnemonic` into a new wallet) or from a backup';

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A keyfile's bytes: opened without blocking (a FIFO does not hang), refused unless fstat says it is a regular file of at
 * most KEYFILE_MAX_BYTES, and read no further than that. Every failure is a KeyfileError naming `what` and the file,
 * never quoting what is in it (docs/chain.md "Wallet files").
 */
export function readKeyfile(file: string, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyfileError(`cannot read ${what} ${file} (${code})`, code === 'ENOENT' ? 'check --name/--hotkey/--path (env BT_WALLET_NAME/BT_WALLET_HOTKEY/BT_WALLET_PATH)' : 'check the file and its permissions');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new KeyfileError(`${what} ${file} is ${fileKind(st)}, not a keyfile`, 'a keyfile is a small regular file: replace the entry with the real keyfile');
    if (st.size > KEYFILE_MAX_BYTES) throw new KeyfileError(`${what} ${file} is ${st.size} bytes, larger than a keyfile can be (${KEYFILE_MAX_BYTES})`, 'replace it with the real keyfile');
    const buf = Buffer.alloc(KEYFILE_MAX_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > KEYFILE_MAX_BYTES) throw new KeyfileError(`${what} ${file} is larger than a keyfile can be (${KEYFILE_MAX_BYTES} bytes)`, 'replace it with the real keyfile');
    }
    return buf.subarray(0, n);
  } catch (err) {
    if (err instanceof KeyfileError) throw err;
    throw new KeyfileError(`cannot read ${what} ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'check the file and its permissions');
  } finally {
    closeSync(fd);
  }
}

/**
 * Parse a keyfile's JSON against `schema`. The error names the file, the JSON position or the fields that are wrong and
 * nothing else: a JSON.parse or schema error's own message (or a stack printed with its source line) can quote the
 * file, secret phrase included, so neither is kept, not even as the cause (docs/chain.md "Wallet files").
 */
function parseKeyfile<T>(raw: Uint8Array, schema: z.ZodType<T>, file: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    const pos = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    throw new KeyfileError(`${what} ${file} is not valid keyfile JSON (${raw.length === 0 ? 'empty file' : pos !== undefined ? `position ${pos}` : `${raw.length} bytes`})`, REGEN_HINT);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const fields = [...new Set(r.error.issues.map((i) => (i.path.length > 0 ? i.path.join('.') : '(not a JSON object)')))];
    throw new KeyfileError(`${what} ${file} is not a Bittensor keyfile: missing or malformed ${fields.join(', ')}`, REGEN_HINT);
  }
  return r.data;
}

/**
 * The sr25519 pair of a keyfile, refused unless every secret in it (secretSeed, secretPhrase) gives the same key and
 * that key is the file's publicKey, accountId and ss58Address: otherwise `wallet show` would print one address and
 * the commands sign as another (docs/chain.md "Wallet files"). Which secret makes the pair follows Bittensor:
 * `deserialize_keypair_from_keyfile_data` tries secretSeed, then secretPhrase, then privateKey (checked in
 * https://github.com/opentensor/bittensor/blob/01f90206acece69f41d038eacb5852781c6331f1/bittensor/keyfile.py).
 * A privateKey alone is not supported (zkinfer derives the pair from a seed); next to a seed or phrase it is unused,
 * as in Bittensor.
 */
function pairFrom(k: KeyfileJson, file: string, what: string): KeyringPair {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const derived: Array<{ field: string; pair: KeyringPair }> = [];
  if (k.secretSeed) derived.push({ field: 'secretSeed', pair: keyring.addFromSeed(hexToU8a(k.secretSeed)) });
  if (k.secretPhrase) {
    // the substrate mini-secret of the phrase (as Bittensor's create_from_mnemonic), not a keyring URI: a phrase is never
    // read as a derivation path
    if (!mnemonicValidate(k.secretPhrase)) throw new KeyfileError(`${what} ${file}: secretPhrase is not a valid BIP-39 mnemonic`, REGEN_HINT);
    derived.push({ field: 'secretPhrase', pair: keyring.addFromSeed(mnemonicToMiniSecret(k.secretPhrase)) });
  }
  const first = derived[0];
  if (first === undefined) throw new KeyfileError(`${what} ${file} has neither secretSeed nor secretPhrase`, REGEN_HINT);
  let fileSs58: Uint8Array;
  try {
    fileSs58 = decodeAddress(k.ss58Address);
  } catch {
    throw new KeyfileError(`${what} ${file}: ss58Address is not a valid SS58 address`, REGEN_HINT);
  }
  const claims: Array<[string, string]> = [['publicKey', k.publicKey.toLowerCase()], ['accountId', k.accountId.toLowerCase()], ['ss58Address', u8aToHex(fileSs58)]];
  for (const { field, pair } of derived) {
    const pub = u8aToHex(pair.publicKey);
    for (const [name, value] of claims) {
      if (value !== pub) {
        throw new KeyfileError(`${what} ${file} is inconsistent: its ${field} is the key of ${pair.address}, its ${name} is ${encodeAddress(hexToU8a(value), 42)}`, `refusing to use it: ${REGEN_HINT}`);
      }
    }
  }
  return first.pair;
}

/** A Bittensor wallet on disk: <path>/<name>/{coldkey, coldkeypub.txt, hotkeys/<hotkey>}. */
export class Wallet {
  /** `kdf` lowers the coldkey KDF cost — for tests only; files written with it are not Bittensor-readable. */
  constructor(readonly ref: WalletRef, private readonly kdf: KdfParams = {}) {
    checkName('wallet', ref.name);
    checkName('hotkey', ref.hotkey);
  }

  get dir(): string {
    return join(this.ref.path, this.ref.name);
  }
  get coldkeyFile(): string {
    return join(this.dir, 'coldkey');
  }
  get coldkeypubFile(): string {
    return join(this.dir, 'coldkeypub.txt');
  }
  hotkeyFile(hotkey = this.ref.hotkey): string {
    return join(this.dir, 'hotkeys', hotkey);
  }

  hasColdkey(): boolean {
    return existsSync(this.coldkeypubFile);
  }
  hasHotkey(hotkey = this.ref.hotkey): boolean {
    return existsSync(this.hotkeyFile(hotkey));
  }

  /**
   * Create the coldkey (encrypted with `password`, or plaintext when password is null — dev only) and
   * coldkeypub.txt. Returns the mnemonic so the caller can show it once.
   */
  async createColdkey(password: string | null, opts: { mnemonic?: string; overwrite?: boolean } = {}): Promise<{ mnemonic: string; ss58: string }> {
    if (this.hasColdkey() && !opts.overwrite) throw new InvalidInputError(`coldkey of wallet "${this.ref.name}" already exists at ${this.dir}`, { hint: 'pick another --name or pass --overwrite' });
    const mnemonic = opts.mnemonic ?? mnemonicGenerate(12);
    const k = keyfileFromMnemonic(mnemonic);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const data = Buffer.from(JSON.stringify(k));
    writeFileSync(this.coldkeyFile, password === null ? data : await encryptKeyfileData(data, password, this.kdf), { mode: 0o600 });
    chmodSync(this.coldkeyFile, 0o600);
    const pub: PublicKeyfile = { accountId: k.accountId, publicKey: k.publicKey, ss58Address: k.ss58Address };
    writeFileSync(this.coldkeypubFile, JSON.stringify(pub), { mode: 0o644 });
    return { mnemonic, ss58: k.ss58Address };
  }

  /** Create a hotkey (plain JSON, as Bittensor stores hotkeys). */
  createHotkey(hotkey = this.ref.hotkey, opts: { mnemonic?: string; overwrite?: boolean } = {}): { mnemonic: string; ss58: string } {
    checkName('hotkey', hotkey);
    if (this.hasHotkey(hotkey) && !opts.overwrite) throw new InvalidInputError(`hotkey "${hotkey}" already exists in wallet "${this.ref.name}"`, { hint: 'pick another --hotkey or pass --overwrite' });
    const mnemonic = opts.mnemonic ?? mnemonicGenerate(12);
    const k = keyfileFromMnemonic(mnemonic);
    mkdirSync(join(this.dir, 'hotkeys'), { recursive: true, mode: 0o700 });
    writeFileSync(this.hotkeyFile(hotkey), JSON.stringify(k), { mode: 0o600 });
    return { mnemonic, ss58: k.ss58Address };
  }

  coldkeypub(): PublicKeyfile {
    if (!this.hasColdkey()) throw new InvalidInputError(`wallet "${this.ref.name}" has no coldkeypub.txt in ${this.dir}`, { hint: 'create it with `zkinfer wallet create`' });
    const pub = parseKeyfile(readKeyfile(this.coldkeypubFile, 'coldkeypub file'), PublicKeyfileSchema, this.coldkeypubFile, 'coldkeypub file');
    let ss58: Uint8Array;
    try {
      ss58 = decodeAddress(pub.ss58Address);
    } catch {
      throw new KeyfileError(`coldkeypub file ${this.coldkeypubFile}: ss58Address is not a valid SS58 address`, REGEN_HINT);
    }
    if (u8aToHex(ss58) !== pub.publicKey.toLowerCase() || pub.accountId.toLowerCase() !== pub.publicKey.toLowerCase()) {
      throw new KeyfileError(`coldkeypub file ${this.coldkeypubFile} is inconsistent: its ss58Address, publicKey and accountId are not one key`, REGEN_HINT);
    }
    return pub;
  }

  /** The hotkey file's JSON, checked: its secrets are the key of its public fields (pairFrom). */
  hotkeyJson(hotkey = this.ref.hotkey): KeyfileJson {
    return this.hotkey(hotkey).json;
  }

  /** The hotkey as an sr25519 signer. */
  hotkeyPair(hotkey = this.ref.hotkey): KeyringPair {
    return this.hotkey(hotkey).pair;
  }

  private hotkey(hotkey: string): { json: KeyfileJson; pair: KeyringPair } {
    checkName('hotkey', hotkey);
    const file = this.hotkeyFile(hotkey);
    if (!existsSync(file)) throw new InvalidInputError(`hotkey "${hotkey}" not found at ${file}`, { hint: 'create it with `zkinfer wallet create --hotkey NAME` or set BT_WALLET_HOTKEY' });
    const raw = readKeyfile(file, 'hotkey file');
    if (isEncrypted(raw)) throw new KeyfileError(`hotkey ${file} is encrypted`, 'zkinfer reads hotkeys as plain JSON, as Bittensor creates them');
    const json = parseKeyfile(raw, KeyfileJsonSchema, file, 'hotkey file');
    return { json, pair: pairFrom(json, file, 'hotkey file') };
  }

  coldkeyEncrypted(): boolean {
    return isEncrypted(readKeyfile(this.coldkeyFile, 'coldkey file'));
  }

  /** The coldkey as a signer; `password` is required when it is encrypted. Refused unless it is coldkeypub.txt's key. */
  async coldkeyPair(password?: string): Promise<KeyringPair> {
    const file = this.coldkeyFile;
    const raw = readKeyfile(file, 'coldkey file');
    let data: Uint8Array = raw;
    if (isEncrypted(raw)) {
      if (password === undefined) throw new KeyfileError(`coldkey of wallet "${this.ref.name}" is encrypted`, 'supply the coldkey password');
      data = await decryptKeyfileData(raw, password, this.kdf);
    }
    const pair = pairFrom(parseKeyfile(data, KeyfileJsonSchema, file, 'coldkey file'), file, 'coldkey file');
    if (this.hasColdkey()) {
      const pub = this.coldkeypub();
      if (pub.publicKey.toLowerCase() !== u8aToHex(pair.publicKey)) {
        throw new KeyfileError(`coldkey file ${file} is the key of ${pair.address}, but ${this.coldkeypubFile} says ${pub.ss58Address}`, `refusing to use it: ${REGEN_HINT}`);
      }
    }
    return pair;
  }

  listHotkeys(): string[] {
    const dir = join(this.dir, 'hotkeys');
    return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
  }
}

/** One wallet in `listWallets`: an entry that cannot be read has `error` (the KeyfileError's message) instead of an address. */
export interface WalletListing {
  name: string;
  coldkey?: string;
  coldkeyError?: string;
  hotkeys: Array<{ name: string; ss58?: string; error?: string }>;
}

const errorText = (err: unknown): string => (err instanceof ZkinferError ? err.message : 'unreadable');

/**
 * All wallets under a path, with their coldkey and hotkey addresses. A bad entry (corrupt, inconsistent, not a regular
 * file, too big) is listed with its error and the listing goes on (docs/chain.md "Wallet files").
 */
export function listWallets(path = defaultWalletPath()): WalletListing[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d): WalletListing => {
      const w = new Wallet({ path, name: d.name, hotkey: 'default' });
      let coldkey: { coldkey?: string; coldkeyError?: string } = {};
      try {
        if (w.hasColdkey()) coldkey = { coldkey: w.coldkeypub().ss58Address };
      } catch (err) {
        coldkey = { coldkeyError: errorText(err) };
      }
      const hotkeys = w.listHotkeys().map((h) => {
        try { return { name: h, ss58: w.hotkeyJson(h).ss58Address }; } catch (err) { return { name: h, error: errorText(err) }; }
      });
      return { name: d.name, ...coldkey, hotkeys };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
