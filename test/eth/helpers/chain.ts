/** Test harness: a fresh anvil on a free loopback port, clients for its funded dev keys, and deploy helpers. */
import assert from 'node:assert/strict';
import { createTestClient, http, type Abi, type Address, type Hex } from 'viem';
import { startAnvil, type AnvilInstance } from '../../../src/eth/anvil.js';
import { createEthClients, withAccount, type EthClients } from '../../../src/eth/clients.js';
import { EthTransactionError } from '../../../src/eth/errors.js';
import { projectContract, type ProjectContractName } from '../../../src/eth/project.js';
import { deployContract } from '../../../src/eth/tx.js';

export interface TestChain {
  anvil: AnvilInstance;
  /** Account 0: deploys and owns everything. */
  owner: EthClients;
  /** Accounts 1..n. */
  users: EthClients[];
  test: ReturnType<typeof makeTestClient>;
  stop(): Promise<void>;
}

function makeTestClient(rpcUrl: string) {
  return createTestClient({ mode: 'anvil', transport: http(rpcUrl, { retryCount: 0 }) });
}

export async function startTestChain(users = 5): Promise<TestChain> {
  const anvil = await startAnvil({ accounts: users + 1 });
  const owner = await createEthClients({ rpcUrl: anvil.rpcUrl, privateKey: anvil.privateKeys[0]!, chainId: anvil.chainId });
  return {
    anvil,
    owner,
    users: anvil.privateKeys.slice(1).map((k) => withAccount(owner, k)),
    test: makeTestClient(anvil.rpcUrl),
    stop: () => anvil.stop(),
  };
}

/** Deploy one project contract by name. */
export async function deploy(clients: EthClients, name: ProjectContractName, args: readonly unknown[] = []): Promise<Address> {
  const c = projectContract(name);
  return (await deployContract(clients, { abi: c.abi as Abi, bytecode: c.bytecode as Hex, args })).address;
}

/** Assert that `p` rejects with an EthTransactionError naming `errorName`. */
export async function expectRevert(p: Promise<unknown>, errorName: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof EthTransactionError, `expected EthTransactionError, got ${String(err)}`);
    assert.equal(err.errorName, errorName, err.message);
    return true;
  });
}

/** Latest block timestamp. */
export async function now(c: EthClients): Promise<bigint> {
  return (await c.publicClient.getBlock()).timestamp;
}
