import { createPublicClient, createWalletClient, defineChain, http, type Chain, type Hex, type PrivateKeyAccount, type PublicClient, type Transport, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { CONNECT_TIMEOUT_S } from './defaults.js';
import { EthKeyError } from './errors.js';

export interface EthClients {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, PrivateKeyAccount>;
  account: PrivateKeyAccount;
}

export interface CreateEthClientsParameters {
  rpcUrl: string;
  privateKey: Hex;
  /** Known chain id (skips one eth_chainId round trip). */
  chainId?: number;
  /** How long the first call (the chain id) may take before the node counts as unreachable; default CONNECT_TIMEOUT_S. */
  connectTimeoutMs?: number;
}

/** Parse and check a 32-byte hex private key. */
export function parsePrivateKey(text: string): Hex {
  const k = text.trim();
  const hex = (k.startsWith('0x') ? k : `0x${k}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new EthKeyError('the Ethereum private key must be 32 bytes of hex (64 hex digits, optional 0x)', {
      hint: 'set ZKINFER_ETH_KEY or pass --key-file PATH holding the key',
    });
  }
  return hex;
}

/** Public + wallet clients for one RPC endpoint and one signing key (chain id read from the node). */
export async function createEthClients({ rpcUrl, privateKey, chainId, connectTimeoutMs = CONNECT_TIMEOUT_S * 1000 }: CreateEthClientsParameters): Promise<EthClients> {
  const transport = http(rpcUrl, { retryCount: 0, timeout: 60_000 });
  // a node that never answers fails the first call in connectTimeoutMs, not a transaction's minute (docs/eth.md, "Commands")
  const id = chainId ?? (await createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: connectTimeoutMs }) }).getChainId());
  const chain = defineChain({
    id,
    name: id === 31337 ? 'anvil (dev)' : `chain ${id}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const account = privateKeyToAccount(privateKey);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient<Transport, Chain>;
  const walletClient = createWalletClient({ chain, transport, account });
  return { chain, publicClient, walletClient, account };
}

/** Same node, another signer (tests and multi-user flows). */
export function withAccount(clients: EthClients, privateKey: Hex): EthClients {
  const account = privateKeyToAccount(privateKey);
  const walletClient = createWalletClient({ chain: clients.chain, transport: http(clients.chain.rpcUrls.default.http[0]!, { retryCount: 0 }), account });
  return { ...clients, account, walletClient };
}
