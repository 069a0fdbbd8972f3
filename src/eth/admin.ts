import { parseEventLogs, type Address, type Hex } from 'viem';
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

/** Slack added to the earliest allowed stop time: the transaction may be mined a few blocks later. */
const STOP_TIME_SLACK_S = 60n;

/**
 * Owner, once: refuse deposits from `at` (unix seconds). It must be at least the vault's notice period ahead;
 * default: the earliest allowed time (+ a minute of slack).
 */
export async function stopDeposits(clients: EthClients, vault: Address, at?: bigint): Promise<bigint> {
  let when = at;
  if (when === undefined) {
    const notice = await clients.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'noticePeriod' });
    when = (await clients.publicClient.getBlock()).timestamp + notice + STOP_TIME_SLACK_S;
  }
  await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'setDepositStopTime', args: [when] });
  return when;
}

/** Owner: announce a claim manager and the only receiver its claims pay; it takes effect after the notice period. */
export async function proposeClaimManager(clients: EthClients, vault: Address, manager: Address, receiver: Address): Promise<bigint> {
  const { receipt } = await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'proposeClaimManager', args: [manager, receiver] });
  const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'ClaimManagerProposed' });
  return ev!.args.eta;
}

/** Anyone: put the proposed claim manager in place once its notice has passed (NoticePending before). */
export async function activateClaimManager(clients: EthClients, vault: Address): Promise<{ manager: Address; receiver: Address }> {
  await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'activateClaimManager', args: [] });
  const read = (functionName: 'claimManager' | 'claimReceiver') => clients.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName });
  const [manager, receiver] = await Promise.all([read('claimManager'), read('claimReceiver')]);
  return { manager, receiver };
}

/** Owner: send the vault's balance of a token nobody has a position in (sent by mistake) to `to`. */
export async function rescueToken(clients: EthClients, vault: Address, token: Address, to: Address): Promise<bigint> {
  const { receipt } = await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'rescue', args: [token, to] });
  const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'Rescued' });
  return ev!.args.amount;
}

/** Owner: pause (for at most the vault's MAX_PAUSE) or unpause deposits, restaking and claims (withdrawals are never paused). */
export async function setPaused(clients: EthClients, vault: Address, paused: boolean): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: paused ? 'pause' : 'unpause', args: [] })).hash;
}
