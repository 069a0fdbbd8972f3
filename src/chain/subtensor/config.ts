/**
 * polkadot-js configuration for subtensor (Bittensor's chain): the custom transaction extensions its
 * runtime declares, and the public endpoints. polkadot-js must know each extension's extra fields or
 * it cannot encode a signed extrinsic; extensions absent from a node's metadata are simply unused.
 */
import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';

/**
 * Custom extensions across subtensor runtimes (docs/chain.md). Recent runtimes replace
 * ChargeTransactionPayment by ChargeTransactionPaymentWrapper (same tip field) and add
 * SudoTransactionExtension / CheckShieldedTxValidity; the metadata in test/fixtures/subtensor has
 * ChargeTransactionPayment, SubtensorTransactionExtension, DrandPriority and CheckMetadataHash
 * (the latter two known to polkadot-js already).
 */
export const SUBTENSOR_SIGNED_EXTENSIONS: ExtDef = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: 'Compact<Balance>' }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
};

/**
 * Endpoints by network name, as the Bittensor SDK's `bittensor/core/settings.py` (NETWORKS / NETWORK_MAP)
 * defines them (opentensor/bittensor at commit bb526e6d61210ef2ee0e229f63ca5518381ff5a7). `local` is
 * overridden by BT_SUBTENSOR_CHAIN_ENDPOINT, as there (src/chain/open.ts).
 */
export const SUBTENSOR_NETWORKS: Record<string, string> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

/** Block time of subtensor networks, ms (the SDK's BLOCKTIME = 12 s). */
export const SUBTENSOR_BLOCK_TIME_MS = 12_000;

/** SS58 prefix used by Bittensor. */
export const SS58_FORMAT = 42;

/** Axon protocol value the Bittensor SDK publishes with serve_axon. */
export const BITTENSOR_AXON_PROTOCOL = 4;
