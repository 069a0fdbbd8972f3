/**
 * Devnet alpha pools (docs/chain.md "Devnet alpha pools"): the constant-product swap, and staking on a pool
 * subnet — τ in, the subnet's α out; α in, τ out — with permits, the metagraph and epochs on that subnet's α.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { DEFAULT_FEE_RATE, swapAlphaForTao, swapFee, swapTaoForAlpha } from '../../src/chain/devnet/pool.js';
import * as E from '../../src/chain/errors.js';
import { raoToTao, taoToRao } from '../../src/chain/types.js';
import { RpcChain } from '../../src/chain/rpc/client.js';
import { serveDevnet } from '../../src/chain/rpc/server.js';
import { CLI_NODE_ARGS, runNode } from '../lifecycle/spawn-cli.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const cold = keyring.addFromUri('//PoolOwner');
const [v1, v2] = [keyring.addFromUri('//PoolOwner//v1'), keyring.addFromUri('//PoolOwner//v2')];
const alice = keyring.addFromUri('//Alice'); // the devnet's block author: swap fees go to it

test('swap: constant product by hand, rounding in the pool\'s favour, k never decreases', () => {
  // pool 100 τ / 200 α (price 0.5 τ per α); 100 τ in: α out = 200 − ⌈100·200/200⌉ = 100
  const a = swapTaoForAlpha({ tao: 100n, alpha: 200n }, 100n);
  assert.deepEqual(a, { alphaOut: 100n, pool: { tao: 200n, alpha: 100n } });
  // 7 τ into 10/10: α out = 10 − ⌈100/17⌉ = 10 − 6 = 4 (the exact 4.117… rounds down)
  assert.equal(swapTaoForAlpha({ tao: 10n, alpha: 10n }, 7n).alphaOut, 4n);
  // back: 4 α into 17/6: τ out = 17 − ⌈102/10⌉ = 17 − 11 = 6 < 7 τ paid
  assert.equal(swapAlphaForTao({ tao: 17n, alpha: 6n }, 4n).taoOut, 6n);
  let p = { tao: 1_000_000n, alpha: 3_000_000n };
  for (const t of [999n, 123_456n, 10_000n]) {
    const k0 = p.tao * p.alpha;
    const s = swapTaoForAlpha(p, t);
    assert.ok(s.pool.tao * s.pool.alpha >= k0);
    const back = swapAlphaForTao(s.pool, s.alphaOut);
    assert.ok(back.taoOut <= t, 'a round trip never returns more τ than it put in');
    assert.ok(back.pool.tao * back.pool.alpha >= s.pool.tao * s.pool.alpha);
    p = back.pool;
  }
  assert.throws(() => swapTaoForAlpha({ tao: 10n ** 18n, alpha: 10n }, 1n), E.InvalidAmountError);
  assert.throws(() => swapAlphaForTao({ tao: 10n, alpha: 10n }, 0n), E.InvalidAmountError);
});

test('devnet: staking on a pool subnet swaps τ↔α; permits, metagraph and epochs use that α; other subnets keep τ stake', async () => {
  const dev = await Devnet.open({ hyperparameters: { tempo: 4, weightsRateLimit: 0 } });
  try {
    await dev.faucet(cold.address, taoToRao(1000));
    const pool = { tao: taoToRao(100), alpha: taoToRao(400) };
    const netuid = await dev.createSubnet(cold.address, { tempo: 4, weightsRateLimit: 0 }, pool);
    for (const v of [v1, v2]) await dev.burnedRegister(netuid, cold, v.address);
    const before = await dev.balance(cold.address);
    // 25 τ less the 0.05 % swap fee → α = 400 − ⌈100·400/(100 + 25 − fee)⌉ (≈ 79.97 α; 80 α without the fee)
    await dev.addStake(cold, v1.address, taoToRao(25), netuid);
    assert.equal(await dev.balance(cold.address), before - taoToRao(25));
    const net = taoToRao(25) - swapFee(taoToRao(25), DEFAULT_FEE_RATE);
    const first = swapTaoForAlpha(pool, net);
    const staked = first.alphaOut;
    assert.equal(staked, taoToRao(400) - (taoToRao(100) * taoToRao(400) + taoToRao(100) + net - 1n) / (taoToRao(100) + net));
    let mg = await dev.metagraph(netuid);
    assert.deepEqual(mg.alphaStake, [staked, 0n]);
    assert.deepEqual(mg.stake, mg.alphaStake);
    assert.deepEqual(mg.taoStake, [0n, 0n]);
    assert.deepEqual(mg.validatorPermit, [true, false]);
    // the price moved: the same 25 τ now buys less α
    await dev.addStake(cold, v2.address, taoToRao(25), netuid);
    mg = await dev.metagraph(netuid);
    assert.equal(mg.alphaStake[1], swapTaoForAlpha(first.pool, net).alphaOut);
    assert.ok(mg.alphaStake[1]! < staked);
    // unstake 40 α of v1: τ out = 150 − ⌈150·(320 − 53.33…)/(266.67 + 40)⌉ < the 25 τ it cost per 80 α, > 0
    const mid = await dev.balance(cold.address);
    await dev.removeStake(cold, v1.address, taoToRao(40), netuid);
    const got = (await dev.balance(cold.address)) - mid;
    assert.ok(got > 0n && got < taoToRao(25));
    assert.equal((await dev.metagraph(netuid)).alphaStake[0], staked - taoToRao(40));
    await assert.rejects(dev.removeStake(cold, v1.address, taoToRao(41), netuid), E.NotEnoughStakeError);
    // subnet 1 (no pool) still stakes τ 1:1 and does not see the α
    await dev.burnedRegister(1, cold, v1.address);
    assert.equal((await dev.metagraph(1)).stake[0], 0n);
    await dev.addStake(cold, v1.address, taoToRao(3));
    assert.equal((await dev.metagraph(1)).stake[0], taoToRao(3));
    assert.equal((await dev.metagraph(netuid)).alphaStake[0], staked - taoToRao(40));
    // an epoch on the pool subnet credits its emission as α of that subnet
    await dev.setWeights(v1, { netuid, uids: [1], weights: [1], versionKey: 0 });
    const a0 = (await dev.metagraph(netuid)).alphaStake;
    for (let i = 0; i < 6; i++) dev.produceBlock();
    const a1 = (await dev.metagraph(netuid)).alphaStake;
    assert.ok(a1[0]! + a1[1]! > a0[0]! + a0[1]!, 'emission credited as α');
    assert.equal((await dev.metagraph(1)).stake[0]! >= taoToRao(3), true);
    await assert.rejects(dev.addStake(cold, v1.address, taoToRao(1), 99), E.SubnetNotFoundError);
  } finally {
    await dev.close();
  }
});

test('devnet over JSON-RPC: a pool subnet created through the wire; the real CLI `chain stake add/remove --netuid` swaps through it', async () => {
  const dev = await Devnet.open({ fast: true });
  const server = await serveDevnet(dev, { port: 0 });
  const rpc = await RpcChain.connect(server.url);
  try {
    await dev.faucet(cold.address, taoToRao(100));
    const netuid = await rpc.createSubnet(cold.address, {}, { tao: taoToRao(100), alpha: taoToRao(400) });
    await rpc.burnedRegister(netuid, cold, v1.address);
    const cli = (op: string, amount: string) => runNode([...CLI_NODE_ARGS, 'chain', 'stake', op, '--network', server.url, '--netuid', String(netuid),
      '--coldkey-uri', '//PoolOwner', '--hotkey-uri', '//PoolOwner//v1', '--amount', amount]);
    const author = await rpc.balance(alice.address);
    let r = await cli('add', '25');
    assert.equal(r.code, 0, r.stderr);
    // 25 τ in, the 33/65535 fee (12,588,693 rao) to the block author, the rest buys α
    const fee = swapFee(taoToRao(25), DEFAULT_FEE_RATE);
    const buy = swapTaoForAlpha({ tao: taoToRao(100), alpha: taoToRao(400) }, taoToRao(25) - fee);
    assert.deepEqual((await rpc.metagraph(netuid)).alphaStake, [buy.alphaOut]);
    assert.match(r.stdout, /staked 25 τ for 79\.\d+ α \(fee 0\.012588693 τ\)/);
    assert.equal(await rpc.balance(alice.address), author + fee);
    const before = await rpc.balance(cold.address);
    r = await cli('remove', String(raoToTao(buy.alphaOut)));
    assert.equal(r.code, 0, r.stderr);
    // all α sold back: the α fee is sold fee-less for the author, the rest for the coldkey; both fees stay out of
    // the coldkey's round trip, so it gets back less than 25 τ
    const feeA = swapFee(buy.alphaOut, DEFAULT_FEE_RATE);
    const sell = swapAlphaForTao(buy.pool, buy.alphaOut - feeA);
    assert.deepEqual((await rpc.metagraph(netuid)).alphaStake, [0n]);
    assert.equal(await rpc.balance(cold.address), before + sell.taoOut);
    assert.equal(await rpc.balance(alice.address), author + fee + swapAlphaForTao(sell.pool, feeA).taoOut);
    assert.ok(sell.taoOut < taoToRao(25) - fee);
    // the pool keeps the coldkey's net τ less what it paid out; its α is back to 400
    const pool = await rpc.subnetPool(netuid);
    assert.deepEqual([pool.taoIn, pool.alphaIn], [taoToRao(100) + (taoToRao(25) - fee) - sell.taoOut - swapAlphaForTao(sell.pool, feeA).taoOut, taoToRao(400)]);
    await assert.rejects(rpc.createSubnet(cold.address, {}, { tao: 0n, alpha: 1n }), /positive τ and α reserves/);
  } finally {
    await rpc.close();
    await server.close();
    await dev.close();
  }
});
