// Dependency-free constants of the devnet RPC, so the CLI can show them in --help without loading the client.

/** Default devnet node address (`zkinfer devnet node` listens here unless --port is given). */
export const DEFAULT_DEVNET_PORT = 9955;
export const DEFAULT_DEVNET_URL = `http://127.0.0.1:${DEFAULT_DEVNET_PORT}`;
