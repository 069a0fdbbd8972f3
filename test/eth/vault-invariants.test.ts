/**
 * Seeded random action sequences against DepositVault on anvil, checked step by step against an exact model:
 *   - per token: Σ user balances = totalDeposited = the vault's token balance;
 *   - every user's points equal the model's checkpointed accrual, and never exceed
 *     Σ_token (max normalised balance held) × (max weight) × elapsed;
 *   - only the user or the claim manager moves a user's funds (attackers' attempts revert, nothing moves).
 * Block timestamps are pinned per step, so the model's arithmetic is exact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi, ezETHAbi, feeOnTransferTokenAbi, localRestakeManagerAbi } from '../../src/eth/abi-index.js';
import type { EthClients } from '../../src/eth/clients.js';
import { sendTx, withAllErrors } from '../../src/eth/tx.js';
import { deploy, startTestChain, type TestChain } from './helpers/chain.js';

const E18 = 10n ** 18n;
const MAX = 2n ** 256n - 1n;
const N_USERS = 4;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

interface ModelToken {
  symbol: string;
  address: Address;
  decimals: number;
  weight: bigint;
  index: bigint;
  last: bigint;
  feeBps: bigint;
  maxWeight: bigint;
}
interface Pos {
  bal: bigint;
  pts: bigint;
  idx: bigint;
  maxNorm: bigint;
}

let chain: TestChain;
before(async () => {
  chain = await startTestChain(N_USERS + 2);
});
after(() => chain.stop());

async function runSequence(seed: number, steps: number) {
  const rnd = prng(seed);
  const owner = chain.owner;
  const users = chain.users.slice(0, N_USERS);
  const cm = chain.users[N_USERS]!;
  const vault = await deploy(owner, 'DepositVault', [owner.account.address]);
  const A = await deploy(owner, 'DevToken', ['A', 'A', 18]);
  const B = await deploy(owner, 'DevToken', ['B', 'B', 6]);
  const F = await deploy(owner, 'FeeOnTransferToken', [100n]);
  const ez = await deploy(owner, 'EzETH', [owner.account.address]);
  const mgr = await deploy(owner, 'LocalRestakeManager', [owner.account.address, ez]);
  await sendTx(owner, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [mgr] });
  for (const t of [A, B]) await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [t, E18] });
  const spec: Array<[string, Address, number, bigint, bigint]> = [
    ['A', A, 18, E18, 0n],
    ['B', B, 6, (5n * E18) / 2n, 0n],
    ['F', F, 18, E18 / 2n, 100n],
    ['ezETH', ez, 18, 2n * E18, 0n],
  ];
  for (const [, addr, , w] of spec) await sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'addToken', args: [addr, w] });
  await sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'setRestakeManager', args: [mgr, ez] });
  await sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'setClaimManager', args: [cm.account.address] });
  for (const u of users) {
    for (const [, addr, dec] of spec.slice(0, 3)) {
      const abi = addr === F ? feeOnTransferTokenAbi : devTokenAbi;
      await sendTx(owner, { address: addr, abi, functionName: 'mint', args: [u.account.address, 10n ** 6n * 10n ** BigInt(dec)] });
      await sendTx(u, { address: addr, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
    }
  }

  const tokens: ModelToken[] = [];
  for (const [symbol, address, decimals, weight, feeBps] of spec) {
    const info = await owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'tokenInfo', args: [address] });
    tokens.push({ symbol, address, decimals, weight, index: info.index, last: BigInt(info.lastUpdate), feeBps, maxWeight: weight });
  }
  const tok = (a: Address) => tokens.find((t) => t.address === a)!;
  const pos = new Map<string, Pos>();
  const P = (u: Address, t: Address) => {
    const k = `${u}:${t}`;
    if (!pos.has(k)) pos.set(k, { bal: 0n, pts: 0n, idx: 0n, maxNorm: 0n });
    return pos.get(k)!;
  };
  const norm = (t: ModelToken, amount: bigint) => amount * 10n ** BigInt(18 - t.decimals);
  const advance = (t: ModelToken, ts: bigint) => {
    if (ts > t.last) (t.index += t.weight * (ts - t.last)), (t.last = ts);
  };
  const checkpoint = (u: Address, t: ModelToken, ts: bigint) => {
    advance(t, ts);
    const p = P(u, t.address);
    if (p.bal !== 0n) p.pts += (norm(t, p.bal) * (t.index - p.idx)) / E18;
    p.idx = t.index;
  };
  const pending = (u: Address, t: ModelToken, ts: bigint) => {
    const p = P(u, t.address);
    const idx = t.index + (ts > t.last ? t.weight * (ts - t.last) : 0n);
    return p.bal === 0n ? p.pts : p.pts + (norm(t, p.bal) * (idx - p.idx)) / E18;
  };
  const credit = (u: Address, t: ModelToken, amount: bigint, ts: bigint) => {
    checkpoint(u, t, ts);
    const p = P(u, t.address);
    p.bal += amount;
    if (norm(t, p.bal) > p.maxNorm) p.maxNorm = norm(t, p.bal);
  };
  const debit = (u: Address, t: ModelToken, amount: bigint, ts: bigint) => {
    checkpoint(u, t, ts);
    P(u, t.address).bal -= amount;
  };

  let ts = (await owner.publicClient.getBlock()).timestamp + 1n;
  const t0 = ts;
  let stop = MAX;
  const tally = { ok: 0, reverted: 0 };

  /** Send at exactly `ts` with a fixed gas limit (no simulation); true when it succeeded. */
  async function sendAt(c: EthClients, functionName: string, args: readonly unknown[]): Promise<boolean> {
    await chain.test.setNextBlockTimestamp({ timestamp: ts });
    const hash: Hex = await c.walletClient.writeContract({ address: vault, abi: withAllErrors(depositVaultAbi), functionName, args, gas: 1_500_000n } as never);
    const r = await c.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    r.status === 'success' ? tally.ok++ : tally.reverted++;
    return r.status === 'success';
  }

  const readBal = (u: Address, t: Address) => owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'balanceOf', args: [u, t] });

  for (let step = 0; step < steps; step++) {
    ts += BigInt(rnd.int(1, 5000));
    if (step === Math.floor(steps * 0.6)) {
      stop = ts;
      assert.ok(await sendAt(owner, 'setDepositStopTime', [stop]), 'setDepositStopTime');
      continue;
    }
    const ui = rnd.int(0, N_USERS - 1);
    const u = users[ui]!;
    const ua = u.account.address;
    const t = rnd.pick(tokens);
    const p = P(ua, t.address);
    const before = await Promise.all(users.flatMap((x) => tokens.map((k) => readBal(x.account.address, k.address))));
    let actor: Address = ua;
    const r = rnd.next();
    const what = `seed ${seed} step ${step}`;
    if (r < 0.35) {
      // deposit (ezETH cannot be deposited here: users hold none outside the vault)
      if (t.symbol === 'ezETH') continue;
      const amount = BigInt(rnd.int(1, 1000)) * 10n ** BigInt(t.decimals - 2);
      const okExpected = ts < stop;
      assert.equal(await sendAt(u, 'deposit', [t.address, amount]), okExpected, `${what}: deposit`);
      if (okExpected) credit(ua, t, amount - (amount * t.feeBps) / 10_000n, ts);
    } else if (r < 0.55) {
      // withdraw: usually within the balance, sometimes beyond it
      const over = rnd.next() < 0.15;
      const amount = over ? p.bal + 1n : p.bal === 0n ? 0n : BigInt(Math.floor(rnd.next() * Number(p.bal))) + 1n;
      if (amount === 0n) continue;
      const ok = await sendAt(u, 'withdraw', [t.address, amount > p.bal ? amount : amount]);
      assert.equal(ok, !over && amount <= p.bal, `${what}: withdraw`);
      if (ok) debit(ua, t, amount, ts);
    } else if (r < 0.68) {
      // restake A or B into ezETH
      if (t.symbol !== 'A' && t.symbol !== 'B') continue;
      if (p.bal === 0n) continue;
      const amount = BigInt(Math.floor(rnd.next() * Number(p.bal))) + 1n;
      assert.ok(await sendAt(u, 'restake', [t.address, amount]), `${what}: restake`);
      debit(ua, t, amount, ts);
      credit(ua, tok(ez), norm(t, amount), ts);
    } else if (r < 0.76) {
      // owner changes a weight
      const w = BigInt(rnd.int(1, 50)) * (E18 / 10n);
      actor = owner.account.address;
      assert.ok(await sendAt(owner, 'setWeight', [t.address, w]), `${what}: setWeight`);
      advance(t, ts);
      t.weight = w;
      if (w > t.maxWeight) t.maxWeight = w;
    } else if (r < 0.88) {
      // an attacker (another user) tries to move u's funds: claim on u's behalf, or withdraw beyond their own balance
      const v = users[(ui + rnd.int(1, N_USERS - 1)) % N_USERS]!;
      actor = v.account.address;
      assert.equal(await sendAt(v, 'claim', [ua, t.address, p.bal > 0n ? p.bal : 1n, v.account.address]), false, `${what}: attacker claim`);
      const vb = P(v.account.address, t.address).bal;
      assert.equal(await sendAt(v, 'withdraw', [t.address, vb + p.bal + 1n]), false, `${what}: attacker withdraw`);
    } else {
      // the claim manager moves part of u's balance (only after deposits stop)
      if (p.bal === 0n) continue;
      actor = cm.account.address;
      const amount = BigInt(Math.floor(rnd.next() * Number(p.bal))) + 1n;
      const okExpected = ts >= stop;
      assert.equal(await sendAt(cm, 'claim', [ua, t.address, amount, cm.account.address]), okExpected, `${what}: claim`);
      if (okExpected) debit(ua, t, amount, ts);
    }

    // ── invariants at this block (timestamp ts) ──
    const after = await Promise.all(users.flatMap((x) => tokens.map((k) => readBal(x.account.address, k.address))));
    users.forEach((x, i) =>
      tokens.forEach((k, j) => {
        const idx = i * tokens.length + j;
        assert.equal(after[idx], P(x.account.address, k.address).bal, `${what}: balance of user ${i} in ${k.symbol}`);
        if (x.account.address !== actor && actor !== cm.account.address) {
          assert.equal(after[idx], before[idx], `${what}: ${actor} moved user ${i}'s ${k.symbol}`);
        }
      }),
    );
    for (const k of tokens) {
      const sum = users.reduce((s, x) => s + P(x.account.address, k.address).bal, 0n);
      const [total, held] = await Promise.all([
        owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'totalDeposited', args: [k.address] }),
        owner.publicClient.readContract({ address: k.address, abi: erc20Abi, functionName: 'balanceOf', args: [vault] }),
      ]);
      assert.equal(total, sum, `${what}: totalDeposited ${k.symbol}`);
      assert.equal(held, sum, `${what}: vault holds Σ balances of ${k.symbol}`);
    }
    for (const x of users) {
      const xa = x.account.address;
      const pts = await owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'pointsOf', args: [xa] });
      const expected = tokens.reduce((s, k) => s + pending(xa, k, ts), 0n);
      assert.equal(pts, expected, `${what}: points of ${xa}`);
      const bound = tokens.reduce((s, k) => s + (P(xa, k.address).maxNorm * k.maxWeight * (ts - t0)) / E18, 0n);
      assert.ok(pts <= bound, `${what}: points ${pts} exceed value × elapsed × weight ${bound}`);
    }
  }
  return tally;
}

for (const seed of [1, 2024]) {
  test(`random action sequence (seed ${seed}) keeps the vault invariants`, async () => {
    const tally = await runSequence(seed, 90);
    assert.ok(tally.ok > 30, `too few successful actions: ${JSON.stringify(tally)}`);
    assert.ok(tally.reverted > 5, `too few refused actions: ${JSON.stringify(tally)}`);
  });
}
