import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { InvalidInputError } from '../../errors/base.js';
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

function pairFrom(k: KeyfileJson): KeyringPair {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  if (k.secretPhrase) return keyring.addFromMnemonic(k.secretPhrase);
  if (k.secretSeed) return keyring.addFromSeed(Buffer.from(k.secretSeed.slice(2), 'hex'));
  throw new KeyfileError('keyfile has neither secretPhrase nor secretSeed', 'regenerate the key from its mnemonic');
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
    return PublicKeyfileSchema.parse(JSON.parse(readFileSync(this.coldkeypubFile, 'utf8')));
  }

  hotkeyJson(hotkey = this.ref.hotkey): KeyfileJson {
    const file = this.hotkeyFile(hotkey);
    if (!existsSync(file)) throw new InvalidInputError(`hotkey "${hotkey}" not found at ${file}`, { hint: 'create it with `zkinfer wallet create --hotkey NAME` or set BT_WALLET_HOTKEY' });
    const raw = readFileSync(file);
    if (isEncrypted(raw)) throw new KeyfileError(`hotkey ${file} is encrypted`, 'zkinfer reads hotkeys as plain JSON, as Bittensor creates them');
    return KeyfileJsonSchema.parse(JSON.parse(raw.toString('utf8')));
  }

  /** The hotkey as an sr25519 signer. */
  hotkeyPair(hotkey = this.ref.hotkey): KeyringPair {
    return pairFrom(this.hotkeyJson(hotkey));
  }

  coldkeyEncrypted(): boolean {
    return isEncrypted(readFileSync(this.coldkeyFile));
  }

  /** The coldkey as a signer; `password` is required when it is encrypted. */
  async coldkeyPair(password?: string): Promise<KeyringPair> {
    const raw = readFileSync(this.coldkeyFile);
    let data: Uint8Array = raw;
    if (isEncrypted(raw)) {
      if (password === undefined) throw new KeyfileError(`coldkey of wallet "${this.ref.name}" is encrypted`, 'supply the coldkey password');
      data = await decryptKeyfileData(raw, password, this.kdf);
    }
    return pairFrom(KeyfileJsonSchema.parse(JSON.parse(Buffer.from(data).toString('utf8'))));
  }

  listHotkeys(): string[] {
    const dir = join(this.dir, 'hotkeys');
    return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
  }
}

/** All wallets under a path, with their coldkey and hotkey addresses. */
export function listWallets(path = defaultWalletPath()): Array<{ name: string; coldkey?: string; hotkeys: Array<{ name: string; ss58?: string }> }> {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => {
      const w = new Wallet({ path, name: d.name, hotkey: 'default' });
      let coldkey: string | undefined;
      try { coldkey = w.coldkeypub().ss58Address; } catch { coldkey = undefined; }
      const hotkeys = w.listHotkeys().map((h) => {
        try { return { name: h, ss58: w.hotkeyJson(h).ss58Address }; } catch { return { name: h }; }
      });
      return { name: d.name, ...(coldkey ? { coldkey } : {}), hotkeys };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
