/**
 * Signer flags of the chain commands: a Bittensor wallet (--name/--hotkey/--path, or the SDK's
 * --wallet.name/--wallet.hotkey/--wallet.path) or dev keyring URIs (--coldkey-uri //Alice).
 * Coldkey password from ZKINFER_COLDKEY_PASSWORD (docs/chain.md "CLI").
 */
import type { Command } from 'commander';
import type { KeyringPair } from '@polkadot/keyring/types';
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
async function keys(): Promise<{ devPair: (uri: string, flag: string) => KeyringPair; walletOf: (f: KeyFlags) => Wallet }> {
  const [{ Keyring }, { cryptoWaitReady, keyExtractSuri, mnemonicValidate }, { isHex }, { resolveWalletRef, Wallet }] = await Promise.all([
    import('@polkadot/keyring'), import('@polkadot/util-crypto'), import('@polkadot/util'), import('../protocol/wallet/wallet.js'),
  ]);
  await cryptoWaitReady();
  return {
    devPair: (uri, flag) => {
      if (uri.trim() === '') throw new InvalidInputError(`${flag} is empty`, { hint: `${URI_FORMS}, or leave the flag out to use the wallet` });
      // The keyring turns ANY phrase into a key ("alice" for //Alice signed with an empty stranger account): take only
      // the forms it documents — a derivation of the dev phrase, or a valid mnemonic or 0x seed with an optional path.
      let phrase: string | undefined;
      try {
        phrase = uri.startsWith('//') ? undefined : keyExtractSuri(uri).phrase;
      } catch {
        phrase = '';
      }
      if (phrase !== undefined && !isHex(phrase, 256) && !mnemonicValidate(phrase)) {
        throw new InvalidInputError(`${flag} is not a keyring URI`, { hint: URI_FORMS });
      }
      return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(uri);
    },
    walletOf: (f) => new Wallet(resolveWalletRef(walletRefOf(f.name, f.hotkey, f.path, f))),
  };
}

/** What a keyring URI flag takes (docs/chain.md "Flag values"). */
const URI_FORMS = 'use //NAME (a dev key, e.g. //Alice or //Alice//miner1), a 12–24-word mnemonic or a 0x 32-byte seed, optionally followed by //PATH';

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
  const { devPair, walletOf } = await keys();
  if (f.coldkeyUri !== undefined) return devPair(f.coldkeyUri, '--coldkey-uri');
  const w = walletOf(f);
  w.coldkeypub(); // clear error when the wallet has no coldkey
  return w.coldkeyPair(w.coldkeyEncrypted() ? await coldkeyPassword(w.ref.name) : undefined);
}

/** The coldkey address without unlocking it: --coldkey-uri, else the wallet's coldkeypub. */
export async function coldkeyAddress(f: KeyFlags): Promise<string> {
  const { devPair, walletOf } = await keys();
  if (f.coldkeyUri !== undefined) return devPair(f.coldkeyUri, '--coldkey-uri').address;
  return walletOf(f).coldkeypub().ss58Address;
}

/** The hotkey signer: --hotkey-uri, else the wallet's hotkey. */
export async function hotkeySigner(f: KeyFlags): Promise<Signer> {
  const { devPair, walletOf } = await keys();
  if (f.hotkeyUri !== undefined) return devPair(f.hotkeyUri, '--hotkey-uri');
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
