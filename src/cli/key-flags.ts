/**
 * Signer flags of the chain commands: a Bittensor wallet (--name/--hotkey/--path, or the SDK's
 * --wallet.name/--wallet.hotkey/--wallet.path) or dev keyring URIs (--coldkey-uri //Alice).
 * Coldkey password from ZKINFER_COLDKEY_PASSWORD (docs/chain.md "CLI").
 */
import type { Command } from 'commander';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Signer } from '../chain/types.js';
import { resolveWalletRef, Wallet } from '../protocol/wallet/wallet.js';
import { addWalletAliases, walletRefOf, type WalletAliasValues } from './bt-flags.js';

export interface KeyFlags extends WalletAliasValues {
  name?: string;
  hotkey?: string;
  path?: string;
  coldkeyUri?: string;
  hotkeyUri?: string;
  hotkeyAddress?: string;
}

export const devKeyring = (): Keyring => new Keyring({ type: 'sr25519', ss58Format: 42 });

export function withKeys(c: Command): Command {
  return addWalletAliases(c
    .option('--name <wallet>', 'wallet name (env BT_WALLET_NAME, default "default")')
    .option('--hotkey <hotkey>', 'wallet hotkey name (env BT_WALLET_HOTKEY, default "default")')
    .option('--path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)')
    .option('--coldkey-uri <uri>', 'dev coldkey as a keyring URI instead of a wallet, e.g. //Alice')
    .option('--hotkey-uri <uri>', 'dev hotkey as a keyring URI instead of a wallet, e.g. //Alice//miner1')
    .option('--hotkey-address <ss58>', 'hotkey by address (for register / stake: no secret needed)'));
}

const walletOf = (f: KeyFlags): Wallet => new Wallet(resolveWalletRef(walletRefOf(f.name, f.hotkey, f.path, f)));

/** The coldkey signer: --coldkey-uri, else the wallet's coldkey (password from ZKINFER_COLDKEY_PASSWORD). */
export async function coldkeySigner(f: KeyFlags): Promise<Signer> {
  await cryptoWaitReady();
  if (f.coldkeyUri) return devKeyring().addFromUri(f.coldkeyUri);
  return walletOf(f).coldkeyPair(process.env.ZKINFER_COLDKEY_PASSWORD);
}

/** The coldkey address without unlocking it: --coldkey-uri, else the wallet's coldkeypub. */
export async function coldkeyAddress(f: KeyFlags): Promise<string> {
  await cryptoWaitReady();
  if (f.coldkeyUri) return devKeyring().addFromUri(f.coldkeyUri).address;
  return walletOf(f).coldkeypub().ss58Address;
}

/** The hotkey signer: --hotkey-uri, else the wallet's hotkey. */
export async function hotkeySigner(f: KeyFlags): Promise<Signer> {
  await cryptoWaitReady();
  if (f.hotkeyUri) return devKeyring().addFromUri(f.hotkeyUri);
  return walletOf(f).hotkeyPair();
}

/** A hotkey address: --hotkey-address, --hotkey-uri, or the wallet's hotkey. */
export async function hotkeyAddress(f: KeyFlags): Promise<string> {
  if (f.hotkeyAddress) return f.hotkeyAddress;
  return (await hotkeySigner(f)).address;
}
