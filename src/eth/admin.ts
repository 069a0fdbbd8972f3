import type { Address, Hex } from 'viem';
import { depositVaultAbi, erc20MetadataAbi } from './abi-index.js';
import type { EthClients } from './clients.js';
import type { DeployedToken, Deployment } from './deployment.js';
import { sendTx } from './tx.js';

/** Owner: whitelist an existing token (or list a removed one again); returns its deployment entry. */
export async function addToken(clients: EthClients, d: Deployment, token: Address, weight: bigint): Promise<DeployedToken> {
  const [symbol, decimals] = await Promise.all([
    clients.publicClient.readContract({ address: token, abi: erc20MetadataAbi, functionName: 'symbol' }),
    clients.publicClient.readContract({ address: token, abi: erc20MetadataAbi, functionName: 'decimals' }),
  ]);
  await sendTx(clients, { address: d.vault, abi: depositVaultAbi, functionName: 'addToken', args: [token, weight] });
  const known = Object.values(d.tokens).find((t) => t.address.toLowerCase() === token.toLowerCase());
  return { address: token, symbol, decimals, weight: String(weight), devMintable: known?.devMintable ?? false };
}

/** Owner: stop deposits and points of a token; balances stay withdrawable. */
export async function removeToken(clients: EthClients, vault: Address, token: Address): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'removeToken', args: [token] })).hash;
}

/** Owner: change a listed token's points weight (1e18 = 1.0). */
export async function setWeight(clients: EthClients, vault: Address, token: Address, weight: bigint): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'setWeight', args: [token, weight] })).hash;
}

/** Owner: refuse deposits from `at` (unix seconds; default: the next block). */
export async function stopDeposits(clients: EthClients, vault: Address, at?: bigint): Promise<bigint> {
  const when = at ?? (await clients.publicClient.getBlock()).timestamp + 1n;
  await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'setDepositStopTime', args: [when] });
  return when;
}

/** Owner: set the account allowed to move user balances after deposits stop. */
export async function setClaimManager(clients: EthClients, vault: Address, manager: Address): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'setClaimManager', args: [manager] })).hash;
}

/** Owner: pause or unpause deposits, withdrawals, restaking and claims. */
export async function setPaused(clients: EthClients, vault: Address, paused: boolean): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: paused ? 'pause' : 'unpause', args: [] })).hash;
}
