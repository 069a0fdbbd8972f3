/**
 * The outside audit's findings (issue #19, docs/eth.md "Trust model"), each replayed as the auditor did on anvil.
 * Every test here succeeded as an attack against the vault before the fix; now each attack is refused or harmless.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventLogs, type Address } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi, ezETHAbi, hookTokenAbi, localRestakeManagerAbi, rebasingTokenAbi, reentrantDepositorAbi } from '../../src/eth/abi-index.js';
import type { EthClients } from '../../src/eth/clients.js';
import { sendTx } from '../../src/eth/tx.js';
import { ALL, claim, deposit, restake, withdraw } from '../../src/eth/vault.js';
import { deploy, expectRevert, now, startTestChain, type TestChain } from './helpers/chain.js';

const E18 = 10n ** 18n;
const MAX = 2n ** 256n - 1n;
const NOTICE = 3600n;
const DAY = 86_400n;

let chain: TestChain;
let owner: EthClients;
let alice: EthClients;
let bob: EthClients;

before(async () => {
  chain = await startTestChain(3);
  owner = chain.owner;
  [alice, bob] = chain.users as [EthClients, EthClients];
});
after(() => chain.stop());

const own = (address: Address, functionName: string, args: readonly unknown[] = []) => sendTx(owner, { address, abi: depositVaultAbi, functionName, args });
const vaultRead = <T>(vault: Address, functionName: string, args: readonly unknown[] = []) =>
  owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName, args } as never) as Promise<T>;
const balanceOf = (token: Address, who: Address) => owner.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [who] });

async function newVault(claimManager: Address = '0x0000000000000000000000000000000000000000'): Promise<Address> {
  return deploy(owner, 'DepositVault', [owner.account.address, NOTICE, claimManager, '0x0000000000000000000000000000000000000000']);
}
async function devToken(vault: Address, users: EthClients[], amount = 100n * E18): Promise<Address> {
  const t = await deploy(owner, 'DevToken', ['wETH (test)', 'wETH', 18]);
  await own(vault, 'addToken', [t, E18]);
  for (const u of users) {
    await sendTx(owner, { address: t, abi: devTokenAbi, functionName: 'mint', args: [u.account.address, amount] });
    await sendTx(u, { address: t, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
  }
  return t;
}
async function rebasing(vault: Address, users: EthClients[], amount = 100n * E18): Promise<Address> {
  const t = await deploy(owner, 'RebasingToken');
  await own(vault, 'addToken', [t, E18]);
  for (const u of users) {
    await sendTx(owner, { address: t, abi: rebasingTokenAbi, functionName: 'mint', args: [u.account.address, amount] });
    await sendTx(u, { address: t, abi: rebasingTokenAbi, functionName: 'approve', args: [vault, MAX] });
  }
  return t;
}
async function skip(seconds: bigint) {
  await chain.test.increaseTime({ seconds: Number(seconds) });
  await chain.test.mine({ blocks: 1 });
}

describe('High: the owner cannot take deposits', () => {
  test('stop now + claim manager = owner + claim to owner, in one block: every step is refused', async () => {
    const vault = await newVault();
    const weth = await devToken(vault, [alice]);
    await deposit(alice, vault, weth, 10n * E18);
    const ts = await now(owner);
    await expectRevert(own(vault, 'setDepositStopTime', [ts + 1n]), 'StopTimeTooSoon');
    await own(vault, 'proposeClaimManager', [owner.account.address, owner.account.address]);
    await expectRevert(claim(owner, vault, alice.account.address, weth, 10n * E18), 'NotClaimManager');
    await expectRevert(sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'activateClaimManager', args: [] }), 'NoticePending');
    // the notice is the users' window: alice sees ClaimManagerProposed and leaves with everything
    await withdraw(alice, vault, weth, ALL);
    assert.equal(await balanceOf(weth, alice.account.address), 100n * E18);
    await own(vault, 'setDepositStopTime', [(await now(owner)) + NOTICE + 1n]);
    await skip(NOTICE + 2n);
    await sendTx(bob, { address: vault, abi: depositVaultAbi, functionName: 'activateClaimManager', args: [] }); // anyone activates
    await expectRevert(claim(owner, vault, alice.account.address, weth, 1n), 'InsufficientBalance');
  });

  test('the stop time is set once: it cannot be moved back into the future, nor forward', async () => {
    const vault = await newVault();
    const stop = (await now(owner)) + NOTICE + 10n;
    await own(vault, 'setDepositStopTime', [stop]);
    await expectRevert(own(vault, 'setDepositStopTime', [stop + DAY]), 'StopTimeAlreadySet');
    await skip(NOTICE + 20n);
    await expectRevert(own(vault, 'setDepositStopTime', [(await now(owner)) + NOTICE + 10n]), 'StopTimeAlreadySet');
    assert.equal(await vaultRead(vault, 'depositStopTime'), stop);
  });

  test('claims pay only the receiver announced with the claim manager; the vault itself cannot be it', async () => {
    const cm = bob;
    const vault = await newVault(cm.account.address); // receiver defaults to the claim manager
    const weth = await devToken(vault, [alice]);
    await deposit(alice, vault, weth, 10n * E18);
    await expectRevert(own(vault, 'proposeClaimManager', [cm.account.address, vault]), 'InvalidClaimReceiver');
    await own(vault, 'setDepositStopTime', [(await now(owner)) + NOTICE + 1n]);
    await skip(NOTICE + 2n);
    const hash = await claim(cm, vault, alice.account.address, weth, 3n * E18);
    const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: (await owner.publicClient.getTransactionReceipt({ hash })).logs, eventName: 'Claimed' });
    assert.equal(ev!.args.receiver, cm.account.address);
    assert.equal(await balanceOf(weth, cm.account.address), 3n * E18);
  });
});

describe('Medium: pause + renounceOwnership cannot lock funds for ever', () => {
  test('renounceOwnership is disabled; a pause (which never blocks withdrawals) ends by itself after MAX_PAUSE and cannot be renewed at once', async () => {
    const vault = await newVault();
    const weth = await devToken(vault, [alice]);
    await deposit(alice, vault, weth, 5n * E18);
    await own(vault, 'pause');
    await expectRevert(own(vault, 'renounceOwnership'), 'RenounceDisabled');
    await expectRevert(deposit(alice, vault, weth, E18), 'EnforcedPause');
    await skip(3n * DAY);
    await expectRevert(own(vault, 'pause'), 'PauseCooldown'); // no back-to-back pauses
    await withdraw(alice, vault, weth, ALL);
    assert.equal(await balanceOf(weth, alice.account.address), 100n * E18);
    await skip(3n * DAY);
    await own(vault, 'pause'); // after as long unpaused, the owner may pause again
  });
});

describe('Medium: rebasing tokens are accounted in shares', () => {
  test('+10 % rebase: both users get their share of the yield, nothing is stranded', async () => {
    const vault = await newVault();
    const st = await rebasing(vault, [alice, bob], 20n * E18);
    await deposit(alice, vault, st, 10n * E18);
    await deposit(bob, vault, st, 10n * E18);
    await sendTx(owner, { address: st, abi: rebasingTokenAbi, functionName: 'rebase', args: [1000n] });
    const aliceBal = await vaultRead<bigint>(vault, 'balanceOf', [alice.account.address, st]);
    assert.ok(aliceBal >= 11n * E18 - 4n && aliceBal <= 11n * E18, `alice's balance follows the rebase: ${aliceBal}`);
    await withdraw(alice, vault, st, ALL);
    await withdraw(bob, vault, st, ALL);
    assert.ok((await balanceOf(st, vault)) <= 4n, 'at most rounding dust stays in the vault');
    for (const u of [alice, bob]) {
      const b = await balanceOf(st, u.account.address);
      assert.ok(b >= 22n * E18 - 4n && b <= 22n * E18, `user ends with 11 (wallet) + 11 (vault) stETH: ${b}`);
    }
  });

  test('−10 % rebase: the last withdrawer does not revert; points follow the real balance', async () => {
    const vault = await newVault();
    const st = await rebasing(vault, [alice, bob], 10n * E18);
    await deposit(alice, vault, st, 10n * E18);
    await deposit(bob, vault, st, 10n * E18);
    await sendTx(owner, { address: st, abi: rebasingTokenAbi, functionName: 'rebase', args: [-1000n] });
    // points at two blocks, divided by the seconds between them: a mined block's timestamp also moves with the wall
    // clock, so `skip(1000n)` can put 1001 s between the blocks
    const t0 = await now(owner);
    const p0 = await vaultRead<bigint>(vault, 'pointsOf', [bob.account.address]);
    await skip(1000n);
    const p1 = await vaultRead<bigint>(vault, 'pointsOf', [bob.account.address]);
    const perSecond = (p1 - p0) / ((await now(owner)) - t0);
    assert.ok(perSecond >= 9n * E18 - E18 / 1000n && perSecond <= 9n * E18, `points accrue on the 9 stETH really held: ${perSecond}/s`);
    await withdraw(alice, vault, st, ALL);
    await withdraw(bob, vault, st, ALL); // reverted with BALANCE_EXCEEDED before the fix
    const b = await balanceOf(st, bob.account.address);
    assert.ok(b >= 9n * E18 - 4n && b <= 9n * E18, `bob bears his share of the loss only: ${b}`);
  });
});

describe('Medium/Low: restake slippage, deadline and Lido rounding', () => {
  let vault: Address;
  let st: Address;
  let ez: Address;
  let mgr: Address;
  before(async () => {
    vault = await newVault();
    st = await rebasing(vault, [alice], 100n * E18);
    ez = await deploy(owner, 'EzETH', [owner.account.address]);
    mgr = await deploy(owner, 'LocalRestakeManager', [owner.account.address, ez]);
    await sendTx(owner, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [mgr] });
    await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [st, E18] });
    await own(vault, 'addToken', [ez, E18]);
    await own(vault, 'setRestakeManager', [mgr, ez]);
    await deposit(alice, vault, st, 50n * E18);
    await sendTx(owner, { address: st, abi: rebasingTokenAbi, functionName: 'rebase', args: [37n] }); // an odd share price
  });

  test('a same-block rate cut by the manager owner is refused by minMinted (InsufficientMinted)', async () => {
    await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [st, 1n] });
    await expectRevert(restake(alice, vault, st, E18, { minMinted: (E18 * 99n) / 100n }), 'InsufficientMinted');
    await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [st, E18] });
  });

  test('a restake mined after its deadline is refused', async () => {
    const deadline = (await now(owner)) - 1n;
    await expectRevert(restake(alice, vault, st, E18, { minMinted: 1n, deadline }), 'DeadlineExpired');
  });

  test('restaking a Lido-rounding token works for 20 amounts; Restaked names token and manager', async () => {
    for (let i = 0; i < 20; i++) {
      const amount = E18 / 7n + BigInt(i) * 1_000_003n;
      const r = await restake(alice, vault, st, amount);
      assert.ok(r.minted >= r.minMinted && r.minted > 0n);
      if (i === 0) {
        const [ev] = parseEventLogs({ abi: depositVaultAbi, logs: (await owner.publicClient.getTransactionReceipt({ hash: r.hash })).logs, eventName: 'Restaked' });
        assert.deepEqual([ev!.args.token, ev!.args.manager, ev!.args.restakedToken], [st, mgr, ez]);
      }
    }
  });
});

describe('Low: stray tokens can be rescued, deposits cannot', () => {
  test('a token never listed, or one nobody holds shares of, is rescued; a held token is not', async () => {
    const vault = await newVault();
    const weth = await devToken(vault, [alice]);
    await deposit(alice, vault, weth, 5n * E18);
    const stray = await deploy(owner, 'DevToken', ['stray', 'STRAY', 18]);
    await sendTx(owner, { address: stray, abi: devTokenAbi, functionName: 'mint', args: [vault, 7n * E18] });
    await expectRevert(sendTx(alice, { address: vault, abi: depositVaultAbi, functionName: 'rescue', args: [stray, alice.account.address] }), 'OwnableUnauthorizedAccount');
    await own(vault, 'rescue', [stray, bob.account.address]);
    assert.equal(await balanceOf(stray, bob.account.address), 7n * E18);
    await sendTx(alice, { address: weth, abi: erc20Abi, functionName: 'transfer', args: [vault, E18] }); // sent by mistake
    await expectRevert(own(vault, 'rescue', [weth, owner.account.address]), 'NothingToRescue');
    await withdraw(alice, vault, weth, ALL); // the depositor gets it back (shares of the whole balance)
    const back = await balanceOf(weth, alice.account.address);
    assert.ok(back >= 100n * E18 - 2n && back <= 100n * E18, `all but rounding dust: ${back}`);
  });
});

describe('A second audit: a pause cannot cover a notice, donations earn no past points, restakes cannot be redirected', () => {
  const activate = (c: EthClients, vault: Address) => sendTx(c, { address: vault, abi: depositVaultAbi, functionName: 'activateClaimManager', args: [] });

  test('proposal + stop + pause in one go: withdrawals stay open through the pause, so the notice stays the users\' window', async () => {
    const vault = await newVault();
    const weth = await devToken(vault, [alice, bob]);
    await deposit(alice, vault, weth, 10n * E18);
    await deposit(bob, vault, weth, 5n * E18);
    // the owner announces itself as claim manager and the stop, and pauses at once (this took every deposit before)
    await own(vault, 'proposeClaimManager', [owner.account.address, owner.account.address]);
    await own(vault, 'setDepositStopTime', [(await now(owner)) + NOTICE + 1n]);
    await own(vault, 'pause');
    await expectRevert(deposit(bob, vault, weth, E18), 'EnforcedPause');
    await withdraw(alice, vault, weth, ALL); // paused, and she leaves with everything
    assert.equal(await balanceOf(weth, alice.account.address), 100n * E18);
    await skip(NOTICE + 2n);
    await activate(bob, vault);
    await expectRevert(claim(owner, vault, bob.account.address, weth, ALL), 'EnforcedPause'); // claims do wait
    await own(vault, 'unpause');
    await claim(owner, vault, bob.account.address, weth, ALL); // bob stayed through the notice: he accepted it
    assert.equal(await balanceOf(weth, owner.account.address), 5n * E18);
  });

  test('a claim-manager proposal not activated within PROPOSAL_TTL of its eta lapses', async () => {
    const vault = await newVault();
    assert.equal(await vaultRead(vault, 'PROPOSAL_TTL'), 7n * DAY);
    await own(vault, 'proposeClaimManager', [bob.account.address, bob.account.address]);
    await skip(NOTICE + 7n * DAY + 10n);
    await expectRevert(activate(alice, vault), 'ProposalExpired');
    await own(vault, 'proposeClaimManager', [bob.account.address, bob.account.address]); // a new notice
    await skip(NOTICE + 2n);
    await activate(alice, vault);
    assert.equal(await vaultRead(vault, 'claimManager'), bob.account.address);
  });

  test('tokens sent to the vault count for points only from the next touch: a (flash-loaned) donation earns nothing', async () => {
    const vault = await newVault();
    const weth = await devToken(vault, [alice]);
    const reth = await devToken(vault, [bob], 1_000_001n * E18);
    await deposit(alice, vault, weth, 100n * E18);
    await deposit(bob, vault, reth, E18);
    const t0 = await now(owner);
    await skip(DAY);
    // the exploit, in one transaction, gave bob 1,000,001× his points: donate 1,000,000 rETH, touch the token
    // (withdraw), take it all back (he holds every rETH share). Here in separate blocks, which only helps him.
    await sendTx(bob, { address: reth, abi: erc20Abi, functionName: 'transfer', args: [vault, 1_000_000n * E18] });
    await withdraw(bob, vault, reth, ALL);
    const held = (await now(owner)) - t0;
    const [pb, pa] = await Promise.all([bob, alice].map((u) => vaultRead<bigint>(vault, 'pointsOf', [u.account.address])));
    assert.ok(pb >= E18 * (held - 5n) && pb <= E18 * held, `bob earned 1 rETH × ${held} s, no more: ${pb}`);
    assert.ok(pa > 99n * pb, `alice's 100 wETH earned ≈ 100× bob's 1 rETH: ${pa} vs ${pb}`);
    assert.ok((await balanceOf(reth, bob.account.address)) >= 1_000_001n * E18 - 10n ** 12n, 'bob got his rETH and the donation back (but the virtual shares\' dust)');
  });

  test('the owner cannot redirect a restake: after a manager and token swap the restake for the old ones reverts', async () => {
    const vault = await newVault();
    const st = await devToken(vault, [alice]);
    const setUp = async () => {
      const ez = await deploy(owner, 'EzETH', [owner.account.address]);
      const mgr = await deploy(owner, 'LocalRestakeManager', [owner.account.address, ez]);
      await sendTx(owner, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [mgr] });
      await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [st, E18] });
      await own(vault, 'addToken', [ez, E18]);
      await own(vault, 'setRestakeManager', [mgr, ez]);
      return { manager: mgr, restaked: ez };
    };
    const quoted = await setUp();
    await deposit(alice, vault, st, 10n * E18);
    await setUp(); // the owner's front-run: a manager of its own, minting a token of its own (it took alice's 5 before)
    await expectRevert(restake(alice, vault, st, 5n * E18, { minMinted: (5n * E18 * 995n) / 1000n, expect: quoted }), 'RestakeConfigChanged');
    assert.equal(await vaultRead(vault, 'balanceOf', [alice.account.address, st]), 10n * E18);
  });
});

describe('ERC777-style hooks cannot re-enter the vault', () => {
  test('a depositor contract re-entering from tokensToSend / tokensReceived is refused; books stay exact', async () => {
    const vault = await newVault();
    const hook = await deploy(owner, 'HookToken');
    await own(vault, 'addToken', [hook, E18]);
    const attacker = await deploy(owner, 'ReentrantDepositor', [vault, hook]);
    await sendTx(owner, { address: hook, abi: hookTokenAbi, functionName: 'mint', args: [attacker, 10n * E18] });
    await sendTx(alice, { address: attacker, abi: reentrantDepositorAbi, functionName: 'deposit', args: [4n * E18] });
    await sendTx(alice, { address: attacker, abi: reentrantDepositorAbi, functionName: 'withdraw', args: [E18] });
    const read = (functionName: 'attempts' | 'refused') => owner.publicClient.readContract({ address: attacker, abi: reentrantDepositorAbi, functionName });
    const attempts = await read('attempts');
    assert.ok(attempts >= 2n, `hooks ran: ${attempts}`);
    assert.equal(await read('refused'), attempts);
    assert.equal(await vaultRead(vault, 'balanceOf', [attacker, hook]), 3n * E18);
    assert.equal(await balanceOf(hook, vault), 3n * E18);
  });
});
