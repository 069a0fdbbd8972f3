// Devnet set-up shared by tests: a funded coldkey with a registered, staked validator hotkey.
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Devnet } from '../../src/chain/devnet/devnet.js';
import { taoToRao } from '../../src/chain/types.js';

export interface StakedValidator {
  keyring: Keyring;
  cold: KeyringPair;
  validator: KeyringPair;
}

/** Fund `coldUri` with `faucetTao`, register `validatorUri` on `netuid` and stake `stakeTao` on it. */
export async function stakedValidator(
  devnet: Devnet,
  o: { netuid: number; coldUri: string; validatorUri: string; faucetTao: number; stakeTao: number },
): Promise<StakedValidator> {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const cold = keyring.addFromUri(o.coldUri);
  await devnet.faucet(cold.address, taoToRao(o.faucetTao));
  const validator = keyring.addFromUri(o.validatorUri);
  await devnet.burnedRegister(o.netuid, cold, validator.address);
  await devnet.addStake(cold, validator.address, taoToRao(o.stakeTao));
  return { keyring, cold, validator };
}

/** Produce blocks up to and including the subnet's next epoch (the devnet's own schedule); returns that block. */
export function runToNextEpoch(devnet: Devnet, netuid: number): number {
  const at = devnet.nextEpochBlock(netuid);
  if (at === null) throw new Error(`subnet ${netuid} has tempo 0: no epochs`);
  return devnet.produceBlocks(at - devnet.block);
}
