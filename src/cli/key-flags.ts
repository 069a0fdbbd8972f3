/**
 * Signer flags of the chain commands: a Bittensor wallet (--name/--hotkey/--path, or the SDK's
 * --wallet.name/--wallet.hotkey/--wallet.path) or dev keyring URIs (--coldkey-uri //Alice).
 * Coldkey password from ZKINFER_COLDKEY_PASSWORD (docs/chain.md "CLI").
 */
import type { Command } from 'commander';
import type { Keyring } from '@polkadot/keyring';
import type { Signer } from '../chain/types.js';
import type { Wallet } from '../protocol/wallet/wallet.js';
import { addWalletAliases, walletRefOf, type WalletAliasValues } from './bt-flags.js';
import { coldkeyPassword } from './prompt.js';
import { InvalidInputError } from '../errors/base.js';

export interface KeyFlags extends WalletAliasValues {
  name?: string;
  hotkey?: string;
  path?: string;
  coldkeyUri?: string;
  hotkeyUri?: string;
  hotkeyAddress?: string;
}

/** The keyring and wallet modules, loaded on first use (heavy for `zkinfer --help`), crypto ready. */
async function keys(): Promise<{ devKeyring: () => Keyring; walletOf: (f: KeyFlags) => Wallet }> {
  const [{ Keyring }, { cryptoWaitReady }, { resolveWalletRef, Wallet }] = await Promise.all([
    import('@polkadot/keyring'), import('@polkadot/util-crypto'), import('../protocol/wallet/wallet.js'),
  ]);
  await cryptoWaitReady();
  return {
    devKeyring: () => new Keyring({ type: 'sr25519', ss58Format: 42 }),
    walletOf: (f) => new Wallet(resolveWalletRef(walletRefOf(f.name, f.hotkey, f.path, f))),
  };
}

/** A keyring URI flag; an empty one (an unset shell variable) is refused, not read as "no flag": that signed with the default wallet. */
function uriFlag(v: string, flag: string): string {
  if (v.trim() === '') throw new InvalidInputError(`${flag} is empty`, { hint: 'e.g. //Alice, or leave the flag out to use the wallet' });
  return v;
}

export function withKeys(c: Command): Command {
  return addWalletAliases(c
    .option('--name <wallet>', 'wallet name (env BT_WALLET_NAME, default "default")')
    .option('--hotkey <hotkey>', 'wallet hotkey name (env BT_WALLET_HOTKEY, default "default")')
    .option('--path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)')
    .option('--coldkey-uri <uri>', 'dev coldkey as a keyring URI instead of a wallet, e.g. //Alice')
    .option('--hotkey-uri <uri>', 'dev hotkey as a keyring URI instead of a wallet, e.g. //Alice//miner1')
    .option('--hotkey-address <ss58>', 'hotkey by address (for register / stake: no secret needed)'));
}

/**
 * The coldkey signer: --coldkey-uri, else the wallet's coldkey; an encrypted one is unlocked with
 * ZKINFER_COLDKEY_PASSWORD or a password asked on the terminal without echo (src/cli/prompt.ts).
 */
export async function coldkeySigner(f: KeyFlags): Promise<Signer> {
  const { devKeyring, walletOf } = await keys();
  if (f.coldkeyUri !== undefined) return devKeyring().addFromUri(uriFlag(f.coldkeyUri, '--coldkey-uri'));
  const w = walletOf(f);
  w.coldkeypub(); // clear error when the wallet has no coldkey
  return w.coldkeyPair(w.coldkeyEncrypted() ? await coldkeyPassword(w.ref.name) : undefined);
}

/** The coldkey address without unlocking it: --coldkey-uri, else the wallet's coldkeypub. */
export async function coldkeyAddress(f: KeyFlags): Promise<string> {
  const { devKeyring, walletOf } = await keys();
  if (f.coldkeyUri !== undefined) return devKeyring().addFromUri(uriFlag(f.coldkeyUri, '--coldkey-uri')).address;
  return walletOf(f).coldkeypub().ss58Address;
}

/** The hotkey signer: --hotkey-uri, else the wallet's hotkey. */
export async function hotkeySigner(f: KeyFlags): Promise<Signer> {
  const { devKeyring, walletOf } = await keys();
  if (f.hotkeyUri !== undefined) return devKeyring().addFromUri(uriFlag(f.hotkeyUri, '--hotkey-uri'));
  return walletOf(f).hotkeyPair();
}

/**
 * An address flag (--hotkey-address, --address) checked here, so a typo is one line naming the flag instead of
 * the node's schema error (docs/chain.md "Flag values").
 */
export async function ss58Flag(v: string, flag: string): Promise<string> {
  const { isSs58 } = await import('../protocol/signing.js');
  if (!isSs58(v)) throw new InvalidInputError(`${flag} "${v}" is not an SS58 address`, { hint: 'e.g. 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY (`zkinfer wallet show` prints yours)' });
  return v;
}

/** A hotkey address: --hotkey-address, --hotkey-uri, or the wallet's hotkey. */
export async function hotkeyAddress(f: KeyFlags): Promise<string> {
  if (f.hotkeyAddress !== undefined) return ss58Flag(f.hotkeyAddress, '--hotkey-address');
  return (await hotkeySigner(f)).address;
}
