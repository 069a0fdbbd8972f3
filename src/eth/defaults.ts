// Dependency-free constants of the Ethereum tooling, so the CLI can show them in --help without loading viem.

/** Where `zkinfer eth deploy` writes the deployment and the other eth commands read it. */
export const DEFAULT_DEPLOYMENT_FILE = '.zkinfer/eth-deployment.json';

/** Default seconds the first call to a node (its chain id) may take before the node counts as unreachable (`--connect-timeout`). */
export const CONNECT_TIMEOUT_S = 10;
