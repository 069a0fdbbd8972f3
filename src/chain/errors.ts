/**
 * Typed chain errors. Each subtensor dispatch error the devnet reproduces has its own class (the
 * subtensor error name is in `code`), so callers can `instanceof` them and the RPC client can rebuild
 * them from the wire (see `chainErrorFromWire`).
 */
import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Base class of every chain error. */
export class ChainError extends ZkinferError {
  override readonly name: string = 'ChainError';
}

function def(name: string, code: string, defaultHint: string) {
  const C = class extends ChainError {
    override readonly name: string = name;
    constructor(message: string, opts: ZkinferErrorOptions = {}) {
      super(code, message, { ...opts, hint: opts.hint ?? defaultHint });
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

// ---- subnets / accounts ----
export const SubnetNotFoundError = def('SubnetNotFoundError', 'SubnetNotExists',
  'Check --netuid (`zkinfer chain metagraph --netuid N` reads a subnet); the devnet creates netuid 1 at genesis.');
export const HotkeyNotRegisteredError = def('HotkeyNotRegisteredError', 'HotKeyNotRegisteredInSubNet',
  'Register the hotkey first: `zkinfer chain register --netuid N ...`.');
export const AlreadyRegisteredError = def('AlreadyRegisteredError', 'HotKeyAlreadyRegisteredInSubNet',
  'This hotkey already has a uid on the subnet; use another hotkey or keep the existing uid.');
export const HotkeyOwnedByOtherColdkeyError = def('HotkeyOwnedByOtherColdkeyError', 'NonAssociatedColdKey',
  'A hotkey belongs to the coldkey that first registered or staked it; sign with that coldkey.');
export const InsufficientBalanceError = def('InsufficientBalanceError', 'NotEnoughBalanceToStake',
  'Fund the coldkey first (devnet: `zkinfer devnet faucet --name WALLET --amount TAO`, or `--address SS58`).');
export const NotEnoughStakeError = def('NotEnoughStakeError', 'NotEnoughStakeToWithdraw',
  'Remove at most the stake shown by `zkinfer chain metagraph`.');
export const TooManyRegistrationsError = def('TooManyRegistrationsError', 'TooManyRegistrationsThisBlock',
  'Wait for the next block and retry.');
export const InvalidAmountError = def('InvalidAmountError', 'AmountTooLow', 'Use a positive amount in τ (the JSON-RPC API takes rao).');

// ---- dynamic-TAO swaps (subtensor's SlippageTooHigh, the swap pallet's PriceLimitExceeded) ----
export const SlippageTooHighError = def('SlippageTooHighError', 'SlippageTooHigh',
  'The amount would move the price past your limit: stake less, raise `--limit-price`/`--rate-tolerance`, or pass `--allow-partial`.');
export const SameNetuidError = def('SameNetuidError', 'SameNetuid', 'Swap stake between two different subnets.');
export const PriceLimitExceededError = def('PriceLimitExceededError', 'PriceLimitExceeded',
  'The limit price is already on the wrong side of the pool price: a stake limit must be above it, an unstake limit below it (read it with `zkinfer chain pool --netuid N`).');

// ---- hyperparameters ----
export const AlphaHighTooLowError = def('AlphaHighTooLowError', 'AlphaHighTooLow',
  'Set alphaHigh to at least 1638 (u16::MAX / 40).');
export const AlphaLowOutOfRangeError = def('AlphaLowOutOfRangeError', 'AlphaLowOutOfRange',
  'Set alphaLow between 1638 (u16::MAX / 40) and alphaHigh.');

// ---- subnet-owner admin calls: set_tempo, set_activity_cutoff_factor, trigger_epoch (docs/chain.md "Epoch schedule") ----
export const NotSubnetOwnerError = def('NotSubnetOwnerError', 'BadOrigin',
  'Sign with the coldkey that owns the subnet (see `zkinfer chain hyperparameters`).');
export const NotRootError = def('NotRootError', 'RootOrigin',
  'Only the devnet\'s sudo key (//Alice, as on a subtensor localnet) may send this root call.');
export const TempoOutOfBoundsError = def('TempoOutOfBoundsError', 'TempoOutOfBounds',
  'Pick a tempo between 360 and 50400 blocks (MIN_TEMPO..MAX_TEMPO).');
export const ActivityCutoffFactorOutOfBoundsError = def('ActivityCutoffFactorOutOfBoundsError', 'ActivityCutoffFactorMilliOutOfBounds',
  'Pick a factor between 1000 and 50000 per mille of the tempo (cutoff = factor × tempo / 1000 blocks).');
export const AdminWindowClosedError = def('AdminWindowClosedError', 'AdminActionProhibitedDuringWeightsWindow',
  'Admin calls are frozen in the last AdminFreezeWindow blocks before an epoch and while a triggered epoch is pending; retry after the epoch.');
export const AdminRateLimitError = def('AdminRateLimitError', 'TxRateLimitExceeded',
  'The subnet owner changed this setting too recently; retry after the block named in the message.');
export const EpochTriggerAlreadyPendingError = def('EpochTriggerAlreadyPendingError', 'EpochTriggerAlreadyPending',
  'An epoch is already triggered; wait for it to run.');
export const AutoEpochAlreadyImminentError = def('AutoEpochAlreadyImminentError', 'AutoEpochAlreadyImminent',
  'The scheduled epoch comes sooner than a triggered one would; wait for it.');
export const DynamicTempoBlockedByCommitRevealError = def('DynamicTempoBlockedByCommitRevealError', 'DynamicTempoBlockedByCommitReveal',
  'trigger_epoch is refused on commit-reveal subnets (it would break the reveal schedule); turn commit-reveal off first.');

// ---- set_weights (one class per subtensor check) ----
export const WeightVecLengthMismatchError = def('WeightVecLengthMismatchError', 'WeightVecNotEqualSize',
  'Pass exactly one weight per uid.');
export const IncorrectWeightVersionKeyError = def('IncorrectWeightVersionKeyError', 'IncorrectWeightVersionKey',
  'Upgrade the validator: its version key is below the subnet\'s `weightsVersion` hyperparameter.');
export const WeightsRateLimitError = def('WeightsRateLimitError', 'SettingWeightsTooFast',
  'Wait `weightsRateLimit` blocks after registration or the previous set_weights.');
export const InvalidUidError = def('InvalidUidError', 'UidVecContainInvalidOne',
  'Set weights only on uids that exist on the subnet (read the metagraph first).');
export const TooFewWeightsError = def('TooFewWeightsError', 'WeightVecLengthIsLow',
  'Set at least `minAllowedWeights` non-zero weights (or only a self-weight).');
export const DuplicateUidsError = def('DuplicateUidsError', 'DuplicateUids', 'List each uid once.');
export const NoValidatorPermitError = def('NoValidatorPermitError', 'NeuronNoValidatorPermit',
  'Only the top `maxAllowedValidators` hotkeys by stake may set weights on others: add stake.');
export const MaxWeightExceededError = def('MaxWeightExceededError', 'MaxWeightExceeded',
  'Spread weight more evenly: one uid exceeds the subnet\'s `maxWeightsLimit` share.');
export const CommitRevealEnabledError = def('CommitRevealEnabledError', 'CommitRevealEnabled',
  'This subnet takes weights only by commit-reveal: commit them timelocked (the validator does so by itself; see docs/chain.md "Commit-reveal weights").');

// ---- commit-reveal v3 (timelocked weights; docs/chain.md "Commit-reveal weights") ----
export const CommitRevealDisabledError = def('CommitRevealDisabledError', 'CommitRevealDisabled',
  'This subnet has commit-reveal off: set weights directly.');
export const IncorrectCommitRevealVersionError = def('IncorrectCommitRevealVersionError', 'IncorrectCommitRevealVersion',
  'Commit with the chain\'s commit-reveal version (subtensor: 4); upgrade zkinfer if the chain moved on.');
export const CommittingWeightsTooFastError = def('CommittingWeightsTooFastError', 'CommittingWeightsTooFast',
  'Wait `weightsRateLimit` blocks after the previous commit.');
export const TooManyUnrevealedCommitsError = def('TooManyUnrevealedCommitsError', 'TooManyUnrevealedCommits',
  'A hotkey may hold 10 unrevealed commits per epoch; wait for the reveal.');
export const InvalidTimelockCommitError = def('InvalidTimelockCommitError', 'InvalidTimelockCommit',
  'Send the compressed TLECiphertext of a SCALE WeightsTlockPayload (src/chain/timelock/commit.ts builds it).');
export const RevealRoundOutOfRangeError = def('RevealRoundOutOfRangeError', 'RevealRoundOutOfRange',
  'Lock the commit to a beacon round published in the reveal epoch (commitTimelocked computes it from the chain\'s beacon info).');
export const TimelockDecryptError = def('TimelockDecryptError', 'TimelockDecrypt',
  'The commit was locked to another round or beacon key, or was altered; commit again.');

// ---- serve_axon ----
export const InvalidAxonError = def('InvalidAxonError', 'InvalidIpAddress',
  'Serve a public or loopback IPv4/IPv6 address, a port 1..65535 and a version > 0.');
export const ServingRateLimitError = def('ServingRateLimitError', 'ServingRateLimitExceeded',
  'Wait `servingRateLimit` blocks between serve_axon calls (re-serving unchanged info is unnecessary).');

// ---- commitments ----
export const CommitmentTooLargeError = def('CommitmentTooLargeError', 'SpaceLimitExceeded',
  'Commit at most 1024 bytes (e.g. a list of circuit ids).');

// ---- call authentication ----
export const BadSignatureError = def('BadSignatureError', 'BadSignature',
  'Sign the call with the sr25519 key of the account the call acts for.');
export const StaleCallError = def('StaleCallError', 'Stale',
  'The call referenced a block too old or in the future; rebuild and resend it.');
export const ReplayedCallError = def('ReplayedCallError', 'Replayed', 'Each signed call may be submitted once; sign a new one.');

// ---- transport / subtensor adapter ----
export const ChainConnectionError = def('ChainConnectionError', 'ChainConnection',
  'Start the devnet node (`zkinfer devnet node --fast`) or check the --chain URL.');
export const ChainRpcError = def('ChainRpcError', 'ChainRpc', 'Check the request; the node log has details.');
export const UnsupportedOnChainError = def('UnsupportedOnChainError', 'Unsupported',
  'This operation is not available on this chain backend; see docs/chain.md.');
export const ExtrinsicFailedError = def('ExtrinsicFailedError', 'ExtrinsicFailed',
  'The node rejected the extrinsic; the dispatch error name is in the message.');

/** Every class above by its `name`, so an error that crossed RPC can be rebuilt as the same class. */
export const CHAIN_ERRORS: Record<string, new (message: string, opts?: ZkinferErrorOptions) => ChainError> = Object.fromEntries(
  [
    SubnetNotFoundError, HotkeyNotRegisteredError, AlreadyRegisteredError, HotkeyOwnedByOtherColdkeyError,
    InsufficientBalanceError, NotEnoughStakeError, TooManyRegistrationsError, InvalidAmountError,
    SlippageTooHighError, PriceLimitExceededError, SameNetuidError,
    AlphaHighTooLowError, AlphaLowOutOfRangeError,
    NotSubnetOwnerError, NotRootError, TempoOutOfBoundsError, ActivityCutoffFactorOutOfBoundsError, AdminWindowClosedError, AdminRateLimitError,
    EpochTriggerAlreadyPendingError, AutoEpochAlreadyImminentError, DynamicTempoBlockedByCommitRevealError,
    WeightVecLengthMismatchError, IncorrectWeightVersionKeyError, WeightsRateLimitError, InvalidUidError,
    TooFewWeightsError, DuplicateUidsError, NoValidatorPermitError, MaxWeightExceededError, CommitRevealEnabledError,
    CommitRevealDisabledError, IncorrectCommitRevealVersionError, CommittingWeightsTooFastError, TooManyUnrevealedCommitsError,
    InvalidTimelockCommitError, RevealRoundOutOfRangeError, TimelockDecryptError,
    InvalidAxonError, ServingRateLimitError, CommitmentTooLargeError, BadSignatureError, StaleCallError,
    ReplayedCallError, ChainConnectionError, ChainRpcError, UnsupportedOnChainError, ExtrinsicFailedError,
  ].map((C) => [C.name, C]),
);

/** Rebuild a chain error from `{name, message, hint, details}` as sent over RPC (unknown names → ChainRpcError). */
export function chainErrorFromWire(w: { name?: string; message: string; hint?: string; details?: Record<string, unknown> }): ChainError {
  const C = (w.name && CHAIN_ERRORS[w.name]) || ChainRpcError;
  const opts: ZkinferErrorOptions = {};
  if (w.hint !== undefined) opts.hint = w.hint;
  if (w.details !== undefined) opts.details = w.details;
  return new C(w.message, opts);
}
