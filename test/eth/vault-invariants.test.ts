/**
 * Seeded random action sequences against DepositVault on anvil, checked step by step against an exact model of its
 * share and points arithmetic (docs/eth.md "DepositVault"). Tokens: plain 18 and 6 decimals, fee-on-transfer (1 %),
 * share-based rebasing with Lido's rounding (rebases of ±0.1…5 % mid-sequence), an ERC777-style hook token, and
 * the restaked ezETH. After every step:
 *   - every user's shares equal the model's, and Σ shares = the token's totalShares;
 *   - Σ users' withdrawable balances ≤ the vault's token balance, within rounding dust (nothing stranded);
 *   - every user's points equal the model's checkpointed accrual (exact, to the wei; the time since a token's last
 *     touch at the smaller of its assets then and now);
 *   - only the user or the claim manager changes a user's shares (attackers' attempts revert, nothing moves);
 * and at the end everyone withdraws everything without a revert, leaving only dust.
 * Block timestamps are pinned per step; the model reads the vault's token balances from the chain (rebases and
 * transfer fees decide them) and mirrors the contract's integer formulas.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi, ezETHAbi, localRestakeManagerAbi, rebasingTokenAbi } from '../../src/eth/abi-index.js';
import type { EthClients } from '../../src/eth/clients.js';
import { sendTx, withAllErrors } from '../../src/eth/tx.js';
import { deploy, startTestChain, type TestChain } from './helpers/chain.js';

const E18 = 10n ** 18n;
const MAX = 2n ** 256n - 1n;
const V = 10n ** 6n; // the vault's VIRTUAL_SHARES
const NOTICE = 3600n;
const N_USERS = 4;
const ZERO = '0x0000000000000000000000000000000000000000';

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
  totalShares: bigint;
  /** The contract's lastAssets: the assets at the end of the last touch. */
  lastAssets: bigint;
}
interface Pos {
  shares: bigint;
  pts: bigint;
  idx: bigint;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

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
  const vault = await deploy(owner, 'DepositVault', [owner.account.address, NOTICE, cm.account.address, cm.account.address]);
  const A = await deploy(owner, 'DevToken', ['A', 'A', 18]);
  const B = await deploy(owner, 'DevToken', ['B', 'B', 6]);
  const F = await deploy(owner, 'FeeOnTransferToken', [100n]);
  const R = await deploy(owner, 'RebasingToken');
  const H = await deploy(owner, 'HookToken');
  const ez = await deploy(owner, 'EzETH', [owner.account.address]);
  const mgr = await deploy(owner, 'LocalRestakeManager', [owner.account.address, ez]);
  await sendTx(owner, { address: ez, abi: ezETHAbi, functionName: 'setMinter', args: [mgr] });
  for (const t of [A, B]) await sendTx(owner, { address: mgr, abi: localRestakeManagerAbi, functionName: 'setCollateral', args: [t, E18] });
  const spec: Array<[string, Address, number, bigint]> = [
    ['A', A, 18, E18],
    ['B', B, 6, (5n * E18) / 2n],
    ['F', F, 18, E18 / 2n],
    ['R', R, 18, E18],
    ['H', H, 18, 3n * E18],
    ['ezETH', ez, 18, 2n * E18],
  ];
  for (const [, addr, , w] of spec) await sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'addToken', args: [addr, w] });
  await sendTx(owner, { address: vault, abi: depositVaultAbi, functionName: 'setRestakeManager', args: [mgr, ez] });
  for (const u of users) {
    for (const [, addr, dec] of spec.slice(0, 5)) {
      await sendTx(owner, { address: addr, abi: devTokenAbi, functionName: 'mint', args: [u.account.address, 10n ** 6n * 10n ** BigInt(dec)] });
      await sendTx(u, { address: addr, abi: erc20Abi, functionName: 'approve', args: [vault, MAX] });
    }
  }

  const tokens: ModelToken[] = [];
  for (const [symbol, address, decimals, weight] of spec) {
    const info = await owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'tokenInfo', args: [address] });
    tokens.push({ symbol, address, decimals, weight, index: info.index, last: BigInt(info.lastUpdate), totalShares: 0n, lastAssets: 0n });
  }
  const tok = (a: Address) => tokens.find((t) => t.address === a)!;
  const pos = new Map<string, Pos>();
  const P = (u: Address, t: Address) => {
    const k = `${u}:${t}`;
    if (!pos.has(k)) pos.set(k, { shares: 0n, pts: 0n, idx: 0n });
    return pos.get(k)!;
  };
  const held = (t: Address) => owner.publicClient.readContract({ address: t, abi: erc20Abi, functionName: 'balanceOf', args: [vault] });
  const norm = (t: ModelToken, amount: bigint) => amount * 10n ** BigInt(18 - t.decimals);
  const assetsOf = async (t: ModelToken) => (t.totalShares === 0n ? 0n : await held(t.address));
  /** The time since the last touch is credited at min(lastAssets, assets now). */
  const delta = (t: ModelToken, assets: bigint, dt: bigint) => {
    const a = t.lastAssets < assets ? t.lastAssets : assets;
    return t.totalShares === 0n ? 0n : (t.weight * dt * norm(t, a + 1n)) / (t.totalShares + V);
  };
  /** The contract's _snapshot at the end of a touch (after its transfers). */
  const snapshot = async (...ks: ModelToken[]) => {
    for (const k of ks) k.lastAssets = await assetsOf(k);
  };
  /** The contract's _advance at time ts with the token's assets before the action. */
  const advance = (t: ModelToken, ts: bigint, assets: bigint) => {
    if (ts > t.last) (t.index += delta(t, assets, ts - t.last)), (t.last = ts);
  };
  /** The contract's _checkpoint: advance, then settle u's points. */
  const settle = (u: Address, t: ModelToken, ts: bigint, assets: bigint) => {
    advance(t, ts, assets);
    const p = P(u, t.address);
    if (p.shares !== 0n) p.pts += (p.shares * (t.index - p.idx)) / E18;
    p.idx = t.index;
  };
  const pending = (u: Address, t: ModelToken, ts: bigint, assets: bigint) => {
    const p = P(u, t.address);
    if (p.shares === 0n) return p.pts;
    const idx = t.index + (ts > t.last ? delta(t, assets, ts - t.last) : 0n);
    return p.pts + (p.shares * (idx - p.idx)) / E18;
  };
  const toAssets = (t: ModelToken, shares: bigint, assets: bigint) => (shares * (assets + 1n)) / (t.totalShares + V);

  let ts = (await owner.publicClient.getBlock()).timestamp + 1n;
  let stop = MAX;
  const tally = { ok: 0, reverted: 0 };

  /** Send at exactly `ts` with a fixed gas limit (no simulation); true when it succeeded. */
  async function sendAt(c: EthClients, address: Address, abi: typeof depositVaultAbi | typeof rebasingTokenAbi, functionName: string, args: readonly unknown[]): Promise<boolean> {
    await chain.test.setNextBlockTimestamp({ timestamp: ts });
    const hash: Hex = await c.walletClient.writeContract({ address, abi: withAllErrors(abi), functionName, args, gas: 1_500_000n } as never);
    const r = await c.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    r.status === 'success' ? tally.ok++ : tally.reverted++;
    return r.status === 'success';
  }
  const atVault = (c: EthClients, fn: string, args: readonly unknown[]) => sendAt(c, vault, depositVaultAbi, fn, args);
  const readShares = (u: Address, t: Address) => owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'sharesOf', args: [u, t] });

  /** Withdraw or claim `amount` (MAX = all) of u's `t`: the model's shares to burn, or null when it must revert. */
  const sharesFor = (t: ModelToken, p: Pos, amount: bigint, assets: bigint) => {
    const shares = amount === MAX ? p.shares : ceilDiv(amount * (t.totalShares + V), assets + 1n);
    if (shares > p.shares || (amount === MAX && toAssets(t, shares, assets) === 0n)) return null;
    return shares;
  };
  const debit = (t: ModelToken, p: Pos, shares: bigint) => ((p.shares -= shares), (t.totalShares -= shares));

  for (let step = 0; step < steps; step++) {
    ts += BigInt(rnd.int(1, 5000));
    if (step === Math.floor(steps * 0.5)) {
      stop = ts + NOTICE;
      assert.equal(await atVault(owner, 'setDepositStopTime', [ts]), false, 'a stop time without notice is refused');
      assert.ok(await atVault(owner, 'setDepositStopTime', [stop]), 'setDepositStopTime');
      continue;
    }
    const ui = rnd.int(0, N_USERS - 1);
    const u = users[ui]!;
    const ua = u.account.address;
    const t = rnd.pick(tokens);
    const p = P(ua, t.address);
    const before = await Promise.all(users.flatMap((x) => tokens.map((k) => readShares(x.account.address, k.address))));
    let actor: Address = ua;
    const r = rnd.next();
    const what = `seed ${seed} step ${step}`;
    if (r < 0.3) {
      // deposit (ezETH cannot be deposited here: users hold none outside the vault)
      if (t.symbol === 'ezETH') continue;
      const amount = BigInt(rnd.int(1, 1000)) * 10n ** BigInt(t.decimals - 2) + BigInt(rnd.int(0, 999));
      const okExpected = ts < stop;
      const held0 = await held(t.address);
      const ok = await atVault(u, 'deposit', [t.address, amount]);
      assert.equal(ok, okExpected, `${what}: deposit`);
      if (ok) {
        const assets = t.totalShares === 0n ? 0n : held0; // the contract's assets before the transfer
        settle(ua, t, ts, assets);
        const credited = (await held(t.address)) - held0;
        const shares = (credited * (t.totalShares + V)) / (assets + 1n);
        p.shares += shares;
        t.totalShares += shares;
        await snapshot(t);
      }
    } else if (r < 0.5) {
      // withdraw: part, all, or (sometimes) more than the balance
      const assets = await assetsOf(t);
      const bal = toAssets(t, p.shares, assets);
      const mode = rnd.next();
      const amount = mode < 0.15 ? bal + 1n : mode < 0.35 ? MAX : bal === 0n ? 0n : BigInt(Math.floor(rnd.next() * Number(bal))) + 1n;
      if (amount === 0n) continue;
      const expected = sharesFor(t, p, amount, assets);
      const ok = await atVault(u, 'withdraw', [t.address, amount]);
      assert.equal(ok, expected !== null, `${what}: withdraw ${amount} of ${bal}`);
      if (ok) {
        settle(ua, t, ts, assets);
        debit(t, p, expected!);
        await snapshot(t);
      }
    } else if (r < 0.6) {
      // restake A or B into ezETH (1:1 normalised)
      if (t.symbol !== 'A' && t.symbol !== 'B') continue;
      const assets = await assetsOf(t);
      const bal = toAssets(t, p.shares, assets);
      if (bal === 0n) continue;
      const amount = BigInt(Math.floor(rnd.next() * Number(bal))) + 1n;
      const e = tok(ez);
      const ezAssets = await assetsOf(e);
      const shares = sharesFor(t, p, amount, assets)!;
      assert.ok(await atVault(u, 'restake', [t.address, amount, norm(t, amount), ts + 60n, mgr, ez]), `${what}: restake`);
      settle(ua, t, ts, assets); // checkpoints with the pre-tx assets (read before the tx above)
      debit(t, p, shares);
      settle(ua, e, ts, ezAssets);
      const pe = P(ua, ez);
      const minted = (norm(t, amount) * (e.totalShares + V)) / (ezAssets + 1n);
      pe.shares += minted;
      e.totalShares += minted;
      await snapshot(t, e);
    } else if (r < 0.66) {
      // owner changes a weight
      const w = BigInt(rnd.int(1, 50)) * (E18 / 10n);
      actor = owner.account.address;
      const assets = await assetsOf(t);
      assert.ok(await atVault(owner, 'setWeight', [t.address, w]), `${what}: setWeight`);
      advance(t, ts, assets);
      t.weight = w;
      await snapshot(t);
    } else if (r < 0.74) {
      // the rebasing token rebases (±0.1…5 %): every share is worth more or less, nobody's shares move
      actor = owner.account.address;
      const bps = BigInt(rnd.int(10, 500)) * (rnd.next() < 0.3 ? -1n : 1n);
      assert.ok(await sendAt(owner, R, rebasingTokenAbi, 'rebase', [bps]), `${what}: rebase`);
    } else if (r < 0.86) {
      // an attacker (another user) tries to move u's funds: claim on u's behalf, or withdraw beyond their own balance
      const v = users[(ui + rnd.int(1, N_USERS - 1)) % N_USERS]!;
      actor = v.account.address;
      assert.equal(await atVault(v, 'claim', [ua, t.address, MAX]), false, `${what}: attacker claim`);
      const assets = await assetsOf(t);
      const vb = toAssets(t, P(v.account.address, t.address).shares, assets);
      assert.equal(await atVault(v, 'withdraw', [t.address, vb + toAssets(t, p.shares, assets) + 1n]), false, `${what}: attacker withdraw`);
    } else {
      // the claim manager moves part or all of u's balance to the fixed receiver (only after deposits stop)
      if (p.shares === 0n) continue;
      actor = cm.account.address;
      const assets = await assetsOf(t);
      const bal = toAssets(t, p.shares, assets);
      const amount = rnd.next() < 0.3 || bal === 0n ? MAX : BigInt(Math.floor(rnd.next() * Number(bal))) + 1n;
      const expected = sharesFor(t, p, amount, assets);
      const okExpected = ts >= stop && expected !== null;
      assert.equal(await atVault(cm, 'claim', [ua, t.address, amount]), okExpected, `${what}: claim`);
      if (okExpected) {
        settle(ua, t, ts, assets);
        debit(t, p, expected!);
        await snapshot(t);
      }
    }

    // ── invariants at this block (timestamp ts) ──
    const after = await Promise.all(users.flatMap((x) => tokens.map((k) => readShares(x.account.address, k.address))));
    users.forEach((x, i) =>
      tokens.forEach((k, j) => {
        const idx = i * tokens.length + j;
        assert.equal(after[idx], P(x.account.address, k.address).shares, `${what}: shares of user ${i} in ${k.symbol}`);
        if (x.account.address !== actor && actor !== cm.account.address) {
          assert.equal(after[idx], before[idx], `${what}: ${actor} moved user ${i}'s ${k.symbol}`);
        }
      }),
    );
    for (const k of tokens) {
      const info = await owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'tokenInfo', args: [k.address] });
      assert.equal(info.totalShares, k.totalShares, `${what}: totalShares ${k.symbol}`);
      const h = await held(k.address);
      const sum = users.reduce((s, x) => s + toAssets(k, P(x.account.address, k.address).shares, k.totalShares === 0n ? 0n : h), 0n);
      assert.ok(sum <= h, `${what}: Σ balances ${sum} exceed what the vault holds ${h} of ${k.symbol}`);
      assert.ok(k.totalShares === 0n || h - sum <= 10n, `${what}: ${h - sum} of ${k.symbol} stranded`);
    }
    const assetsNow = await Promise.all(tokens.map((k) => assetsOf(k)));
    for (const x of users) {
      const xa = x.account.address;
      const pts = await owner.publicClient.readContract({ address: vault, abi: depositVaultAbi, functionName: 'pointsOf', args: [xa] });
      const expected = tokens.reduce((s, k, j) => s + pending(xa, k, ts, assetsNow[j]!), 0n);
      assert.equal(pts, expected, `${what}: points of ${xa}`);
    }
  }

  // everyone leaves: no withdrawal reverts, only dust stays
  for (const x of users) {
    for (const k of tokens) {
      if (P(x.account.address, k.address).shares === 0n) continue;
      ts += 1n;
      assert.ok(await atVault(x, 'withdraw', [k.address, MAX]), `seed ${seed}: final withdraw of ${k.symbol}`);
    }
  }
  for (const k of tokens) assert.ok((await held(k.address)) <= 10n, `seed ${seed}: ${k.symbol} left in the vault after everyone withdrew`);
  return tally;
}

for (const seed of [1, 2024]) {
  test(`random action sequence (seed ${seed}) keeps the vault invariants`, async () => {
    const tally = await runSequence(seed, 90);
    assert.ok(tally.ok > 30, `too few successful actions: ${JSON.stringify(tally)}`);
    assert.ok(tally.reverted > 5, `too few refused actions: ${JSON.stringify(tally)}`);
  });
}
