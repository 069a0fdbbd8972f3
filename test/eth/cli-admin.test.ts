/** `zkinfer eth admin …` and `eth claim`, run in-process (commander program with only the eth group). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerEth } from '../../src/cli/eth.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { depositVaultAbi, devTokenAbi, erc20Abi } from '../../src/eth/abi-index.js';
import { deployDevStack, WEIGHT_ONE } from '../../src/eth/deploy.js';
import { readDeployment, writeDeployment, type Deployment } from '../../src/eth/deployment.js';
import { EthTransactionError } from '../../src/eth/errors.js';
import { deposit, devMint } from '../../src/eth/vault.js';
import { deploy, expectRevert, startTestChain, type TestChain } from './helpers/chain.js';

let chain: TestChain;
let d: Deployment;
const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-eth-admin-'));
const dep = join(tmp, 'deployment.json');
const cmKeyFile = join(tmp, 'cm.key');

before(async () => {
  chain = await startTestChain(3);
  d = await deployDevStack(chain.owner);
  writeDeployment(dep, d);
  writeFileSync(cmKeyFile, `${chain.anvil.privateKeys[2]}\n`);
});
after(async () => {
  await chain.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Run `zkinfer eth …args` in this process; returns what it printed. */
async function zk(...args: string[]): Promise<string> {
  const program = new Command('zkinfer').exitOverride();
  registerEth(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...xs: unknown[]) => void lines.push(xs.join(' '));
  try {
    await program.parseAsync(['node', 'zkinfer', 'eth', ...args, '--rpc', chain.anvil.rpcUrl, '--deployment', dep]);
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}
const read = <T>(functionName: string, args: readonly unknown[] = []) =>
  chain.owner.publicClient.readContract({ address: d.vault, abi: depositVaultAbi, functionName, args } as never) as Promise<T>;

test('admin add-token / set-weight / remove-token change the whitelist and the deployment file', async () => {
  const lst = await deploy(chain.owner, 'DevToken', ['Some LST (dev)', 'xLST', 18]);
  assert.match(await zk('admin', 'add-token', lst, '1.5', '--dev-account', '0'), /whitelisted xLST/);
  assert.equal((await read<{ weight: bigint }>('tokenInfo', [lst])).weight, (WEIGHT_ONE * 3n) / 2n);
  assert.equal(readDeployment(dep).tokens.xLST!.address, lst);
  await zk('admin', 'set-weight', 'xLST', '2', '--dev-account', '0');
  assert.equal((await read<{ weight: bigint }>('tokenInfo', [lst])).weight, 2n * WEIGHT_ONE);
  assert.equal(readDeployment(dep).tokens.xLST!.weight, String(2n * WEIGHT_ONE));
  await zk('admin', 'remove-token', 'xLST', '--dev-account', '0');
  assert.equal((await read<{ listed: boolean }>('tokenInfo', [lst])).listed, false);
  await assert.rejects(zk('admin', 'set-weight', 'wETH', '0', '--dev-account', '0'), InvalidInputError);
});

test('only the owner runs admin commands; pause and unpause', async () => {
  await assert.rejects(zk('admin', 'pause', '--dev-account', '1'), (e: unknown) => e instanceof EthTransactionError && e.errorName === 'OwnableUnauthorizedAccount');
  await zk('admin', 'pause', '--dev-account', '0');
  const u = chain.users[0]!;
  await devMint(u, d.tokens.wETH!, u.account.address, 10n * WEIGHT_ONE);
  await expectRevert(deposit(u, d.vault, d.tokens.wETH!.address, WEIGHT_ONE), 'EnforcedPause');
  await zk('admin', 'unpause', '--dev-account', '0');
  await deposit(u, d.vault, d.tokens.wETH!.address, 5n * WEIGHT_ONE);
});

test('eth claim works for the claim manager (key from --key-file) only after the notice periods of propose-claim-manager and stop-deposits', async () => {
  const user = chain.users[0]!.account.address;
  const cm = chain.users[1]!.account.address;
  const receiver = chain.users[2]!.account.address;
  assert.match(await zk('admin', 'propose-claim-manager', cm, '--receiver', receiver, '--dev-account', '0'), /proposed; anyone can activate it from/);
  await assert.rejects(zk('admin', 'activate-claim-manager', '--dev-account', '2'), (e: unknown) => e instanceof EthTransactionError && e.errorName === 'NoticePending');
  assert.match(await zk('admin', 'stop-deposits', '--dev-account', '0'), /deposits stop at/);
  await assert.rejects(zk('admin', 'stop-deposits', '--dev-account', '0'), (e: unknown) => e instanceof EthTransactionError && e.errorName === 'StopTimeAlreadySet');
  await chain.test.increaseTime({ seconds: 3600 + 120 });
  await chain.test.mine({ blocks: 1 });
  assert.match(await zk('admin', 'activate-claim-manager', '--dev-account', '2'), /claim manager is now/); // anyone may activate
  assert.equal(readDeployment(dep).claimManager, cm);
  const before = await chain.owner.publicClient.readContract({ address: d.tokens.wETH!.address, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] });
  assert.match(await zk('claim', user, 'wETH', '2', '--key-file', cmKeyFile), new RegExp(`claimed 2 wETH of ${user} to ${receiver}`));
  const afterBal = await chain.owner.publicClient.readContract({ address: d.tokens.wETH!.address, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] });
  assert.equal(afterBal - before, 2n * WEIGHT_ONE);
  assert.equal(await read<bigint>('balanceOf', [user, d.tokens.wETH!.address]), 3n * WEIGHT_ONE);
  await assert.rejects(zk('claim', user, 'wETH', '1', '--dev-account', '0'), (e: unknown) => e instanceof EthTransactionError && e.errorName === 'NotClaimManager');
});

test('admin rescue returns a token sent to the vault by mistake; a deposited token cannot be rescued', async () => {
  const stray = await deploy(chain.owner, 'DevToken', ['stray', 'STRAY', 18]);
  await chain.owner.walletClient.writeContract({ address: stray, abi: devTokenAbi, functionName: 'mint', args: [d.vault, 5n], chain: null, account: chain.owner.account });
  await chain.test.mine({ blocks: 1 });
  const to = chain.users[2]!.account.address;
  assert.match(await zk('admin', 'rescue', stray, '--to', to, '--dev-account', '0'), /rescued 5 units/);
  await assert.rejects(zk('admin', 'rescue', 'wETH', '--to', to, '--dev-account', '0'), (e: unknown) => e instanceof EthTransactionError && e.errorName === 'NothingToRescue');
});
