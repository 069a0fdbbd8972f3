import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { depositVaultAbi, ezETHAbi } from '../../src/eth/abi-index.js';
import { deployDevStack, deployStack, DEV_TOKENS, WEIGHT_ONE } from '../../src/eth/deploy.js';
import { findToken, readDeployment, writeDeployment, type Deployment } from '../../src/eth/deployment.js';
import { DeploymentError } from '../../src/eth/errors.js';
import { deposit, devMint, readPoints, restake } from '../../src/eth/vault.js';
import { startTestChain, type TestChain } from './helpers/chain.js';

let chain: TestChain;
let dev: Deployment;
const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-eth-deploy-'));

before(async () => {
  chain = await startTestChain(2);
  dev = await deployDevStack(chain.owner, { claimManager: chain.users[1]!.account.address, weights: { rETH: (WEIGHT_ONE * 11n) / 10n } });
});
after(async () => {
  await chain.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('the dev stack whitelists every LRT + wETH + ezETH with their weights and wires restaking', async () => {
  const pc = chain.owner.publicClient;
  assert.deepEqual(Object.keys(dev.tokens).sort(), [...DEV_TOKENS.map((t) => t.symbol), 'ezETH'].sort());
  const listed = await pc.readContract({ address: dev.vault, abi: depositVaultAbi, functionName: 'tokens' });
  assert.equal(listed.length, 7);
  const reth = await pc.readContract({ address: dev.vault, abi: depositVaultAbi, functionName: 'tokenInfo', args: [dev.tokens.rETH!.address] });
  assert.equal(reth.weight, (WEIGHT_ONE * 11n) / 10n);
  assert.equal(await pc.readContract({ address: dev.vault, abi: depositVaultAbi, functionName: 'restakeManager' }), dev.restakeManager);
  assert.equal(await pc.readContract({ address: dev.ezETH!, abi: ezETHAbi, functionName: 'minter' }), dev.restakeManager);
  assert.equal(await pc.readContract({ address: dev.vault, abi: depositVaultAbi, functionName: 'claimManager' }), chain.users[1]!.account.address);

  const u = chain.users[0]!;
  await devMint(u, dev.tokens.ETHx!, u.account.address, 5n * WEIGHT_ONE);
  await deposit(u, dev.vault, dev.tokens.ETHx!.address, 5n * WEIGHT_ONE);
  const { minted } = await restake(u, dev.vault, dev.tokens.ETHx!.address, 2n * WEIGHT_ONE);
  assert.equal(minted, 2n * WEIGHT_ONE);
  const p = await readPoints(u, dev, u.account.address);
  assert.deepEqual(
    p.rows.filter((r) => r.balance > 0n).map((r) => [r.symbol, r.balance]),
    [['ETHx', 3n * WEIGHT_ONE], ['ezETH', 2n * WEIGHT_ONE]],
  );
});

test('deployStack whitelists existing tokens (symbol and decimals read on chain) and an existing restake manager', async () => {
  const d = await deployStack(chain.owner, {
    tokens: [
      { address: dev.tokens.stETH!.address, weight: 2n * WEIGHT_ONE },
      { address: dev.ezETH!, weight: WEIGHT_ONE },
    ],
    restakeManager: dev.restakeManager!,
    ezETH: dev.ezETH!,
  });
  assert.equal(d.network, 'custom');
  assert.deepEqual(Object.keys(d.tokens).sort(), ['ezETH', 'stETH']);
  assert.equal(d.tokens.stETH!.weight, String(2n * WEIGHT_ONE));
  assert.equal(d.tokens.stETH!.devMintable, false);
  assert.equal(await chain.owner.publicClient.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'restakedToken' }), dev.ezETH);
  await assert.rejects(devMint(chain.owner, d.tokens.stETH!, chain.owner.account.address, 1n), DeploymentError);
});

test('deployment files round-trip and malformed ones are refused with a hint', () => {
  const f = join(tmp, 'd.json');
  writeDeployment(f, dev);
  assert.deepEqual(readDeployment(f), dev);
  assert.equal(findToken(dev, 'weth').symbol, 'wETH');
  assert.equal(findToken(dev, dev.tokens.rETH!.address.toLowerCase()).symbol, 'rETH');
  assert.throws(() => findToken(dev, 'DOGE'), /unknown token DOGE/);
  writeFileSync(f, JSON.stringify({ ...dev, vault: 'nope' }));
  assert.throws(() => readDeployment(f), (e: unknown) => e instanceof DeploymentError && /vault/.test(e.message));
  assert.throws(() => readDeployment(join(tmp, 'missing.json')), (e: unknown) => e instanceof DeploymentError && /eth deploy/.test(e.describe()));
});
