import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { newColdkeyPassword } from './prompt.js';

interface WalletFlags {
  name?: string;
  hotkey?: string;
  path?: string;
}

/** The wallet module (loaded on use: its crypto is heavy for `zkinfer --help`). */
const walletLib = () => Promise.all([import('../protocol/signing.js'), import('../protocol/wallet/wallet.js')])
  .then(async ([{ ensureCrypto }, lib]) => { await ensureCrypto(); return lib; });

/** `zkinfer wallet create|list|show` — Bittensor-layout wallets (~/.bittensor/wallets). */
export function registerWallet(program: Command): void {
  const wallet = program
    .command('wallet')
    .description('Bittensor-compatible wallets: coldkey ($NACL encrypted) and hotkeys, env BT_WALLET_NAME/HOTKEY/PATH');
  const common = (c: Command): Command =>
    c
      .option('--name <name>', 'wallet name (env BT_WALLET_NAME, default "default")')
      .option('--hotkey <hotkey>', 'hotkey name (env BT_WALLET_HOTKEY, default "default")')
      .option('--path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)');

  common(wallet.command('create').description('create a coldkey (if missing) and a hotkey'))
    .option('--no-password', 'store the coldkey unencrypted (dev only)')
    .option('--mnemonic <words>', 'regenerate the coldkey from this mnemonic instead of a new one')
    .option('--overwrite', 'replace an existing hotkey of the same name')
    .action(async (flags: WalletFlags & { password: boolean; mnemonic?: string; overwrite?: boolean }) => {
      const { resolveWalletRef, Wallet } = await walletLib();
      const w = new Wallet(resolveWalletRef(flags));
      if (flags.mnemonic !== undefined && w.hasColdkey()) {
        throw new InvalidInputError(`wallet "${w.ref.name}" already has a coldkey (${w.coldkeypub().ss58Address}); --mnemonic would not replace it`, {
          hint: `restore the mnemonic under another --name, or move ${w.dir} away first`,
        });
      }
      if (!w.hasColdkey()) {
        const password = flags.password ? await newColdkeyPassword() : null;
        const c = await w.createColdkey(password, flags.mnemonic ? { mnemonic: flags.mnemonic } : {});
        console.log(`coldkey ${c.ss58} (${password === null ? 'UNENCRYPTED, dev only' : '$NACL encrypted'}) in ${w.dir}`);
        if (!flags.mnemonic) console.log(`  mnemonic (write it down, it is shown once): ${c.mnemonic}`);
      } else {
        console.log(`coldkey ${w.coldkeypub().ss58Address} exists in ${w.dir}`);
      }
      const h = w.createHotkey(w.ref.hotkey, { overwrite: flags.overwrite === true });
      console.log(`hotkey "${w.ref.hotkey}" ${h.ss58} in ${w.hotkeyFile()}`);
    });

  wallet
    .command('list')
    .description('list wallets with their coldkey and hotkey addresses (a bad keyfile is flagged, not fatal)')
    .option('--path <dir>', 'wallets directory (env BT_WALLET_PATH)')
    .option('--json', 'print JSON')
    .action(async (flags: { path?: string; json?: boolean }) => {
      const { listWallets, resolveWalletRef } = await walletLib();
      const ws = listWallets(resolveWalletRef(flags).path);
      if (flags.json) return console.log(JSON.stringify(ws, null, 2));
      if (ws.length === 0) return console.log(`no wallets in ${resolveWalletRef(flags).path}`);
      for (const w of ws) {
        console.log(`${w.name}  coldkey ${w.coldkey ?? (w.coldkeyError !== undefined ? `(unreadable: ${w.coldkeyError})` : '(none)')}`);
        for (const h of w.hotkeys) console.log(`  └─ ${h.name}  ${h.ss58 ?? `(unreadable: ${h.error ?? 'unknown error'})`}`);
      }
    });

  common(wallet.command('show').description('show one wallet and hotkey (public data only)'))
    .option('--json', 'print JSON')
    .action(async (flags: WalletFlags & { json?: boolean }) => {
      const { resolveWalletRef, Wallet } = await walletLib();
      const w = new Wallet(resolveWalletRef(flags));
      const info = {
        wallet: w.ref.name,
        path: w.dir,
        coldkey: w.coldkeypub().ss58Address,
        coldkeyEncrypted: w.coldkeyEncrypted(),
        hotkey: w.ref.hotkey,
        hotkeyAddress: w.hotkeyJson().ss58Address,
        hotkeys: w.listHotkeys(),
      };
      if (flags.json) return console.log(JSON.stringify(info, null, 2));
      for (const [k, v] of Object.entries(info)) console.log(`${k.padEnd(17)} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
    });
}
