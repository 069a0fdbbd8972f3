import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventLogs, type Address } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi, ezETHAbi, feeOnTransferTokenAbi, localRestakeManagerAbi } from '../../src/eth/abi-index.js';
import type { EthClients } from '../../src/eth/clients.js';
import { sendTx } from '../../src/eth/tx.js';
import { claim, deposit, restake, withdraw } from '../../src/eth/vault.js';
import { deploy, expectRevert, startTestChain, type TestChain } from './helpers/chain.js';

const E18 = 10n ** 18n;
const MAX = 2n ** 256n - 1n;
const NOTICE = 3600n; // the vault's minimum notice period
const ZERO = '0x0000000000000000000000000000000000000000';

let chain: TestChain;
let owner: EthClients;
let alice: EthClients;
let bob: EthClients;
let cm: EthClients; // claim manager

before(async () => {
  chain = await startTestChain(4);
  owner = chain.owner;
  [alice, bob, cm] = chain.users as [EthClients, EthClients, EthClients];
});
after(() => chain.stop());

const own = (address: Address, functionName: string, args: readonly unknown[]) => sendTx(owner, { address, abi: depositVaultAbi, functionName, args });
const read = <T>(c: EthClients, address: Address, functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
  c.publicClient.readContract({ address, abi: depositVaultAbi, functionName, args, ...(blockNumber ? { blockNumber } : {}) } as never) as Promise<T>;

/** A vault with the minimum notice period and, optionally, a claim manager paying a fixed receiver. */
function newVault(claimManager: Address = ZERO, claimReceiver: Address = ZERO): Promise<Address> {
  return deploy(owner, 'DepositVault', [owner.account.address, NOTICE, claimManager, claimReceiver]);
}

async function token(symbol: string, decimals = 18): Promise<Address> {
  return deploy(owner, 'DevToken', [`${symbol} (test)`, symbol, decimals]);
}
async function mintApprove(c: EthClients, t: Address, vault: Address, amount: bigint) {
  await sendTx(owner, { address: t, abi: devTokenAbi, functionName: 'mint', args: [c.account.address, amount] });
  await sendTx(c, { address: t, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
}
/** Mine the next block exactly at `ts` and return its number. */
async function mineAt(ts: bigint): Promise<bigint> {
  await chain.test.mine({ blocks: 1 }); // flush
  await chain.test.setNextBlockTimestamp({ timestamp: ts });
  await chain.test.mine({ blocks: 1 });
  return (await owner.publicClient.getBlock()).number; // getBlockNumber() is cached by viem
}
async function at(ts: bigint) {
  await chain.test.setNextBlockTimestamp({ timestamp: ts });
}
async function latestTs(): Promise<bigint> {
  return (await owner.publicClient.getBlock()).timestamp;
}

describe('DepositVault: whitelist administration', () => {
  let vault: Address;
  let weth: Address;
  before(async () => {
    vault = await newVault();
    weth = await token('wETH');
  });

  test('addToken lists a token with its weight and decimals and emits TokenWhitelisted', async () => {
    const { receipt } = await own(vault, 'addToken', [weth, 2n * E18]);
    const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'TokenWhitelisted' });
    assert.equal(ev!.args.token, weth);
    assert.equal(ev!.args.weight, 2n * E18);
    const info = await read<{ listed: boolean; known: boolean; weight: bigint; decimals: number }>(owner, vault, 'tokenInfo', [weth]);
    assert.deepEqual([info.listed, info.known, info.weight, info.decimals], [true, true, 2n * E18, 18]);
    assert.deepEqual(await read(owner, vault, 'tokens'), [weth]);
  });

  test('duplicate whitelisting is refused', async () => {
    await expectRevert(own(vault, 'addToken', [weth, E18]), 'TokenAlreadyWhitelisted');
  });

  test('addToken refuses zero address, bad weights, >18 decimals, and non-owners', async () => {
    await expectRevert(own(vault, 'addToken', ['0x0000000000000000000000000000000000000000', E18]), 'ZeroAddress');
    const t = await token('X');
    await expectRevert(own(vault, 'addToken', [t, 0n]), 'InvalidWeight');
    await expectRevert(own(vault, 'addToken', [t, 100n * E18 + 1n]), 'InvalidWeight');
    await expectRevert(own(vault, 'addToken', [await token('D24', 24), E18]), 'UnsupportedDecimals');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'addToken', args: [t, E18] }), 'OwnableUnauthorizedAccount');
  });

  test('setWeight changes a listed token weight; refuses unlisted tokens, bad weights and non-owners', async () => {
    const { receipt } = await own(vault, 'setWeight', [weth, 3n * E18]);
    const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'WeightSet' });
    assert.deepEqual([ev!.args.oldWeight, ev!.args.newWeight], [2n * E18, 3n * E18]);
    await expectRevert(own(vault, 'setWeight', [await token('Y'), E18]), 'TokenNotWhitelisted');
    await expectRevert(own(vault, 'setWeight', [weth, 0n]), 'InvalidWeight');
    await expectRevert(sendTx(bob, { address: vault, abi: depositVaultAbi, functionName: 'setWeight', args: [weth, E18] }), 'OwnableUnauthorizedAccount');
  });

  test('removeToken delists; removing twice is refused; a removed token can be listed again without duplicating it', async () => {
    await own(vault, 'removeToken', [weth]);
    const info = await read<{ listed: boolean; known: boolean; weight: bigint }>(owner, vault, 'tokenInfo', [weth]);
    assert.deepEqual([info.listed, info.known, info.weight], [false, true, 0n]);
    await expectRevert(own(vault, 'removeToken', [weth]), 'TokenNotWhitelisted');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'removeToken', args: [weth] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'addToken', [weth, E18]);
    assert.deepEqual(await read(owner, vault, 'tokens'), [weth]);
  });

  test('setDepositStopTime needs the notice period, is set once, owner only; claim-manager proposals and pause are owner-only', async () => {
    const ts = await latestTs();
    await expectRevert(own(vault, 'setDepositStopTime', [ts - 10n]), 'StopTimeTooSoon');
    await expectRevert(own(vault, 'setDepositStopTime', [ts + 1000n]), 'StopTimeTooSoon');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'setDepositStopTime', args: [ts + 5000n] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'setDepositStopTime', [ts + 5000n]);
    assert.equal(await read(owner, vault, 'depositStopTime'), ts + 5000n);
    await expectRevert(own(vault, 'setDepositStopTime', [ts + 9000n]), 'StopTimeAlreadySet');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'proposeClaimManager', args: [alice.account.address, alice.account.address] }), 'OwnableUnauthorizedAccount');
    await expectRevert(own(vault, 'proposeClaimManager', [cm.account.address, vault]), 'InvalidClaimReceiver');
    await expectRevert(own(vault, 'proposeClaimManager', [ZERO, cm.account.address]), 'ZeroAddress');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'pause', args: [] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'pause', []);
    await expectRevert(own(vault, 'pause', []), 'EnforcedPause');
    await own(vault, 'unpause', []);
    await expectRevert(own(vault, 'unpause', []), 'ExpectedPause');
  });
});

describe('DepositVault: deposits, withdrawals and points', () => {
  let vault: Address;
  let weth: Address;
  let usd6: Address;
  before(async () => {
    vault = await newVault();
    weth = await token('wETH');
    usd6 = await token('SIX', 6);
    await own(vault, 'addToken', [weth, E18]);
    await own(vault, 'addToken', [usd6, E18 / 2n]);
    await mintApprove(alice, weth, vault, 1000n * E18);
    await mintApprove(alice, usd6, vault, 1000n * 10n ** 6n);
    await mintApprove(bob, weth, vault, 1000n * E18);
  });

  test('deposit credits the amount and emits Deposited; points = value × seconds × weight, normalised by decimals', async () => {
    const t0 = (await latestTs()) + 10n;
    await at(t0);
    const r = await deposit(alice, vault, weth, 10n * E18);
    assert.equal(r.credited, 10n * E18);
    await at(t0 + 1n);
    await deposit(alice, vault, usd6, 4n * 10n ** 6n); // 4 normalised units at weight 0.5
    const bn = await mineAt(t0 + 101n);
    const wethPts = await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, weth], bn);
    const sixPts = await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, usd6], bn);
    assert.equal(wethPts, 10n * E18 * 101n);
    assert.equal(sixPts, 4n * E18 * 100n / 2n);
    assert.equal(await read<bigint>(owner, vault, 'pointsOf', [alice.account.address], bn), wethPts + sixPts);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, weth]), 10n * E18);
    assert.equal(await read<bigint>(owner, vault, 'totalDeposited', [weth]), 10n * E18);
  });

  test('a weight change splits accrual at the change (checkpointed)', async () => {
    const t0 = (await latestTs()) + 10n;
    await at(t0);
    await deposit(bob, vault, weth, 1n * E18);
    const before = await read<bigint>(owner, vault, 'pointsOfToken', [bob.account.address, weth]);
    assert.equal(before, 0n);
    await at(t0 + 50n);
    await own(vault, 'setWeight', [weth, 3n * E18]);
    const bn = await mineAt(t0 + 70n);
    assert.equal(await read<bigint>(owner, vault, 'pointsOfToken', [bob.account.address, weth], bn), E18 * 50n + 3n * E18 * 20n);
    await own(vault, 'setWeight', [weth, E18]);
  });

  test('time travel with evm_increaseTime accrues points for a day', async () => {
    const p0 = await read<bigint>(owner, vault, 'pointsOfToken', [bob.account.address, weth]);
    const t0 = await latestTs();
    await chain.test.increaseTime({ seconds: 86_400 });
    await chain.test.mine({ blocks: 1 });
    const t1 = await latestTs();
    const p1 = await read<bigint>(owner, vault, 'pointsOfToken', [bob.account.address, weth]);
    assert.ok(t1 - t0 >= 86_400n);
    assert.equal(p1 - p0, E18 * (t1 - t0)); // bob holds 1 wETH at weight 1.0
  });

  test('deposit refuses zero, unlisted tokens, missing allowance, and while paused', async () => {
    await expectRevert(deposit(alice, vault, weth, 0n), 'ZeroAmount');
    const other = await token('NOPE');
    await mintApprove(alice, other, vault, E18);
    await expectRevert(deposit(alice, vault, other, E18), 'TokenNotWhitelisted');
    await expectRevert(
      sendTx(cm, { address: vault, abi: depositVaultAbi, functionName: 'deposit', args: [weth, E18] }),
      'ERC20InsufficientAllowance',
    );
    await own(vault, 'pause', []);
    await expectRevert(deposit(alice, vault, weth, E18), 'EnforcedPause');
    await withdraw(alice, vault, weth, E18); // withdrawals are never paused (docs/eth.md "Trust model")
    await own(vault, 'unpause', []);
    await deposit(alice, vault, weth, E18); // back to the balance the next tests expect
  });

  test('withdraw returns your own tokens; refuses zero, unknown tokens and more than your balance', async () => {
    const bal0 = await alice.publicClient.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [alice.account.address] });
    const hash = await withdraw(alice, vault, weth, 3n * E18);
    const receipt = await alice.publicClient.getTransactionReceipt({ hash });
    const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'Withdrawn' });
    assert.equal(ev!.args.amount, 3n * E18);
    const bal1 = await alice.publicClient.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [alice.account.address] });
    assert.equal(bal1 - bal0, 3n * E18);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, weth]), 7n * E18);
    await expectRevert(withdraw(alice, vault, weth, 0n), 'ZeroAmount');
    await expectRevert(withdraw(alice, vault, await token('UNK'), 1n), 'UnknownToken');
    await expectRevert(withdraw(alice, vault, weth, 7n * E18 + 1n), 'InsufficientBalance');
    // someone else cannot take alice's tokens: cm has no balance of its own
    await expectRevert(withdraw(cm, vault, weth, 1n), 'InsufficientBalance');
  });

  test('a de-whitelisted token stops accruing but stays withdrawable (not stranded)', async () => {
    await own(vault, 'removeToken', [usd6]);
    const p0 = await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, usd6]);
    await chain.test.increaseTime({ seconds: 500 });
    await chain.test.mine({ blocks: 1 });
    assert.equal(await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, usd6]), p0);
    await expectRevert(deposit(alice, vault, usd6, 1n), 'TokenNotWhitelisted');
    await withdraw(alice, vault, usd6, 4n * 10n ** 6n);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, usd6]), 0n);
    assert.equal(await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, usd6]), p0); // points kept
  });

  test('fee-on-transfer tokens are credited only what arrived', async () => {
    const fee = await deploy(owner, 'FeeOnTransferToken', [100n]); // 1%
    await own(vault, 'addToken', [fee, E18]);
    await sendTx(owner, { address: fee, abi: feeOnTransferTokenAbi, functionName: 'mint', args: [alice.account.address, 100n * E18] });
    await sendTx(alice, { address: fee, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
    const r = await deposit(alice, vault, fee, 10n * E18);
    assert.equal(r.credited, 99n * E18 / 10n);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, fee]), 99n * E18 / 10n);
    const held = await owner.publicClient.readContract({ address: fee, abi: erc20Abi, functionName: 'balanceOf', args: [vault] });
    assert.equal(held, await read<bigint>(owner, vault, 'totalDeposited', [fee]));
    await withdraw(alice, vault, fee, 99n * E18 / 10n);
    assert.equal(await owner.publicClient.readContract({ address: fee, abi: erc20Abi, functionName: 'balanceOf', args: [vault] }), 0n);
  });

  test('deposits stop at the stop time', async () => {
    const ts = await latestTs();
    await own(vault, 'setDepositStopTime', [ts + NOTICE + 5n]);
    await at(ts + NOTICE + 5n);
    await expectRevert(deposit(alice, vault, weth, E18), 'DepositsStopped');
    await withdraw(alice, vault, weth, E18); // withdrawals continue
  });
});

describe('DepositVault: claim manager', () => {
  let vault: Address;
  let weth: Address;
  before(async () => {
    vault = await newVault(cm.account.address, bob.account.address);
    weth = await token('wETH');
    await own(vault, 'addToken', [weth, E18]);
    await mintApprove(alice, weth, vault, 10n * E18);
    await deposit(alice, vault, weth, 10n * E18);
  });

  test('claim is refused before deposits stop, to non-managers, and beyond the balance', async () => {
    await expectRevert(claim(cm, vault, alice.account.address, weth, E18), 'ClaimNotOpen');
    const stop = (await latestTs()) + NOTICE + 2n;
    await own(vault, 'setDepositStopTime', [stop]);
    await mineAt(stop);
    await expectRevert(claim(bob, vault, alice.account.address, weth, E18), 'NotClaimManager');
    await expectRevert(claim(owner, vault, alice.account.address, weth, E18), 'NotClaimManager');
    await expectRevert(claim(cm, vault, alice.account.address, weth, 11n * E18), 'InsufficientBalance');
    await expectRevert(claim(cm, vault, alice.account.address, weth, 0n), 'ZeroAmount');
  });

  test('the claim manager moves a user balance to the receiver fixed with it, after deposits stop', async () => {
    const receiver = bob.account.address;
    assert.equal(await read(owner, vault, 'claimReceiver'), receiver);
    const before = await owner.publicClient.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] });
    const hash = await claim(cm, vault, alice.account.address, weth, 4n * E18);
    const receipt = await owner.publicClient.getTransactionReceipt({ hash });
    const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: receipt.logs, eventName: 'Claimed' });
    assert.equal(ev!.args.user.toLowerCase(), alice.account.address.toLowerCase());
    const afterBal = await owner.publicClient.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] });
    assert.equal(afterBal - before, 4n * E18);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, weth]), 6n * E18);
    await own(vault, 'pause', []);
    await expectRevert(claim(cm, vault, alice.account.address, weth, E18), 'EnforcedPause');
    await own(vault, 'unpause', []);
  });
});

describe('DepositVault: restaking through a Renzo-style manager', () => {
  let vault: Address;
  let steth: Address;
  let ez: Address;
  let manager: Address;
  before(async () => {
    vault = await newVault();
    steth = await token('stETH');
    ez = await deploy(owner, 'EzETH', [owner.account.address]);
    manager = await deploy(owner, 'LocalRestakeManager', [owner.account.address, ez]);
    await sendTx(owner, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [manager] });
    await sendTx(owner, { address: manager, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [steth, (E18 * 95n) / 100n] });
    await own(vault, 'addToken', [steth, E18]);
    await mintApprove(alice, steth, vault, 100n * E18);
    await deposit(alice, vault, steth, 20n * E18);
  });

  test('restake before configuration is refused; configuration needs a whitelisted ezETH and the owner', async () => {
    await expectRevert(restake(alice, vault, steth, E18), 'RestakeNotConfigured');
    await expectRevert(own(vault, 'setRestakeManager', [manager, ez]), 'TokenNotWhitelisted');
    await expectRevert(own(vault, 'setRestakeManager', ['0x0000000000000000000000000000000000000000', ez]), 'ZeroAddress');
    await own(vault, 'addToken', [ez, 2n * E18]);
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'setRestakeManager', args: [manager, ez] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'setRestakeManager', [manager, ez]);
    assert.equal((await read<string>(owner, vault, 'restakeManager')).toLowerCase(), manager.toLowerCase());
  });

  test('restake moves the collateral to the manager and credits the minted ezETH; points continue at ezETH weight', async () => {
    const t0 = (await latestTs()) + 10n;
    await at(t0);
    const { minted } = await restake(alice, vault, steth, 10n * E18);
    assert.equal(minted, (10n * E18 * 95n) / 100n);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, steth]), 10n * E18);
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, ez]), minted);
    assert.equal(await owner.publicClient.readContract({ address: ez, abi: erc20Abi, functionName: 'balanceOf', args: [vault] }), minted);
    assert.equal(await owner.publicClient.readContract({ address: steth, abi: erc20Abi, functionName: 'balanceOf', args: [manager] }), 10n * E18);
    const bn = await mineAt(t0 + 100n);
    assert.equal(await read<bigint>(owner, vault, 'pointsOfToken', [alice.account.address, ez], bn), (minted * 2n * E18 * 100n) / E18);
    // ezETH is withdrawable like any deposit
    await withdraw(alice, vault, ez, minted / 2n);
  });

  test('restake refuses ezETH itself, more than the balance, unsupported collateral, and a delisted ezETH', async () => {
    await expectRevert(restake(alice, vault, ez, 1n), 'CannotRestakeRestakedToken');
    await expectRevert(restake(alice, vault, steth, 11n * E18), 'InsufficientBalance');
    const reth = await token('rETH');
    await own(vault, 'addToken', [reth, E18]);
    await mintApprove(alice, reth, vault, E18);
    await deposit(alice, vault, reth, E18);
    await expectRevert(restake(alice, vault, reth, E18), 'UnsupportedCollateral');
    await own(vault, 'removeToken', [ez]);
    await expectRevert(restake(alice, vault, steth, E18), 'TokenNotWhitelisted');
    await own(vault, 'addToken', [ez, E18]);
  });

  test('a manager that pulls nothing or mints nothing is refused', async () => {
    const lazy = await deploy(owner, 'BadRestakeManager', [0]);
    await own(vault, 'setRestakeManager', [lazy, ez]);
    await expectRevert(restake(alice, vault, steth, E18), 'RestakeTransferMismatch');
    const thief = await deploy(owner, 'BadRestakeManager', [1]);
    await own(vault, 'setRestakeManager', [thief, ez]);
    await expectRevert(restake(alice, vault, steth, E18), 'NothingMinted');
    await own(vault, 'setRestakeManager', [manager, ez]);
  });

  test('local restake manager and ezETH: only the owner configures, only the manager mints, zero deposits refused', async () => {
    await expectRevert(sendTx(alice, { address: ez, abi: ezETHAbi, functionName: 'mint', args: [alice.account.address, 1n] }), 'NotMinter');
    await expectRevert(sendTx(alice, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [alice.account.address] }), 'OwnableUnauthorizedAccount');
    await expectRevert(
      sendTx(alice, { address: manager, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [steth, 1n] }),
      'OwnableUnauthorizedAccount',
    );
    await expectRevert(sendTx(alice, { address: manager, abi: localRestakeManagerAbi, functionName: 'deposit', args: [steth, 0n] }), 'ZeroAmount');
  });
});

describe('DepositVault: remaining guards', () => {
  let vault: Address;
  let weth: Address;
  before(async () => {
    vault = await newVault();
    weth = await token('wETH');
    await own(vault, 'addToken', [weth, E18]);
    await mintApprove(alice, weth, vault, 10n * E18);
    await deposit(alice, vault, weth, 5n * E18);
  });

  test('a token whose transfer delivers nothing credits nothing (ZeroAmount)', async () => {
    const allFee = await deploy(owner, 'FeeOnTransferToken', [10_000n]); // 100% fee
    await own(vault, 'addToken', [allFee, E18]);
    await sendTx(owner, { address: allFee, abi: feeOnTransferTokenAbi, functionName: 'mint', args: [alice.account.address, E18] });
    await sendTx(alice, { address: allFee, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
    await expectRevert(deposit(alice, vault, allFee, E18), 'ZeroAmount');
  });

  test('restake and unpause respect pause and ownership', async () => {
    await own(vault, 'pause', []);
    await expectRevert(restake(alice, vault, weth, E18), 'EnforcedPause');
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'unpause', args: [] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'unpause', []);
  });

  test('ownership moves in two steps; the old owner loses the admin functions', async () => {
    await own(vault, 'transferOwnership', [bob.account.address]);
    assert.equal(await read(owner, vault, 'owner'), owner.account.address); // not yet
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'acceptOwnership', args: [] }), 'OwnableUnauthorizedAccount');
    await sendTx(bob, { address: vault, abi: depositVaultAbi, functionName: 'acceptOwnership', args: [] });
    assert.equal(await read(owner, vault, 'owner'), bob.account.address);
    await expectRevert(own(vault, 'setWeight', [weth, 2n * E18]), 'OwnableUnauthorizedAccount');
    await sendTx(bob, { address: vault, abi: depositVaultAbi, functionName: 'setWeight', args: [weth, 2n * E18] });
    // users' funds are untouched by the change of owner
    assert.equal(await read<bigint>(owner, vault, 'balanceOf', [alice.account.address, weth]), 5n * E18);
  });
});
