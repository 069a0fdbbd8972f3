/**
 * The devnet's dynamic-TAO coinbase, ported from subtensor 14bc6f9f (docs/chain.md "Per-block coinbase"):
 * coinbase/run_coinbase.rs (`get_subnet_terms`, `inject_and_maybe_swap`, `emit_to_subnets`, `distribute_emission`,
 * `calculate_dividend_distribution`), coinbase/subnet_emissions.rs (`get_shares_price_ema`),
 * coinbase/block_emission.rs (`get_block_emission_for_issuance`), coinbase/block_step.rs (`root_proportion`) and
 * staking/stake_utils.rs (`update_moving_price`). It acts on the subnets with an alpha pool (the chain's dynamic
 * subnets); the arithmetic is the pallet's U96F32/U64F64 on bigint bits (32 / 64 fraction bits), truncating as
 * substrate-fixed does.
 */
import type { SubnetRow, Store, PoolRow } from './store.js';
import { alphaPriceRao, buyAlpha } from './pool.js';
import { ROOT_NETUID, rootStake, taoWeightFx, totalRootStake } from './stake.js';
import type { SubnetPool } from '../types.js';

const F = 32n;
const ONE96 = 1n << F;
const ONE64 = 1n << 64n;
const mul96 = (a: bigint, b: bigint): bigint => (a * b) >> F;
const div96 = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : (a << F) / b);
const floor96 = (a: bigint): bigint => a >> F;

/** The runtime's `SubtensorInitialSubnetOwnerCut` (of 65535: 18 %). */
export const SUBNET_OWNER_CUT = 11_796n;
/** The runtime's `SubtensorInitialDefaultTake`: a validator's take of its dividends (of 65535: 18 %). */
export const DEFAULT_TAKE = 11_796n;
/** `DefaultMovingAlpha` I96F32::from_num(0.000003) as bits (0.000003 · 2^32 = 12884.9 → 12885). */
export const MOVING_ALPHA_BITS = 12_885n;
/** The runtime's `InitialEmaPriceHalvingPeriod` (blocks, 4 weeks). */
export const EMA_PRICE_HALVING_BLOCKS = 201_600n;
/** `DefaultBlockEmission` (1 τ or α per block before halvings) and `TotalSupply` (21 M). */
export const DEFAULT_BLOCK_EMISSION = 1_000_000_000n;
export const TOTAL_SUPPLY = 21_000_000n * 1_000_000_000n;
/** The swap pallet's `MinimumReserve`: a swap needs this much left in the reserve it pays out of. */
export const MINIMUM_RESERVE = 1_000_000n;

/**
 * `get_block_emission_for_issuance`: 1 τ/α halved ⌊log2(1 / (1 − issuance / 21 M))⌋ times (the halving
 * schedule); 0 once the issuance reaches the total supply. Exact in integers: the largest n with 2^n·(S − I) ≤ S.
 */
export function blockEmissionForIssuance(issuance: bigint): bigint {
  if (issuance >= TOTAL_SUPPLY) return 0n;
  let n = 0n;
  while ((1n << (n + 1n)) * (TOTAL_SUPPLY - issuance) <= TOTAL_SUPPLY) n += 1n;
  return DEFAULT_BLOCK_EMISSION >> n;
}

/** `current_alpha_price` as U64F64 bits (τ per α; the balancer's price at weights ½/½ is τ/α). */
function price64(p: PoolRow): bigint {
  return p.alpha === 0n ? 0n : (p.tao << 64n) / p.alpha;
}

/** `root_proportion`: tao_weight·root τ / (tao_weight·root τ + α issuance), U96F32. */
function rootProportion(p: PoolRow, rootTao96: bigint, tw96: bigint): bigint {
  const weighted = mul96(rootTao96, tw96);
  return div96(weighted, weighted + ((p.alpha + p.alphaOut) << F));
}

/** The subnets the coinbase emits to and their pools (every subnet with an alpha pool). */
function dynamicPools(store: Store): Array<[number, PoolRow]> {
  return store.poolNetuids().map((n) => [n, store.pool(n)!]);
}

/**
 * One block's `emit_to_subnets` on the devnet's dynamic subnets: the τ block emission split by the subnets'
 * moving prices (`get_shares_price_ema`), each share injected into its pool at the current price up to the
 * root-proportion cap (the rest buys α for the protocol, fee-less), and the subnet's α emission split into the
 * owner cut and the server / validator / root pots paid out at its next epoch.
 */
export function runCoinbase(store: Store, taoEmission: bigint): void {
  const pools = dynamicPools(store);
  if (pools.length === 0) return;
  const totalMoving = pools.reduce((a, [, p]) => a + (p.movingPrice << F), 0n);
  const rootTao96 = totalRootStake(store) << F;
  const tw96 = taoWeightFx(store);
  const rootSell = totalMoving > ONE64; // get_network_root_sell_flag: Σ moving prices > 1
  const cut = div96(SUBNET_OWNER_CUT << F, 65_535n << F);
  for (const [netuid, p0] of pools) {
    let p = p0;
    // get_subnet_terms
    const share = totalMoving === 0n ? 0n : ((p.movingPrice << F) << 64n) / totalMoving;
    const emission96 = ((taoEmission << 64n) * share >> 64n) >> F;
    const alphaEmission96 = blockEmissionForIssuance(p.alpha + p.alphaOut) << F;
    const price96 = price64(p) >> F;
    let taoIn96 = emission96;
    let alphaIn96 = div96(emission96, price96);
    const capAlpha = mul96(rootProportion(p, rootTao96, tw96), alphaEmission96);
    if (alphaIn96 > capAlpha) {
      alphaIn96 = capAlpha;
      taoIn96 = mul96(alphaIn96, price96);
    }
    const excess = floor96(emission96 - taoIn96);
    const taoIn = floor96(taoIn96);
    const alphaIn = floor96(alphaIn96);
    // inject_and_maybe_swap: chain buy with the excess τ (fee-less, no limit), then the injections
    if (excess > 0n && p.alpha >= MINIMUM_RESERVE) {
      const b = buyAlpha(p, excess);
      p = { ...p, ...b.pool, protocolAlpha: p.protocolAlpha + b.alphaOut, alphaOut: p.alphaOut + b.alphaOut };
    }
    p = { ...p, alpha: p.alpha + alphaIn, tao: p.tao + taoIn, alphaInEmission: alphaIn, taoInEmission: taoIn };
    // emit_to_subnets step 3: α out, owner cut, server / validator / root pots
    const alphaCreated = floor96(alphaEmission96);
    p = { ...p, alphaOut: p.alphaOut + alphaCreated, alphaOutEmission: alphaCreated };
    const ownerCut = mul96(alphaEmission96, cut);
    const alphaOut96 = alphaEmission96 - ownerCut;
    const rootAlpha = mul96(mul96(rootProportion(p, rootTao96, tw96), alphaOut96), ONE96 / 2n);
    const server = mul96(alphaOut96, ONE96 / 2n);
    const validator = alphaOut96 - server - rootAlpha;
    p = {
      ...p,
      pendingOwner: p.pendingOwner + floor96(ownerCut),
      pendingServer: p.pendingServer + floor96(server),
      pendingValidator: p.pendingValidator + floor96(validator),
      ...(rootSell ? { pendingRoot: p.pendingRoot + floor96(rootAlpha) } : { alphaOut: p.alphaOut - floor96(rootAlpha) }),
    };
    store.setPool(netuid, p);
  }
}

/** `update_moving_prices` after the coinbase: EMA of min(price, 1) with α = 0.000003 · b/(b + halving). */
export function updateMovingPrices(store: Store, block: number): void {
  for (const [netuid, p] of dynamicPools(store)) {
    const b = BigInt(Math.max(0, block - p.startBlock));
    const ratio = (b << 64n) / (b + EMA_PRICE_HALVING_BLOCKS);
    const alpha = ((MOVING_ALPHA_BITS << F) * ratio) >> 64n;
    const price = price64(p) < ONE64 ? price64(p) : ONE64;
    const next = ((alpha * price) >> 64n) + (((ONE64 - alpha) * (p.movingPrice << F)) >> 64n);
    store.setPool(netuid, { ...p, movingPrice: next >> F });
  }
}

/** The epoch's α: the pending server + validator + root pots (the owner cut is paid beside Yuma). */
export function pendingEpochAlpha(p: PoolRow): bigint {
  return p.pendingServer + p.pendingValidator + p.pendingRoot;
}

/** Credit α of `netuid` to (hotkey, coldkey). */
function credit(store: Store, netuid: number, hotkey: string, coldkey: string, amount: bigint): void {
  if (amount > 0n) store.setAlpha(netuid, hotkey, coldkey, store.alphaOf(netuid, hotkey, coldkey) + amount);
}

/** Split `amount` over `rows` pro rata (floors; the rounding dust goes to the first row). */
function proRata<T extends { amount: bigint }>(rows: T[], amount: bigint): Array<[T, bigint]> {
  const total = rows.reduce((a, r) => a + r.amount, 0n);
  if (total === 0n) return [];
  const parts = rows.map((r) => [r, (amount * r.amount) / total] as [T, bigint]);
  parts[0]![1] += amount - parts.reduce((a, [, x]) => a + x, 0n);
  return parts;
}

/**
 * `distribute_emission` after a dynamic subnet's Yuma run: the owner cut to the owner (its coldkey standing in
 * for SubnetOwnerHotkey), incentives to each miner's coldkey (burned on the owner's own hotkeys), and the pending
 * validator α and root α split by each validator's dividends in the proportion of its α to its tao-weighted root
 * stake (`calculate_dividend_distribution`); a validator keeps its 18 % take and its stakers share the rest pro
 * rata — α stakers as α, root stakers as α of this subnet (root dividends claimed as α, the "Keep" claim type).
 * Resets the pots.
 */
export function distributeEmission(
  store: Store, s: SubnetRow, hotkeys: Array<{ hotkey: string; coldkey: string }>, incentive: bigint[], dividend: bigint[],
): void {
  const netuid = s.netuid;
  let p = store.pool(netuid)!;
  const tw96 = taoWeightFx(store);
  credit(store, netuid, s.owner, s.owner, p.pendingOwner);
  const incentiveSum = incentive.reduce((a, x) => a + x, 0n);
  const validatorAlpha = incentiveSum > 0n ? p.pendingValidator : p.pendingValidator + p.pendingServer;
  let burned = 0n;
  hotkeys.forEach((k, i) => {
    if (k.coldkey === s.owner) burned += incentive[i]!;
    else credit(store, netuid, k.hotkey, k.coldkey, incentive[i]!);
  });
  // calculate_dividend_distribution (U96F32)
  const alphaDivs: bigint[] = [];
  const rootDivs: bigint[] = [];
  hotkeys.forEach((k, i) => {
    const d = dividend[i]! << F;
    const a = store.subnetStake(netuid, k.hotkey) << F;
    const r = mul96(rootStake(store, k.hotkey) << F, tw96);
    const rd = mul96(d, div96(r, a + r));
    rootDivs.push(rd);
    alphaDivs.push(d - rd);
  });
  const totalAlphaDivs = alphaDivs.reduce((a, x) => a + x, 0n);
  const totalRootDivs = rootDivs.reduce((a, x) => a + x, 0n);
  hotkeys.forEach((k, i) => {
    const alphaShare = floor96(mul96(validatorAlpha << F, div96(alphaDivs[i]!, totalAlphaDivs)));
    const rootShare = floor96(mul96(p.pendingRoot << F, div96(rootDivs[i]!, totalRootDivs)));
    payDividend(store, netuid, k, alphaShare, store.alphaStakes(netuid, k.hotkey));
    payDividend(store, netuid, k, rootShare, store.alphaStakes(ROOT_NETUID, k.hotkey));
  });
  p = store.pool(netuid)!;
  store.setPool(netuid, { ...p, alphaOut: p.alphaOut - burned, pendingOwner: 0n, pendingServer: 0n, pendingValidator: 0n, pendingRoot: 0n });
}

/** A validator's take (to its owner), the rest to `stakers` pro rata (all to the owner when it has none). */
function payDividend(store: Store, netuid: number, k: { hotkey: string; coldkey: string }, amount: bigint, stakers: Array<{ coldkey: string; amount: bigint }>): void {
  if (amount <= 0n) return;
  const take = floor96(mul96(amount << F, div96(DEFAULT_TAKE << F, 65_535n << F)));
  credit(store, netuid, k.hotkey, k.coldkey, take);
  const shares = proRata(stakers, amount - take);
  if (shares.length === 0) credit(store, netuid, k.hotkey, k.coldkey, amount - take);
  for (const [r, x] of shares) credit(store, netuid, k.hotkey, r.coldkey, x);
}

/** The subnet's pool as the CLI shows it (subtensor's DynamicInfo fields); netuid 0: the root network. */
export function readPool(store: Store, netuid: number): SubnetPool | undefined {
  if (netuid === ROOT_NETUID) {
    const tao = totalRootStake(store);
    return { netuid, taoIn: tao, alphaIn: 0n, alphaOut: tao, priceRao: 1_000_000_000n, movingPrice: 1, feeRate: 0, taoInEmission: 0n, alphaInEmission: 0n, alphaOutEmission: 0n };
  }
  const p = store.pool(netuid);
  if (!p) return undefined;
  return {
    netuid, taoIn: p.tao, alphaIn: p.alpha, alphaOut: p.alphaOut, priceRao: alphaPriceRao(p), movingPrice: Number(p.movingPrice) / 2 ** 32,
    feeRate: p.feeRate, taoInEmission: p.taoInEmission, alphaInEmission: p.alphaInEmission, alphaOutEmission: p.alphaOutEmission,
  };
}
