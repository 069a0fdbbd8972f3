import { parseEventLogs, type Address, type Hex, type TransactionReceipt } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi } from './abi-index.js';
import type { EthClients } from './clients.js';
import type { DeployedToken, Deployment } from './deployment.js';
import { DeploymentError } from './errors.js';
import { sendTx, simulateTx } from './tx.js';

/** The args of the vault's `name` event in a receipt (what actually happened on chain, not the simulation). */
function vaultEvent<N extends 'Deposited' | 'Restaked'>(receipt: TransactionReceipt, vault: Address, eventName: N) {
  const ev = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName }).find((l) => l.address.toLowerCase() === vault.toLowerCase());
  if (!ev) throw new Error(`no ${eventName} event from the vault in tx ${receipt.transactionHash}`);
  return ev.args as unknown as N extends 'Deposited' ? { credited: bigint } : { restakedMinted: bigint };
}

/** DEV ONLY: mint mock tokens from a dev token's open faucet. */
export async function devMint(clients: EthClients, token: DeployedToken, to: Address, amount: bigint): Promise<Hex> {
  if (!token.devMintable) {
    throw new DeploymentError(`${token.symbol} is not a dev token; it cannot be minted`, { hint: 'acquire the token on its network instead' });
  }
  return (await sendTx(clients, { address: token.address, abi: devTokenAbi, functionName: 'mint', args: [to, amount] })).hash;
}

export interface DepositReturnType {
  hash: Hex;
  /** What the vault credited (less than `amount` for fee-on-transfer tokens). */
  credited: bigint;
}

/**
 * Worst-case gas of one (user, token) points checkpoint that the estimate skips: in the estimate's block no time has
 * passed, so the token's index/lastUpdate and the position's points/index are left as they are; in the block the
 * transaction lands in, all four may go from zero to non-zero (22,100 gas each). Unused gas is refunded.
 */
const CHECKPOINT_GAS = 4n * 22_100n;

/** Approve the vault if needed, then deposit `amount` of `token`. */
export async function deposit(clients: EthClients, vault: Address, token: Address, amount: bigint): Promise<DepositReturnType> {
  const allowance = await clients.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [clients.account.address, vault] });
  if (allowance < amount) await sendTx(clients, { address: token, abi: erc20Abi, functionName: 'approve', args: [vault, amount] });
  const { hash, receipt } = await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'deposit', args: [token, amount], unseenGas: CHECKPOINT_GAS });
  return { hash, credited: vaultEvent(receipt, vault, 'Deposited').credited };
}

/** `amount` meaning "the whole balance" for withdraw and claim (the vault burns all the user's shares). */
export const ALL = 2n ** 256n - 1n;

/** Withdraw `amount` (or ALL) of your own `token` balance from the vault. */
export async function withdraw(clients: EthClients, vault: Address, token: Address, amount: bigint): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'withdraw', args: [token, amount], unseenGas: CHECKPOINT_GAS })).hash;
}

export interface RestakeOptions {
  /** Least ezETH to accept; default: the simulated result less `slippageBps`. */
  minMinted?: bigint;
  /** Tolerance under the simulated result when minMinted is not given (basis points, default 50 = 0.5 %). */
  slippageBps?: number;
  /** Unix seconds after which the restake must not happen; default: 20 minutes after the latest block. */
  deadline?: bigint;
  /**
   * The restake manager and restaked token the restake is for (the vault reverts with RestakeConfigChanged when its
   * configuration differs, so an owner's change cannot redirect it); default: the vault's configuration when quoting.
   */
  expect?: { manager: Address; restaked: Address };
}

/** Default restake deadline: this long after the latest block. */
const RESTAKE_DEADLINE_S = 1200n;

/**
 * Restake `amount` of your deposited `token` into the restake manager; returns the restaked token credited. The vault
 * reverts (RestakeConfigChanged / InsufficientMinted / DeadlineExpired) unless its manager and restaked token are the
 * expected ones and at least `minMinted` of that token arrives by `deadline`.
 */
export async function restake(clients: EthClients, vault: Address, token: Address, amount: bigint, o: RestakeOptions = {}): Promise<{ hash: Hex; minted: bigint; minMinted: bigint }> {
  const pc = clients.publicClient;
  const deadline = o.deadline ?? (await pc.getBlock()).timestamp + RESTAKE_DEADLINE_S;
  const { manager, restaked } = o.expect ?? {
    manager: await pc.readContract({ address: vault, abi: depositVaultAbi, functionName: 'restakeManager' }),
    restaked: await pc.readContract({ address: vault, abi: depositVaultAbi, functionName: 'restakedToken' }),
  };
  const args = (min: bigint) => [token, amount, min, deadline, manager, restaked] as const;
  let minMinted = o.minMinted;
  if (minMinted === undefined) {
    const bps = BigInt(o.slippageBps ?? 50);
    const quoted = (await simulateTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'restake', args: args(0n) })) as bigint;
    minMinted = (quoted * (10_000n - bps)) / 10_000n;
  }
  const { hash, receipt } = await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'restake', args: args(minMinted), unseenGas: 2n * CHECKPOINT_GAS });
  return { hash, minted: vaultEvent(receipt, vault, 'Restaked').restakedMinted, minMinted };
}

/** Claim manager only: move `amount` (or ALL) of `user`'s balance to the vault's fixed claim receiver (after deposits stopped). */
export async function claim(clients: EthClients, vault: Address, user: Address, token: Address, amount: bigint): Promise<Hex> {
  return (await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'claim', args: [user, token, amount], unseenGas: CHECKPOINT_GAS })).hash;
}

export interface PositionRow {
  symbol: string;
  token: Address;
  balance: bigint;
  points: bigint;
}

export interface ReadPointsReturnType {
  total: bigint;
  rows: PositionRow[];
}

/** A user's points (total and per token) and balances, accrued up to the latest block. */
export async function readPoints(clients: EthClients | Pick<EthClients, 'publicClient'>, d: Deployment, user: Address): Promise<ReadPointsReturnType> {
  const pc = clients.publicClient;
  const total = await pc.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'pointsOf', args: [user] });
  const rows = await Promise.all(
    Object.values(d.tokens).map(async (t) => ({
      symbol: t.symbol,
      token: t.address,
      balance: await pc.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'balanceOf', args: [user, t.address] }),
      points: await pc.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'pointsOfToken', args: [user, t.address] }),
    })),
  );
  return { total, rows };
}
