/**
 * The devnet's dynamic-TAO economics (docs/chain.md "Per-block coinbase", "Swap fees and limit prices", "Root
 * network"), ported from subtensor 14bc6f9f: limit-price arithmetic, the halving schedule, add/remove_stake_limit
 * through the real CLI (SlippageTooHigh changes nothing, allow_partial fills part, PriceLimitExceeded), the block's
 * injection into the pool reserves, and root stake counted by the tao weight in permits and the metagraph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { blockEmissionForIssuance } from '../../src/chain/devnet/coinbase.js';
import { alphaPriceRao, DEFAULT_FEE_RATE, maxAlphaIn, maxTaoIn, swapAlphaForTao, swapFee, swapTaoForAlpha } from '../../src/chain/devnet/pool.js';
import { DEFAULT_TAO_WEIGHT } from '../../src/chain/devnet/stake.js';
import { limitFromTolerance } from '../../src/chain/stake-limit.js';
import * as E from '../../src/chain/errors.js';
import { taoToRao } from '../../src/chain/types.js';
import { RpcChain } from '../../src/chain/rpc/client.js';
import { serveDevnet } from '../../src/chain/rpc/server.js';
import { CLI_NODE_ARGS, runNode } from '../lifecycle/spawn-cli.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const cold = keyring.addFromUri('//DtaoOwner');
const [v1, v2] = [keyring.addFromUri('//DtaoOwner//v1'), keyring.addFromUri('//DtaoOwner//v2')];
const T = taoToRao;

test('limit prices: the largest input that keeps the price within the limit, fee on top; PriceLimitExceeded on the wrong side', () => {
  const p = { tao: T(100), alpha: T(400) }; // 0.25 τ/α
  // buy up to 0.36 τ/α: τ' = √(100·400·0.36) = 120 τ, so 20 τ net + ⌊20 τ · 33/(65535 − 33)⌋ fee
  const net = T(20);
  assert.equal(maxTaoIn(p, 360_000_000n, 0), net);
  assert.equal(maxTaoIn(p, 360_000_000n, DEFAULT_FEE_RATE), net + (net * ((33n << 64n) / 65_502n) >> 64n));
  // executing exactly that input leaves the price at the limit, not past it
  const max = maxTaoIn(p, 360_000_000n, DEFAULT_FEE_RATE);
  const after = swapTaoForAlpha(p, max - swapFee(max, DEFAULT_FEE_RATE)).pool;
  assert.ok(alphaPriceRao(after) <= 360_000_000n && alphaPriceRao(after) >= 359_999_990n);
  // sell down to 0.16 τ/α: α' = √(100·400/0.16) = 500 α, 100 α net
  assert.equal(maxAlphaIn(p, 160_000_000n, 0), T(100));
  assert.equal(maxAlphaIn(p, 0n, 0), (1n << 64n) - 1n, 'a zero unstake limit sells without limit');
  assert.throws(() => maxTaoIn(p, 250_000_000n, 33), E.PriceLimitExceededError, 'a buy limit must be above the price');
  assert.throws(() => maxAlphaIn(p, 250_000_000n, 33), E.PriceLimitExceededError, 'a sell limit must be below the price');
  // the SDK's safe_staking limit: price · (1 ± tolerance); root stays at its price
  assert.equal(limitFromTolerance(250_000_000n, 0.005, 'add', 3), 251_250_000n);
  assert.equal(limitFromTolerance(250_000_000n, 0.005, 'remove', 3), 248_750_000n);
  assert.equal(limitFromTolerance(1_000_000_000n, 0.5, 'add', 0), 1_000_000_000n);
  // the fee: ⌊amount · ⌊33·2^64/65535⌋ / 2^64⌋
  assert.equal(swapFee(T(25), DEFAULT_FEE_RATE), 12_588_693n);
});

test('block emission halves with issuance as get_block_emission_for_issuance: 1, ½ at 10.5 M, ¼ at 15.75 M, 0 at 21 M', () => {
  assert.equal(blockEmissionForIssuance(0n), 1_000_000_000n);
  assert.equal(blockEmissionForIssuance(T(10_499_999)), 1_000_000_000n);
  assert.equal(blockEmissionForIssuance(T(10_500_000)), 500_000_000n);
  assert.equal(blockEmissionForIssuance(T(15_750_000)), 250_000_000n);
  assert.equal(blockEmissionForIssuance(T(21_000_000)), 0n);
});

test('coinbase: the pool grows by the block\'s τ emission; without root stake it all buys α for the protocol, with root stake part is injected at the price; α emission and the owner cut reach the epoch', async () => {
  const dev = await Devnet.open({ hyperparameters: { tempo: 100 } });
  try {
    await dev.faucet(cold.address, T(1000));
    const netuid = await dev.createSubnet(cold.address, { tempo: 5, weightsRateLimit: 0 }, { tao: T(100), alpha: T(400) });
    // a new subnet's moving price is 0 and its EMA step (3e-6 · b/(b + 201600) · price) stays below I96F32's
    // 2^-32 for its first ≈ 60 blocks: until then its τ share is 0, as on subtensor
    let blocks = 0;
    while (dev.store.pool(netuid)!.movingPrice === 0n && blocks < 200) { dev.produceBlock(); blocks++; }
    let p0 = dev.store.pool(netuid)!;
    assert.ok(blocks > 50 && blocks < 100, `moving price positive after ${blocks} blocks`);
    assert.equal(p0.tao, T(100), 'no τ while the share is 0');
    assert.equal(p0.alphaOutEmission, T(1), '1 α per block is emitted (pending until the epoch)');
    dev.produceBlock();
    let p1 = dev.store.pool(netuid)!;
    // the only dynamic subnet takes the whole 1 τ; root proportion 0 caps the injection at 0 α, so it is a chain buy
    assert.equal(p1.tao - p0.tao, T(1));
    assert.equal(p1.taoInEmission, 0n);
    const bought = swapTaoForAlpha(p0, T(1)).alphaOut;
    assert.equal(p0.alpha - p1.alpha, bought);
    assert.equal(p1.protocolAlpha - p0.protocolAlpha, bought);
    // root stake: root proportion = w·R / (w·R + α issuance) caps the α injected; τ in = α in · price, the rest buys
    await dev.burnedRegister(netuid, cold, v1.address);
    await dev.addStake(cold, v1.address, T(500), 0);
    p0 = dev.store.pool(netuid)!;
    dev.produceBlock();
    p1 = dev.store.pool(netuid)!;
    // the τ reserve grows by the block emission either way (τ in and the excess are floored apart: ≤ 1 rao recycled)
    assert.ok(T(1) - (p1.tao - p0.tao) <= 1n && p1.tao - p0.tao <= T(1), `τ reserve +${p1.tao - p0.tao}`);
    const w = Number(DEFAULT_TAO_WEIGHT) / 2 ** 64;
    const rp = (w * 500) / (w * 500 + Number(p0.alpha + p0.alphaOut) / 1e9);
    assert.ok(Math.abs(Number(p1.alphaInEmission) - rp * 1e9) < 2, `α injected ${p1.alphaInEmission} ≈ ${rp * 1e9}`);
    const price = Number(p0.tao) / Number(p0.alpha);
    assert.ok(Math.abs(Number(p1.taoInEmission) - Number(p1.alphaInEmission) * price) < 2);
    // the owner's 18 % of the α emission is paid at the epoch, as α staked by the owner
    for (let i = 0; i < 6; i++) dev.produceBlock();
    assert.ok(dev.store.alphaOf(netuid, cold.address, cold.address) > 0n, 'owner cut credited as α');
    assert.equal(dev.store.pool(1), undefined, 'subnet 1 has no pool and keeps its own emission');
  } finally {
    await dev.close();
  }
});

test('root network: τ staked on netuid 0 counts tao_weight × τ in the stake weight, and wins a permit on a subnet', async () => {
  const dev = await Devnet.open();
  try {
    await dev.faucet(cold.address, T(1000));
    const netuid = await dev.createSubnet(cold.address, { maxAllowedValidators: 1 }, { tao: T(100), alpha: T(400) });
    for (const v of [v1, v2]) await dev.burnedRegister(netuid, cold, v.address);
    await dev.addStake(cold, v1.address, T(1), netuid); // ≈ 3.96 α
    assert.deepEqual((await dev.metagraph(netuid)).validatorPermit, [true, false]);
    await dev.addStake(cold, v2.address, T(100), 0); // 100 τ on root ≈ 5.27 α of weight
    const mg = await dev.metagraph(netuid);
    assert.deepEqual(mg.taoStake, [0n, T(100)]);
    const twFx = (DEFAULT_TAO_WEIGHT << 32n) / ((1n << 64n) - 1n);
    assert.equal(mg.stake[1], (T(100) * twFx) >> 32n);
    assert.ok(mg.stake[1]! > mg.stake[0]!);
    assert.deepEqual(mg.validatorPermit, [false, true], 'the root-staked validator takes the only permit');
    await assert.rejects(dev.removeStake(cold, v2.address, T(101), 0), E.NotEnoughStakeError);
    await dev.removeStake(cold, v2.address, T(100), 0);
    assert.deepEqual((await dev.metagraph(netuid)).validatorPermit, [true, false]);
  } finally {
    await dev.close();
  }
});

test('swap_stake: α sold on the origin (fee there) buys the destination\'s α fee-less; the price-ratio limit; root ↔ pool; same subnet refused', async () => {
  const dev = await Devnet.open();
  try {
    await dev.faucet(cold.address, T(1000));
    const a = await dev.createSubnet(cold.address, {}, { tao: T(100), alpha: T(400) }); // 0.25 τ/α
    const b = await dev.createSubnet(cold.address, {}, { tao: T(100), alpha: T(100) }); // 1 τ/α
    await dev.burnedRegister(a, cold, v1.address);
    await dev.addStake(cold, v1.address, T(20), a);
    const alphaA = dev.store.alphaOf(a, v1.address, cold.address);
    const [pa, pb] = [dev.store.pool(a)!, dev.store.pool(b)!];
    // after the stake a is 120 τ / 333 α (0.36 τ/α), so price_a / price_b = 0.36; selling a's α lowers it, and a limit
    // of 0.34 admits (α_b·t_a/(t_a+t_b))/0.34 − α_a·t_b/(t_a+t_b) ≈ 8.9 of the ≈ 66.7 α
    const limit = 340_000_000n;
    const max = (pb.alpha * pa.tao * 1_000_000_000n / limit - pa.alpha * pb.tao) / (pa.tao + pb.tao);
    await assert.rejects(dev.swapStake(cold, v1.address, a, b, alphaA, { limitPrice: limit }), E.SlippageTooHighError);
    assert.equal(dev.store.alphaOf(a, v1.address, cold.address), alphaA, 'a refused swap changes nothing');
    assert.deepEqual(dev.store.pool(b), pb);
    const r = await dev.swapStake(cold, v1.address, a, b, alphaA, { limitPrice: limit, allowPartial: true });
    assert.equal(r.swap!.paidIn, max.toString());
    assert.ok(max > T(8) && max < T(10));
    const fee = swapFee(max, DEFAULT_FEE_RATE);
    const sold = swapTaoForAlpha(pb, swapAlphaForTao(pa, max - fee).taoOut).alphaOut;
    assert.equal(dev.store.alphaOf(a, v1.address, cold.address), alphaA - max);
    assert.equal(dev.store.alphaOf(b, v1.address, cold.address), sold, 'the τ from subnet a buys subnet b\'s α without a second fee');
    // root → pool and pool → root
    await dev.addStake(cold, v1.address, T(5), 0);
    await dev.swapStake(cold, v1.address, 0, b, T(2));
    assert.equal(dev.store.alphaOf(0, v1.address, cold.address), T(3));
    await dev.swapStake(cold, v1.address, b, 0, sold);
    assert.equal(dev.store.alphaOf(b, v1.address, cold.address) > 0n, true, 'the root-origin buy stays on b');
    assert.ok(dev.store.alphaOf(0, v1.address, cold.address) > T(3));
    await assert.rejects(dev.swapStake(cold, v1.address, a, a, T(1)), E.SameNetuidError);
    await assert.rejects(dev.swapStake(cold, v1.address, a, 1, T(1)), /has no alpha pool/);
  } finally {
    await dev.close();
  }
});

test('the real CLI: a too-tight --limit-price fails with SlippageTooHigh and changes nothing; --allow-partial fills part; --safe-staking; root stake', async () => {
  const dev = await Devnet.open({ fast: true });
  const server = await serveDevnet(dev, { port: 0 });
  const rpc = await RpcChain.connect(server.url);
  try {
    await dev.faucet(cold.address, T(1000));
    const netuid = await rpc.createSubnet(cold.address, {}, { tao: T(100), alpha: T(400) });
    await rpc.burnedRegister(netuid, cold, v1.address);
    const cli = (...args: string[]) => runNode([...CLI_NODE_ARGS, 'chain', ...args, '--network', server.url,
      '--coldkey-uri', '//DtaoOwner', '--hotkey-uri', '//DtaoOwner//v1']);
    const before = { balance: await rpc.balance(cold.address), pool: await rpc.subnetPool(netuid), mg: await rpc.metagraph(netuid) };
    // 50 τ would lift the price from 0.25 to ≈ 0.56 τ/α; the limit 0.3 admits ≈ 9.5 τ
    let r = await cli('stake', 'add', '--netuid', String(netuid), '--amount', '50', '--limit-price', '0.3');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /stake of [\d.]+ τ would move the price past the limit; at most 9\.549320039 τ fits/);
    assert.match(r.stderr, /allow-partial/);
    await assert.rejects(rpc.addStake(cold, v1.address, T(50), netuid, { limitPrice: 300_000_000n }), E.SlippageTooHighError);
    assert.equal(await rpc.balance(cold.address), before.balance);
    assert.deepEqual(await rpc.subnetPool(netuid), before.pool);
    assert.deepEqual((await rpc.metagraph(netuid)).alphaStake, before.mg.alphaStake);
    // allow_partial: only the part under the limit executes
    r = await cli('stake', 'add', '--netuid', String(netuid), '--amount', '50', '--limit-price', '0.3', '--allow-partial');
    assert.equal(r.code, 0, r.stderr);
    const max = maxTaoIn({ tao: T(100), alpha: T(400) }, 300_000_000n, DEFAULT_FEE_RATE);
    assert.equal(await rpc.balance(cold.address), before.balance - max);
    assert.match(r.stdout, /partial: 9\.\d+ of 50 τ fit under the limit/);
    const pool = await rpc.subnetPool(netuid);
    assert.ok(pool.priceRao <= 300_000_000n && pool.priceRao > 299_999_000n, `price ${pool.priceRao} at the limit`);
    r = await runNode([...CLI_NODE_ARGS, 'chain', 'pool', '--netuid', String(netuid), '--network', server.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /price\s+0\.29999\d* τ\/α/);
    assert.match(r.stdout, /fee rate\s+33\/65535/);
    // a limit below the current price can never fill
    await assert.rejects(rpc.addStake(cold, v1.address, T(1), netuid, { limitPrice: 200_000_000n }), E.PriceLimitExceededError);
    // safe staking: price · 1.005 admits a small unstake, refuses a large one
    const alpha = (await rpc.metagraph(netuid)).alphaStake[0]!;
    r = await cli('stake', 'remove', '--netuid', String(netuid), '--amount', '0.1', '--safe-staking');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await rpc.metagraph(netuid)).alphaStake[0], alpha - T(0.1));
    // root: 5 τ staked on netuid 0 shows as ROOT τ on the subnet's metagraph
    r = await cli('stake', 'add', '--netuid', '0', '--amount', '5');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await rpc.metagraph(netuid)).taoStake[0], T(5));
    assert.equal((await rpc.subnetPool(0)).taoIn, T(5));
    // swap 2 τ of root stake into the subnet's α
    const before2 = (await rpc.metagraph(netuid)).alphaStake[0]!;
    r = await cli('stake', 'swap', '--origin-netuid', '0', '--dest-netuid', String(netuid), '--amount', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /swapped 2 α of subnet 0 for [\d.]+ α of subnet \d+/);
    assert.equal((await rpc.metagraph(netuid)).taoStake[0], T(3));
    assert.ok((await rpc.metagraph(netuid)).alphaStake[0]! > before2);
  } finally {
    await rpc.close();
    await server.close();
    await dev.close();
  }
});
