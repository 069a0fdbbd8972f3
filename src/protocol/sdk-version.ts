import { versionAsInt } from './wire.js';

/**
 * The Bittensor SDK release whose wire format zkinfer speaks, as the integer Python terminals carry
 * (`version_as_int`, so 10.2.0 → 10002000). A Python axon applies its nonce freshness window only to
 * dendrites reporting ≥ 7.2.0 (docs/network.md), so terminals must carry THIS number — never zkinfer's own
 * version key, which stays the weights version key.
 */
export const BITTENSOR_SDK_VERSION = '10.2.0';

export const BITTENSOR_SDK_VERSION_INT: number = versionAsInt(BITTENSOR_SDK_VERSION);
