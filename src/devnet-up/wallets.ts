import type { KeyringPair } from '@polkadot/keyring/types';
import { Wallet } from '../protocol/wallet/wallet.js';

export interface DevnetNeuronKeys {
  name: string;
  role: 'validator' | 'miner';
  coldkey: KeyringPair;
  hotkey: KeyringPair;
}

/**
 * Wallets for the devnet neurons in Bittensor's layout under `<data>/wallets`: one wallet per neuron,
 * hotkey "default". Coldkeys are stored UNENCRYPTED (dev only: these keys hold devnet tokens only).
 * Reused on later runs.
 */
export async function ensureDevnetWallets(path: string, miners: number): Promise<DevnetNeuronKeys[]> {
  const names: Array<[string, 'validator' | 'miner']> = [['validator', 'validator'], ...Array.from({ length: miners }, (_, i) => [`miner${i + 1}`, 'miner'] as [string, 'miner'])];
  const out: DevnetNeuronKeys[] = [];
  for (const [name, role] of names) {
    const w = new Wallet({ path, name, hotkey: 'default' });
    if (!w.hasColdkey()) await w.createColdkey(null);
    if (!w.hasHotkey()) w.createHotkey();
    out.push({ name, role, coldkey: await w.coldkeyPair(), hotkey: w.hotkeyPair() });
  }
  return out;
}
