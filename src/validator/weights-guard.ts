/**
 * Why the chain would refuse this validator's set_weights right now, checked before sending so a
 * validator never submits an extrinsic that only fails (docs/chain.md "Validators and set_weights").
 * On commit-reveal subnets the same checks run at the reveal, where a refusal would be silent, so they
 * are made before the commit too.
 */
import type { Hyperparameters, Metagraph } from '../chain/types.js';

/** The refusal the chain would answer with (subtensor's error name + what to do), or undefined when set_weights may go. */
export function weightsRefusal(hp: Hyperparameters, m: Metagraph, hotkey: string, uids: number[]): string | undefined {
  const me = m.hotkeys.indexOf(hotkey);
  if (me < 0) return `HotKeyNotRegisteredInSubNet: ${hotkey} is not registered on subnet ${m.netuid}; register it (zkinfer chain register)`;
  const selfOnly = uids.length === 1 && uids[0] === me;
  if (!selfOnly && !m.validatorPermit[me]) {
    return `NeuronNoValidatorPermit: uid ${me} has no validator permit yet (top ${hp.maxAllowedValidators} by stake at the last epoch); add stake and wait for an epoch`;
  }
  return undefined;
}
