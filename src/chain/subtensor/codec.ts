/**
 * Pure conversions between subtensor's SCALE types (as decoded by polkadot-js) and zkinfer's chain
 * types: axon IPs (u128 + ip_type), `NeuronInfoLite` rows → `Metagraph`, `SubnetHyperparamsV2` →
 * `Hyperparameters`, and commitment `Data` fields ↔ text.
 */
import { isIP } from 'node:net';
import type { AxonInfo, Hyperparameters, Metagraph, SubnetPool } from '../types.js';
import { u16ToProportion } from '../yuma/math.js';
import { InvalidAxonError } from '../errors.js';

/** IP text → (u128 as bigint, 4 | 6) as serve_axon takes it. */
export function ipToU128(ip: string): { ip: bigint; ipType: 4 | 6 } {
  const kind = isIP(ip);
  if (kind === 4) {
    return { ip: ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n), ipType: 4 };
  }
  if (kind === 6) {
    const [head = '', tail = ''] = ip.split('::') as [string, string?];
    const h = head ? head.split(':') : [];
    const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
    if (t.length && t[t.length - 1]!.includes('.') || h.length && h[h.length - 1]!.includes('.')) {
      throw new InvalidAxonError(`IPv4-mapped IPv6 "${ip}" is not supported; serve the IPv4 address`);
    }
    const groups = ip.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    return { ip: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), ipType: 6 };
  }
  throw new InvalidAxonError(`"${ip}" is not an IPv4 or IPv6 address`);
}

/** (u128, ip_type) → IP text ("0.0.0.0" for 0 / unknown type). */
export function ipFromU128(ip: bigint, ipType: number): string {
  if (ipType === 6) {
    const groups: string[] = [];
    for (let i = 7; i >= 0; i--) groups.push(((ip >> BigInt(i * 16)) & 0xffffn).toString(16));
    return new URL(`http://[${groups.join(':')}]/`).hostname.replace(/^\[|\]$/g, '');
  }
  if (ipType !== 4 || ip === 0n) return '0.0.0.0';
  return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join('.');
}

/** One `NeuronInfoLite` with plain JS values. */
export interface NeuronLite {
  hotkey: string;
  coldkey: string;
  uid: number;
  netuid: number;
  active: boolean;
  axon: { block: bigint; version: number; ip: bigint; port: number; ipType: number; protocol: number };
  /** (coldkey, amount) stakes on this hotkey in this subnet (alpha on dynamic-TAO runtimes), rao. */
  stake: Array<[string, bigint]>;
  emission: bigint;
  incentive: number;
  consensus: number;
  trust: number;
  validatorTrust: number;
  dividends: number;
  lastUpdate: bigint;
  validatorPermit: boolean;
}

/** Minimal view of a polkadot-js codec value we read fields from. */
interface CodecLike {
  toString(): string;
  toJSON(): unknown;
}
type Num = CodecLike & { toBigInt(): bigint; toNumber(): number };
type Bool = CodecLike & { isTrue: boolean };

/** Read a decoded `PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite` into plain values. */
export function neuronLiteFromCodec(c: unknown): NeuronLite {
  const n = c as Record<string, unknown>;
  const num = (k: string) => (n[k] as Num);
  const ax = n['axonInfo'] as Record<string, Num>;
  const stake = n['stake'] as unknown as Array<[CodecLike, Num]>;
  return {
    hotkey: (n['hotkey'] as CodecLike).toString(),
    coldkey: (n['coldkey'] as CodecLike).toString(),
    uid: num('uid').toNumber(),
    netuid: num('netuid').toNumber(),
    active: (n['active'] as Bool).isTrue,
    axon: {
      block: ax['block']!.toBigInt(), version: ax['version']!.toNumber(), ip: ax['ip']!.toBigInt(), port: ax['port']!.toNumber(),
      ipType: ax['ipType']!.toNumber(), protocol: ax['protocol']!.toNumber(),
    },
    stake: stake.map(([ck, amt]) => [ck.toString(), amt.toBigInt()]),
    emission: num('emission').toBigInt(),
    incentive: num('incentive').toNumber(),
    consensus: num('consensus').toNumber(),
    trust: num('trust').toNumber(),
    validatorTrust: num('validatorTrust').toNumber(),
    dividends: num('dividends').toNumber(),
    lastUpdate: num('lastUpdate').toBigInt(),
    validatorPermit: (n['validatorPermit'] as Bool).isTrue,
  };
}

/** Neurons (any order) + block → `Metagraph` arrays indexed by uid. */
export function metagraphFromNeurons(netuid: number, block: number, neurons: NeuronLite[], blockAtRegistration: Map<number, number> = new Map()): Metagraph {
  const ns = [...neurons].sort((a, b) => a.uid - b.uid);
  const axons: AxonInfo[] = ns.map((n) => ({
    hotkey: n.hotkey, coldkey: n.coldkey, ip: ipFromU128(n.axon.ip, n.axon.ipType),
    ipType: (n.axon.ipType === 4 || n.axon.ipType === 6 ? n.axon.ipType : 0) as 0 | 4 | 6,
    port: n.axon.port, version: n.axon.version, protocol: n.axon.protocol, block: Number(n.axon.block),
  }));
  return {
    netuid,
    block,
    n: ns.length,
    uids: ns.map((n) => n.uid),
    hotkeys: ns.map((n) => n.hotkey),
    coldkeys: ns.map((n) => n.coldkey),
    stake: ns.map((n) => n.stake.reduce((a, [, s]) => a + s, 0n)),
    alphaStake: ns.map((n) => n.stake.reduce((a, [, s]) => a + s, 0n)),
    taoStake: ns.map(() => 0n),
    validatorPermit: ns.map((n) => n.validatorPermit),
    validatorTrust: ns.map((n) => u16ToProportion(n.validatorTrust)),
    trust: ns.map((n) => u16ToProportion(n.trust)),
    consensus: ns.map((n) => u16ToProportion(n.consensus)),
    incentive: ns.map((n) => u16ToProportion(n.incentive)),
    dividends: ns.map((n) => u16ToProportion(n.dividends)),
    emission: ns.map((n) => n.emission),
    active: ns.map((n) => n.active),
    lastUpdate: ns.map((n) => Number(n.lastUpdate)),
    blockAtRegistration: ns.map((n) => blockAtRegistration.get(n.uid) ?? 0),
    axons,
  };
}

/**
 * Dynamic-TAO stake as the runtime reports it: `SubnetInfoRuntimeApi.get_metagraph(netuid)`'s
 * `alphaStake`, `taoStake`, `totalStake` (`Vec<Compact<u64>>` by uid, `toJSON()` form) replace the
 * neurons-lite stake sums. A value whose vectors do not cover every uid is ignored (stake stays alpha).
 */
export function withRuntimeStake(m: Metagraph, runtime: Record<string, unknown> | undefined): Metagraph {
  const vec = (k: string): bigint[] | undefined => {
    const v = runtime?.[k];
    return Array.isArray(v) && v.length === m.n ? v.map((x) => BigInt(x as string | number)) : undefined;
  };
  const [alpha, tao, total] = [vec('alphaStake'), vec('taoStake'), vec('totalStake')];
  if (!alpha || !tao || !total) return m;
  return { ...m, stake: total, alphaStake: alpha, taoStake: tao };
}

/** An I32F32 (`substrate_fixed::FixedI64<U32>`, `toJSON()` = `{bits}`) as a number (exact for subtensor's i16 steepness). */
export function i32f32ToNumber(v: unknown): number {
  const bits = (v as { bits?: unknown } | undefined)?.bits;
  if (typeof bits === 'number') return bits / 2 ** 32;
  if (typeof bits === 'string' || typeof bits === 'bigint') return Number(BigInt.asIntN(64, BigInt(bits))) / 2 ** 32;
  return 0;
}

/**
 * A pool as the runtime reports it: `SubnetInfoRuntimeApi.get_dynamic_info(netuid)` (`toJSON()`, camelCase:
 * taoIn, alphaIn, alphaOut, the last block's *Emission fields, movingPrice an I96F32 `{bits}`), the price
 * from `SwapRuntimeApi.current_alpha_price` (rao of τ per α) and the swap pallet's `FeeRate`.
 */
export function subnetPoolFromRuntime(netuid: number, info: Record<string, unknown>, priceRao: bigint, feeRate: number): SubnetPool {
  const u = (k: string) => BigInt((info[k] as string | number | undefined) ?? 0);
  const bits = (info['movingPrice'] as { bits?: string | number } | undefined)?.bits ?? 0;
  return {
    netuid, taoIn: u('taoIn'), alphaIn: u('alphaIn'), alphaOut: u('alphaOut'), priceRao,
    movingPrice: Number(BigInt(bits)) / 2 ** 32, feeRate,
    taoInEmission: u('taoInEmission'), alphaInEmission: u('alphaInEmission'), alphaOutEmission: u('alphaOutEmission'),
  };
}

/**
 * `SubnetHyperparamsV2` (as `toJSON()` gives it, camelCase) + storage extras → `Hyperparameters`. `activity_cutoff` is
 * the effective cutoff in blocks (Compact<u64> since subtensor's 2026 schedule, ⌊factor·tempo/1000⌋; Compact<u16> before);
 * the per-mille factor is the `ActivityCutoffFactorMilli` storage value where the runtime has it. Liquid alpha
 * comes from the runtime API (liquid_alpha_enabled, alpha_low/high, alpha_sigmoid_steepness as I32F32);
 * `bondsPenalty` is not in SubnetHyperparamsV2, so it is the `BondsPenalty` storage value (docs/chain.md "Yuma consensus").
 */
export function hyperparametersFromRuntime(
  h: Record<string, unknown>, extra: { maxAllowedUids: number; burn: bigint; bondsPenalty: number; activityCutoffFactor?: number },
): Hyperparameters {
  const n = (k: string) => Number(h[k] ?? 0);
  const big = (k: string) => BigInt((h[k] as string | number | undefined) ?? 0);
  const bool = (k: string) => h[k] === true;
  return {
    ...(extra.activityCutoffFactor === undefined ? {} : { activityCutoffFactor: extra.activityCutoffFactor }),
    // the SDK's SubnetHyperparameters fields zkinfer does not act on (opentensor/bittensor bb526e6, subnet_hyperparameters.py)
    rho: n('rho'), minDifficulty: big('minDifficulty'), maxDifficulty: big('maxDifficulty'), adjustmentInterval: n('adjustmentInterval'),
    registrationAllowed: bool('registrationAllowed'), targetRegsPerInterval: n('targetRegsPerInterval'), minBurn: big('minBurn'),
    maxBurn: big('maxBurn'), adjustmentAlpha: big('adjustmentAlpha'), difficulty: big('difficulty'), subnetIsActive: bool('subnetIsActive'),
    transfersEnabled: bool('transfersEnabled'), bondsResetEnabled: bool('bondsResetEnabled'), userLiquidityEnabled: bool('userLiquidityEnabled'),
    tempo: n('tempo'),
    kappa: n('kappa'),
    bondsMovingAvg: n('bondsMovingAvg'),
    maxAllowedUids: extra.maxAllowedUids,
    maxAllowedValidators: n('maxValidators'),
    immunityPeriod: n('immunityPeriod'),
    weightsRateLimit: n('weightsRateLimit'),
    minAllowedWeights: n('minAllowedWeights'),
    maxWeightsLimit: n('maxWeightsLimit'),
    weightsVersion: n('weightsVersion'),
    activityCutoff: n('activityCutoff'),
    burn: extra.burn,
    maxRegistrationsPerBlock: n('maxRegsPerBlock'),
    servingRateLimit: n('servingRateLimit'),
    commitRevealWeightsEnabled: h['commitRevealWeightsEnabled'] === true,
    revealPeriodEpochs: Math.max(1, n('commitRevealPeriod')),
    yuma3Enabled: n('yumaVersion') === 3,
    liquidAlphaEnabled: h['liquidAlphaEnabled'] === true,
    alphaLow: n('alphaLow'),
    alphaHigh: n('alphaHigh'),
    alphaSigmoidSteepness: i32f32ToNumber(h['alphaSigmoidSteepness']),
    bondsPenalty: extra.bondsPenalty,
  };
}

/** Largest raw field of a commitment (pallet_commitments `Data::Raw128`). */
export const MAX_RAW_FIELD = 128;

/** UTF-8 text → commitment fields (`{RawN: bytes}` each ≤ 128 bytes), for set_commitment's CommitmentInfo. */
export function commitmentFields(data: string): Array<Record<string, Uint8Array>> {
  const bytes = Buffer.from(data, 'utf8');
  const out: Array<Record<string, Uint8Array>> = [];
  for (let i = 0; i < bytes.length; i += MAX_RAW_FIELD) {
    const chunk = bytes.subarray(i, i + MAX_RAW_FIELD);
    out.push({ [`Raw${chunk.length}`]: new Uint8Array(chunk) });
  }
  return out;
}

/** Decoded `Data` fields (`{type: 'Raw12', value}`) → UTF-8 text (non-raw fields are skipped). */
export function commitmentText(fields: Array<{ type: string; value: { toU8a(bare?: boolean): Uint8Array } }>): string {
  const parts: Buffer[] = [];
  for (const f of fields) {
    if (/^Raw\d+$/.test(f.type) || f.type === 'BigRaw') parts.push(Buffer.from(f.value.toU8a(true)));
  }
  return Buffer.concat(parts).toString('utf8');
}

/** `SubtensorModule.Weights(netuid, uid)` (a `Vec<(u16, u16)>`, empty by default) as [uid, u16 weight] pairs, zero weights dropped. */
export function weightsFromStorage(value: { toJSON(): unknown }): Array<[number, number]> {
  const pairs = (value.toJSON() ?? []) as Array<[number | string, number | string]>;
  return pairs.map(([u, w]) => [Number(u), Number(w)] as [number, number]).filter(([, w]) => w > 0);
}
