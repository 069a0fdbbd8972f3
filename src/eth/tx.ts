import { BaseError, ContractFunctionRevertedError, getAddress, type Abi, type Address, type Hex, type TransactionReceipt } from 'viem';
import * as abis from './abi.js';
import type { EthClients } from './clients.js';
import { EthTransactionError } from './errors.js';

export interface SendTxParameters {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  /** Explicit gas limit (skips estimation — required for the Groth16 verifier path). */
  gas?: bigint;
  /**
   * Gas the estimate cannot see, added to its headroom: state the transaction writes only in a later block than
   * the estimate's (e.g. a points checkpoint whose elapsed time is 0 in the estimate's block; docs/eth.md).
   */
  unseenGas?: bigint;
  value?: bigint;
}

export interface SendTxReturnType {
  hash: Hex;
  receipt: TransactionReceipt;
  /** The function's return value as seen by the simulation just before sending. */
  result: unknown;
}

/** The custom error name (and args) of a viem contract error, if the revert could be decoded. */
export function revertOf(err: unknown): { errorName?: string; args?: readonly unknown[]; reason?: string } | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) return undefined;
  return { errorName: revert.data?.errorName ?? (revert.reason ? 'Error' : undefined), args: revert.data?.args, reason: revert.reason };
}

function fmt(v: unknown): string {
  return typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? `[${v.map(fmt).join(',')}]` : String(v);
}

/** What to do about the custom errors a user most often meets (the rest point at docs/eth.md). */
const ERROR_HINTS: Record<string, string> = {
  UnknownCircuit: 'register the circuit first: `zkinfer eth register-circuit --circuit DIR` (attestor owner), or pass --circuit DIR to `eth attest`',
  CircuitNotActive: 'the attestor owner disabled this circuit; it accepts no new attestations',
  InvalidProof: 'the proof does not verify for these public signals (tampered, or made for another circuit)',
  AlreadyAttested: 'this exact statement is already recorded; look it up with `zkinfer eth attestation --input-hash …`',
  InsufficientGas: 'too little gas left for the proof check: send attest with more gas (--gas N), or without --gas to estimate it',
  InvalidRecipient: 'the proof\'s last public signal is not an address; make it with `zkinfer prove --recipient 0x…`',
  CircuitAlreadyRegistered: 'this circuit id is registered and active; disable it first to register it again with another layout',
  CircuitIdMismatch: 'the circuit id is not the sha256 of this verification key; pass the vk.json of that circuit',
  InsufficientBalance: 'check your vault balance with `zkinfer eth points`',
  TokenNotWhitelisted: 'the vault does not accept this token (see `eth points` for the listed ones)',
  DepositsStopped: 'the deposit period is over; you can still withdraw',
  EnforcedPause: 'the vault is paused by its owner until the time shown (at most 3 days); withdrawals stay open, the rest waits until then',
  StopTimeTooSoon: 'the stop time must be at least the vault\'s notice period ahead (omit --at for the earliest)',
  StopTimeAlreadySet: 'the deposit stop time is final once set',
  NoticePending: 'the claim-manager change takes effect at the time shown; activate it then',
  InsufficientMinted: 'the restake manager mints less than you accept; check its rate or pass a lower --min-minted',
  DeadlineExpired: 'the restake was mined after its deadline; send it again',
  RestakeConfigChanged: 'the vault\'s restake manager or restaked token is not the one this restake was made for (shown); check the change before restaking again',
  ProposalExpired: 'the claim-manager proposal lapsed (not activated in time); the owner must propose it again, with a new notice',
  PauseCooldown: 'a new pause needs as long unpaused as the longest pause (3 days) after the last one',
  NothingToRescue: 'depositors hold shares of this token: only tokens nobody has a position in can be rescued',
  ERC20InsufficientBalance: 'your wallet holds less of this token than the amount (on the dev chain: `zkinfer eth mint`)',
  OwnableUnauthorizedAccount: 'only the contract owner may do this; use the deployer key',
};

/** Turn a viem error from a contract call into a typed EthTransactionError naming the custom error. */
export function toTxError(err: unknown, what: string): unknown {
  const r = revertOf(err);
  if (r?.errorName) {
    const detail = r.reason ?? `${r.errorName}(${(r.args ?? []).map(fmt).join(', ')})`;
    return new EthTransactionError(`${what} reverted: ${detail}`, r.errorName, {
      hint: ERROR_HINTS[r.errorName] ?? 'see the contract error above; docs/eth.md lists what each error means',
      cause: err,
    });
  }
  if (err instanceof BaseError) {
    return new EthTransactionError(`${what} failed: ${err.shortMessage}`, undefined, {
      hint: 'check the RPC URL, the account balance and the deployment file',
      cause: err,
    });
  }
  return err;
}

/** Every custom error of every project contract, so a revert bubbling up from a callee decodes too. */
const ALL_ERRORS: Abi = (() => {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of Object.values(abis) as Abi[]) {
    for (const e of abi) {
      if (e.type !== 'error') continue;
      const sig = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
      if (!seen.has(sig)) (seen.add(sig), out.push(e));
    }
  }
  return out;
})();

/** `abi` plus the project's custom errors it does not declare itself. */
export function withAllErrors(abi: Abi): Abi {
  const own = new Set(abi.filter((e) => e.type === 'error').map((e) => (e as { name: string }).name));
  return [...abi, ...ALL_ERRORS.filter((e) => !own.has((e as { name: string }).name))];
}

/** Estimated gas + 25% + 30k: covers state that differs between the estimate's block and the real one. */
export function gasWithHeadroom(estimate: bigint): bigint {
  return (estimate * 5n) / 4n + 30_000n;
}

function callParameters(clients: EthClients, p: SendTxParameters) {
  return { address: p.address, abi: withAllErrors(p.abi), functionName: p.functionName, args: p.args ?? [], account: clients.account,
    ...(p.gas !== undefined ? { gas: p.gas } : {}), ...(p.value !== undefined ? { value: p.value } : {}) };
}

/** Simulate a call in the latest block and return its result; a revert throws EthTransactionError naming the error. */
export async function simulateTx(clients: EthClients, p: SendTxParameters): Promise<unknown> {
  try {
    return (await clients.publicClient.simulateContract(callParameters(clients, p) as never)).result;
  } catch (err) {
    throw toTxError(err, p.functionName);
  }
}

/** Simulate (to decode a revert), send, and wait for the receipt; throws EthTransactionError on any revert. */
export async function sendTx(clients: EthClients, p: SendTxParameters): Promise<SendTxReturnType> {
  const what = `${p.functionName}`;
  const common = callParameters(clients, p);
  const result = await simulateTx(clients, p);
  let hash: Hex;
  try {
    // Headroom over the estimate: the estimate runs in the latest block's context, but the transaction lands in
    // a later block, where e.g. the vault's points checkpoint writes storage the estimate skipped.
    const gas = p.gas ?? gasWithHeadroom(await clients.publicClient.estimateContractGas(common as never)) + (p.unseenGas ?? 0n);
    hash = await clients.walletClient.writeContract({ ...common, gas } as never);
  } catch (err) {
    throw toTxError(err, what);
  }
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== 'success') {
    throw new EthTransactionError(`${what} reverted on chain (tx ${hash})`, undefined, {
      hint: p.gas !== undefined ? 'the explicit gas limit may be too low' : 'state changed between simulation and inclusion; retry',
    });
  }
  return { hash, receipt, result };
}

export interface DeployContractParameters {
  abi: Abi;
  bytecode: Hex;
  args?: readonly unknown[];
}

/** Deploy a contract and wait for it; returns its address. */
export async function deployContract(clients: EthClients, p: DeployContractParameters): Promise<{ address: Address; receipt: TransactionReceipt }> {
  const hash = await clients.walletClient.deployContract({ abi: p.abi, bytecode: p.bytecode, args: (p.args ?? []) as never } as never);
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new EthTransactionError(`contract deployment reverted (tx ${hash})`, undefined, { hint: 'check constructor arguments' });
  }
  return { address: getAddress(receipt.contractAddress), receipt };
}
