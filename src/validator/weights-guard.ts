/**
 * Why the chain would refuse this validator's set_weights right now, checked before sending so a
 * validator never submits an extrinsic that only fails (docs/chain.md "Validators and set_weights").
 */
import type { Hyperparameters, Metagraph } from '../chain/types.js';

/** The refusal the chain would answer with (subtensor's error name + what to do), or undefined when set_weights may go. */
export function weightsRefusal(hp: Hyperparameters, m: Metagraph, hotkey: string, uids: number[]): string | undefined {
  if (hp.commitRevealWeightsEnabled) {
    return 'CommitRevealEnabled: this subnet takes weights only by commit-reveal, which zkinfer does not send yet; '
      + 'scores are kept and weights resume when the owner turns commit-reveal off (btcli sudo set --param commit_reveal_weights_enabled --value false)';
  }
  const me = m.hotkeys.indexOf(hotkey);
  if (me < 0) return `HotKeyNotRegisteredInSubNet: ${hotkey} is not registered on subnet ${m.netuid}; register it (zkinfer chain register)`;
  const selfOnly = uids.length === 1 && uids[0] === me;
  if (!selfOnly && !m.validatorPermit[me]) {
    return `NeuronNoValidatorPermit: uid ${me} has no validator permit yet (top ${hp.maxAllowedValidators} by stake at the last epoch); add stake and wait for an epoch`;
  }
  return undefined;
}
