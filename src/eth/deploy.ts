import { getAddress, type Address } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20MetadataAbi, ezETHAbi, inferenceAttestorAbi, localRestakeManagerAbi } from './abi-index.js';
import type { EthClients } from './clients.js';
import type { DeployedToken, Deployment } from './deployment.js';
import { projectContract } from './project.js';
import { deployContract, sendTx } from './tx.js';

export const WEIGHT_ONE = 10n ** 18n;
/** The vault's notice before a stop time or a claim-manager change takes effect: 3 days on real networks… */
export const DEFAULT_NOTICE_PERIOD_S = 3n * 24n * 3600n;
/** …and the contract's minimum (1 hour) on the dev chain. */
export const DEV_NOTICE_PERIOD_S = 3600n;

/** The tokens of the dev stack: the LRTs the vault targets plus wETH (all 18 decimals, like the real ones). */
export const DEV_TOKENS = [
  { symbol: 'wETH', name: 'Wrapped Ether (dev)' },
  { symbol: 'stETH', name: 'Lido Staked ETH (dev)' },
  { symbol: 'rETH', name: 'Rocket Pool ETH (dev)' },
  { symbol: 'wBETH', name: 'Wrapped Beacon ETH (dev)' },
  { symbol: 'ETHx', name: 'Stader ETHx (dev)' },
  { symbol: 'sfrxETH', name: 'Staked Frax Ether (dev)' },
] as const;

export interface DeployDevStackParameters {
  claimManager?: Address;
  /** Where the claim manager's claims pay (default: the claim manager itself). */
  claimReceiver?: Address;
  /** Weight per symbol (1e18 = 1.0); default 1.0 each. */
  weights?: Record<string, bigint>;
}

/**
 * Deploy the whole INSECURE-DEV stack: mock LRTs + wETH (open mint), local ezETH + RestakeManager, the vault
 * (every token and ezETH whitelisted, restaking wired) and the attestor.
 */
export async function deployDevStack(clients: EthClients, p: DeployDevStackParameters = {}): Promise<Deployment> {
  const owner = clients.account.address;
  const dev = projectContract('DevToken');
  const tokens: Record<string, DeployedToken> = {};
  for (const t of DEV_TOKENS) {
    const { address } = await deployContract(clients, { abi: devTokenAbi, bytecode: dev.bytecode, args: [t.name, t.symbol, 18] });
    tokens[t.symbol] = { address, symbol: t.symbol, decimals: 18, weight: String(p.weights?.[t.symbol] ?? WEIGHT_ONE), devMintable: true };
  }
  const { address: ezETH } = await deployContract(clients, { abi: ezETHAbi, bytecode: projectContract('EzETH').bytecode, args: [owner] });
  const { address: manager } = await deployContract(clients, {
    abi: localRestakeManagerAbi,
    bytecode: projectContract('LocalRestakeManager').bytecode,
    args: [owner, ezETH],
  });
  await sendTx(clients, { address: ezETH, abi: ezETHAbi, functionName: 'setMinter', args: [manager] });
  for (const t of Object.values(tokens)) {
    await sendTx(clients, { address: manager, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [t.address, WEIGHT_ONE] });
  }
  tokens.ezETH = { address: ezETH, symbol: 'ezETH', decimals: 18, weight: String(p.weights?.ezETH ?? WEIGHT_ONE), devMintable: false };

  const base = await deployCore(clients, { tokens: Object.values(tokens), claimManager: p.claimManager, claimReceiver: p.claimReceiver, noticePeriod: DEV_NOTICE_PERIOD_S });
  await sendTx(clients, { address: base.vault, abi: depositVaultAbi, functionName: 'setRestakeManager', args: [manager, ezETH] });
  return { ...base, network: 'dev', restakeManager: manager, ezETH };
}

export interface DeployStackParameters {
  /** Existing ERC-20s with their weights (1e18 = 1.0). */
  tokens: Array<{ address: Address; weight: bigint }>;
  claimManager?: Address;
  claimReceiver?: Address;
  /** Seconds of notice before a stop time or claim-manager change (1 hour … 30 days; default 3 days). */
  noticePeriod?: bigint;
  /** A real Renzo-style RestakeManager and the token it mints (must also be in `tokens`). */
  restakeManager?: Address;
  ezETH?: Address;
}

/** Deploy the vault + attestor against existing tokens (a real network or a fork). */
export async function deployStack(clients: EthClients, p: DeployStackParameters): Promise<Deployment> {
  const tokens: DeployedToken[] = [];
  for (const t of p.tokens) {
    const address = getAddress(t.address);
    const [symbol, decimals] = await Promise.all([
      clients.publicClient.readContract({ address, abi: erc20MetadataAbi, functionName: 'symbol' }),
      clients.publicClient.readContract({ address, abi: erc20MetadataAbi, functionName: 'decimals' }),
    ]);
    tokens.push({ address, symbol, decimals, weight: String(t.weight), devMintable: false });
  }
  const base = await deployCore(clients, { tokens, claimManager: p.claimManager, claimReceiver: p.claimReceiver, noticePeriod: p.noticePeriod ?? DEFAULT_NOTICE_PERIOD_S });
  if (p.restakeManager && p.ezETH) {
    await sendTx(clients, { address: base.vault, abi: depositVaultAbi, functionName: 'setRestakeManager', args: [p.restakeManager, p.ezETH] });
  }
  return { ...base, restakeManager: p.restakeManager ?? null, ezETH: p.ezETH ?? null };
}

interface DeployCoreParameters {
  tokens: DeployedToken[];
  claimManager?: Address | undefined;
  claimReceiver?: Address | undefined;
  noticePeriod: bigint;
}

async function deployCore(clients: EthClients, p: DeployCoreParameters): Promise<Deployment> {
  const owner = clients.account.address;
  const zero = '0x0000000000000000000000000000000000000000';
  const { address: vault } = await deployContract(clients, {
    abi: depositVaultAbi,
    bytecode: projectContract('DepositVault').bytecode,
    args: [owner, p.noticePeriod, p.claimManager ?? zero, p.claimReceiver ?? zero],
  });
  for (const t of p.tokens) {
    await sendTx(clients, { address: vault, abi: depositVaultAbi, functionName: 'addToken', args: [t.address, BigInt(t.weight)] });
  }
  const { address: attestor } = await deployContract(clients, {
    abi: inferenceAttestorAbi,
    bytecode: projectContract('InferenceAttestor').bytecode,
    args: [owner],
  });
  return {
    version: 2,
    chainId: clients.chain.id,
    network: 'custom',
    createdAt: new Date().toISOString(),
    deployer: owner,
    vault,
    attestor,
    restakeManager: null,
    ezETH: null,
    claimManager: p.claimManager ?? null,
    noticePeriod: Number(p.noticePeriod),
    tokens: Object.fromEntries(p.tokens.map((t) => [t.symbol, t])),
    verifiers: {},
  };
}
