/**
 * `Chain` on a real subtensor node (finney, test, or a local subtensor) through @polkadot/api 16.
 *
 *   const chain = await SubtensorChain.connect({ network: 'test', stakeNetuid: 1 });
 *   const mg = await chain.metagraph(1);           // NeuronInfoRuntimeApi.get_neurons_lite + BlockAtRegistration
 *   await chain.setWeights(hotkeyPair, { netuid: 1, uids, weights, versionKey });
 *
 * Writes are signed and sent with `signAndSend`, resolved once the extrinsic is in a block; a dispatch
 * error is thrown as the matching typed error (e.g. `SettingWeightsTooFast` → `WeightsRateLimitError`)
 * or `ExtrinsicFailedError`. Commit-reveal v3 weights go through `commitTimelockedWeights` (drand quicknet).
 * Unsupported here: faucet.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import {
  CHAIN_ERRORS, ChainConnectionError, CommitmentTooLargeError, CommitRevealEnabledError, ExtrinsicFailedError,
  SubnetNotFoundError,
} from '../errors.js';
import type {
  CallReceipt, Chain, Commitment, Hyperparameters, Metagraph, RegistrationReceipt, ServeAxonParams,
  SetWeightsParams, Signer, StakeLimit, SubnetPool, TimelockedCommitParams, TimelockInfo, TriggerEpochReceipt, Unsubscribe,
} from '../types.js';
import { QUICKNET } from '../timelock/beacon.js';
import { SUBTENSOR_BLOCK_TIME_MS, SUBTENSOR_NETWORKS, SUBTENSOR_SIGNED_EXTENSIONS } from './config.js';
import {
  addStakeCall, addStakeLimitCall, burnedRegisterCall, commitTimelockedWeightsCall, removeStakeCall, removeStakeLimitCall, swapStakeCall,
  swapStakeLimitCall, serveAxonCall, setActivityCutoffFactorCall, setCommitmentCall, setTempoCall, setWeightsCall, triggerEpochCall,
  type TxSections,
} from './calls.js';
import {
  commitmentText, hyperparametersFromRuntime, subnetPoolFromRuntime, MAX_RAW_FIELD, metagraphFromNeurons, neuronLiteFromCodec, weightsFromStorage,
  withRuntimeStake,
} from './codec.js';

export interface SubtensorOptions {
  /** 'finney' | 'test' | 'local', or a ws(s):// URL. */
  network?: string;
  /** Subnet that `addStake` / `removeStake` act on (dynamic TAO stakes per subnet). */
  stakeNetuid?: number;
  /** Give up connecting after this many ms (default 30 000). */
  timeoutMs?: number;
}

/** Map of subtensor dispatch error name → our class (the devnet's classes carry subtensor's names as `code`). */
const BY_SUBTENSOR_NAME = new Map(Object.values(CHAIN_ERRORS).map((C) => [new C('').code, C] as const));

/** A dispatch error name (e.g. "SettingWeightsTooFast") → the typed error to throw. */
export function errorForDispatch(section: string, name: string, docs: string): Error {
  const C = BY_SUBTENSOR_NAME.get(name);
  const msg = `${section}.${name}${docs ? `: ${docs}` : ''}`;
  return C ? new C(msg, { details: { section, name } }) : new ExtrinsicFailedError(msg, { details: { section, name } });
}

export class SubtensorChain implements Chain {
  private constructor(readonly api: ApiPromise, private readonly stakeNetuid: number | undefined) {}

  /** Connect (waits until the API is ready). */
  static async connect(opts: SubtensorOptions = {}): Promise<SubtensorChain> {
    const url = SUBTENSOR_NETWORKS[opts.network ?? 'finney'] ?? opts.network!;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    // Reconnects after a drop once running, but the first connection must fail at once, not retry forever.
    const provider = new WsProvider(url, 2_500, {}, timeoutMs);
    const timedOut = new Error(`no answer within ${timeoutMs / 1000} s`);
    let timer: NodeJS.Timeout | undefined;
    let offError: (() => void) | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut), timeoutMs);
      });
      const firstError = new Promise<never>((_, reject) => {
        offError = provider.on('error', (e: unknown) => reject(e instanceof Error ? e : new Error(String((e as { message?: string })?.message ?? 'connection error'))));
      });
      await Promise.race([provider.isReady, firstError, timeout]);
      offError?.();
      const api = await Promise.race([
        ApiPromise.create({ provider, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS, noInitWarn: true, throwOnConnect: true }),
        timeout,
      ]);
      return new SubtensorChain(api, opts.stakeNetuid);
    } catch (err) {
      await provider.disconnect().catch(() => undefined);
      throw new ChainConnectionError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
        ...(err === timedOut ? { details: { timedOutAfterMs: timeoutMs } } : {}),
      });
    } finally {
      if (timer) clearTimeout(timer);
      offError?.();
    }
  }

  /**
   * On an already-made provider (any @polkadot/api `ProviderInterface`: the contract test's replay
   * transport, docs/chain.md "Contract suite"). Connection errors are the caller's.
   */
  static async fromProvider(provider: ProviderInterface, opts: Pick<SubtensorOptions, 'stakeNetuid'> = {}): Promise<SubtensorChain> {
    const api = await ApiPromise.create({ provider, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS, noInitWarn: true, throwOnConnect: true });
    return new SubtensorChain(api, opts.stakeNetuid);
  }

  private get tx(): TxSections<SubmittableExtrinsic<'promise'>> {
    return this.api.tx as unknown as TxSections<SubmittableExtrinsic<'promise'>>;
  }

  async currentBlock(): Promise<number> {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  onBlock(cb: (block: number) => void): Unsubscribe {
    let unsub: (() => void) | undefined;
    let cancelled = false;
    void this.api.rpc.chain.subscribeNewHeads((h) => cb(h.number.toNumber())).then((u) => {
      if (cancelled) u(); else unsub = u;
    });
    return () => { cancelled = true; unsub?.(); };
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    const [block, neurons, regs, dtao] = await Promise.all([
      this.currentBlock(),
      this.api.call['neuronInfoRuntimeApi']!['getNeuronsLite']!(netuid) as Promise<unknown>,
      this.api.query['subtensorModule']!['blockAtRegistration']!.entries(netuid),
      this.api.call['subnetInfoRuntimeApi']!['getMetagraph']!(netuid) as Promise<{ isSome: boolean; unwrap(): { toJSON(): unknown } }>,
    ]);
    const list = (neurons as unknown as unknown[]).map(neuronLiteFromCodec);
    const at = new Map(regs.map(([k, v]) => [Number((k.args[1] as unknown as { toNumber(): number }).toNumber()), Number(v.toString())]));
    // dynamic TAO: alpha, root TAO and total stake as the runtime reports them (docs/chain.md "Dynamic TAO")
    return withRuntimeStake(metagraphFromNeurons(netuid, block, list, at), dtao.isSome ? dtao.unwrap().toJSON() as Record<string, unknown> : undefined);
  }

  /** DynamicInfo's reserves and injections, the swap's current price and fee (docs/chain.md "Swap fees and limit prices"). */
  async subnetPool(netuid: number): Promise<SubnetPool> {
    const [info, price, fee] = await Promise.all([
      this.api.call['subnetInfoRuntimeApi']!['getDynamicInfo']!(netuid) as Promise<{ isNone: boolean; unwrap(): { toJSON(): unknown } }>,
      this.api.call['swapRuntimeApi']!['currentAlphaPrice']!(netuid) as Promise<{ toString(): string }>,
      this.api.query['swap']!['feeRate']!(netuid) as Promise<{ toString(): string }>,
    ]);
    if (info.isNone) throw new SubnetNotFoundError(`subnet ${netuid} does not exist on this chain`, { details: { netuid } });
    return subnetPoolFromRuntime(netuid, info.unwrap().toJSON() as Record<string, unknown>, BigInt(price.toString()), Number(fee.toString()));
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    // ActivityCutoffFactorMilli exists from subtensor's 2026 schedule on (docs/chain.md "Epoch schedule"); older runtimes lack it
    const factorQuery = this.api.query['subtensorModule']!['activityCutoffFactorMilli'];
    const [opt, maxUids, burn, bondsPenalty, factor] = await Promise.all([
      this.api.call['subnetInfoRuntimeApi']!['getSubnetHyperparamsV2']!(netuid) as Promise<{ isNone: boolean; unwrap(): { toJSON(): unknown } }>,
      this.api.query['subtensorModule']!['maxAllowedUids']!(netuid),
      this.api.query['subtensorModule']!['burn']!(netuid),
      this.api.query['subtensorModule']!['bondsPenalty']!(netuid),
      factorQuery ? factorQuery(netuid) : Promise.resolve(undefined),
    ]);
    if (opt.isNone) throw new SubnetNotFoundError(`subnet ${netuid} does not exist on this chain`);
    return hyperparametersFromRuntime(opt.unwrap().toJSON() as Record<string, unknown>, {
      maxAllowedUids: Number(maxUids.toString()), burn: BigInt(burn.toString()), bondsPenalty: Number(bondsPenalty.toString()),
      ...(factor === undefined ? {} : { activityCutoffFactor: Number(factor.toString()) }),
    });
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | undefined> {
    const r = (await this.api.query['subtensorModule']!['uids']!(netuid, hotkey)) as unknown as { isSome: boolean; unwrap(): { toNumber(): number } };
    return r.isSome ? r.unwrap().toNumber() : undefined;
  }

  async balance(coldkey: string): Promise<bigint> {
    const acct = (await this.api.query['system']!['account']!(coldkey)) as unknown as { data: { free: { toBigInt(): bigint } } };
    return acct.data.free.toBigInt();
  }

  /** Sign, send, and resolve when in a block; dispatch errors become typed errors. */
  private send(xt: SubmittableExtrinsic<'promise'>, signer: Signer): Promise<{ block: number; result: ISubmittableResult }> {
    return new Promise((resolve, reject) => {
      let unsub: (() => void) | undefined;
      xt.signAndSend(signer, (result: ISubmittableResult) => {
        if (result.dispatchError) {
          unsub?.();
          const e = result.dispatchError;
          if (e.isModule) {
            const meta = this.api.registry.findMetaError(e.asModule);
            reject(errorForDispatch(meta.section, meta.name, meta.docs.join(' ')));
          } else reject(new ExtrinsicFailedError(`extrinsic failed: ${e.toString()}`));
          return;
        }
        if (result.status.isInBlock || result.status.isFinalized) {
          unsub?.();
          const hash = result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized;
          void this.api.rpc.chain.getHeader(hash).then((h) => resolve({ block: h.number.toNumber(), result }), reject);
        } else if (result.isError) {
          unsub?.();
          reject(new ExtrinsicFailedError(`extrinsic not included: ${result.status.type}`));
        }
      }).then((u) => { unsub = u; }, (err: unknown) => reject(new ExtrinsicFailedError(`node rejected the extrinsic: ${err instanceof Error ? err.message : String(err)}`, { cause: err })));
    });
  }

  async burnedRegister(netuid: number, coldkey: Signer, hotkey: string): Promise<RegistrationReceipt> {
    const { block } = await this.send(burnedRegisterCall(this.tx, netuid, hotkey), coldkey);
    const uid = await this.uidOf(netuid, hotkey);
    if (uid === undefined) throw new ExtrinsicFailedError(`burned_register was included at block ${block} but ${hotkey} has no uid`);
    return { block, uid };
  }

  async serveAxon(hotkey: Signer, params: ServeAxonParams): Promise<CallReceipt> {
    return { block: (await this.send(serveAxonCall(this.tx, params), hotkey)).block };
  }

  async setWeights(hotkey: Signer, params: SetWeightsParams): Promise<CallReceipt> {
    const cr = await this.api.query['subtensorModule']!['commitRevealWeightsEnabled']!(params.netuid);
    if (cr.toString() === 'true') {
      throw new CommitRevealEnabledError(`subnet ${params.netuid} has commit-reveal weights enabled; commit them timelocked (setWeightsOrCommit)`);
    }
    return { block: (await this.send(setWeightsCall(this.tx, params), hotkey)).block };
  }

  async commitTimelockedWeights(hotkey: Signer, params: TimelockedCommitParams): Promise<CallReceipt> {
    return { block: (await this.send(commitTimelockedWeightsCall(this.tx, params), hotkey)).block };
  }

  /** drand quicknet (what pallet_drand ingests), 12 s blocks, and the runtime's CommitRevealWeightsVersion. */
  async timelockInfo(): Promise<TimelockInfo> {
    const v = await this.api.query['subtensorModule']!['commitRevealWeightsVersion']!();
    return { beacon: QUICKNET, blockTimeMs: SUBTENSOR_BLOCK_TIME_MS, commitRevealVersion: Number(v.toString()) };
  }

  async commit(hotkey: Signer, netuid: number, data: string): Promise<CallReceipt> {
    const maxFields = Number(this.api.consts['commitments']?.['maxFields']?.toString() ?? '1');
    const bytes = Buffer.byteLength(data, 'utf8');
    if (bytes > maxFields * MAX_RAW_FIELD) {
      throw new CommitmentTooLargeError(`commitment is ${bytes} bytes; this chain allows ${maxFields} × ${MAX_RAW_FIELD}`);
    }
    return { block: (await this.send(setCommitmentCall(this.tx, netuid, data), hotkey)).block };
  }

  async weights(netuid: number, uid: number): Promise<Array<[number, number]>> {
    return weightsFromStorage(await this.api.query['subtensorModule']!['weights']!(netuid, uid));
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    const entries = await this.api.query['commitments']!['commitmentOf']!.entries(netuid);
    const out: Commitment[] = [];
    for (const [key, value] of entries) {
      const opt = value as unknown as { isSome: boolean; unwrap(): { block: { toNumber(): number }; info: { fields: Array<{ type: string; value: { toU8a(b?: boolean): Uint8Array } }> } } };
      if (!opt.isSome) continue;
      const reg = opt.unwrap();
      out.push({ hotkey: key.args[1]!.toString(), block: reg.block.toNumber(), data: commitmentText(reg.info.fields) });
    }
    return out.sort((a, b) => a.hotkey.localeCompare(b.hotkey));
  }

  private netuidForStake(): number {
    if (this.stakeNetuid === undefined) throw new ExtrinsicFailedError('staking on subtensor needs a subnet', { hint: 'pass stakeNetuid to SubtensorChain.connect' });
    return this.stakeNetuid;
  }

  /** add_stake, or add_stake_limit with a limit (SlippageTooHigh / PriceLimitExceeded map to their typed errors). */
  async addStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    const n = netuid ?? this.netuidForStake();
    const call = limit ? addStakeLimitCall(this.tx, hotkey, n, amount, limit.limitPrice, limit.allowPartial === true) : addStakeCall(this.tx, hotkey, n, amount);
    return { block: (await this.send(call, coldkey)).block };
  }

  async removeStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    const n = netuid ?? this.netuidForStake();
    const call = limit ? removeStakeLimitCall(this.tx, hotkey, n, amount, limit.limitPrice, limit.allowPartial === true) : removeStakeCall(this.tx, hotkey, n, amount);
    return { block: (await this.send(call, coldkey)).block };
  }

  /** swap_stake, or swap_stake_limit with a limit. */
  async swapStake(coldkey: Signer, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limit?: StakeLimit): Promise<CallReceipt> {
    const call = limit
      ? swapStakeLimitCall(this.tx, hotkey, originNetuid, destinationNetuid, amount, limit.limitPrice, limit.allowPartial === true)
      : swapStakeCall(this.tx, hotkey, originNetuid, destinationNetuid, amount);
    return { block: (await this.send(call, coldkey)).block };
  }

  async setTempo(owner: Signer, netuid: number, tempo: number): Promise<CallReceipt> {
    return { block: (await this.send(setTempoCall(this.tx, netuid, tempo), owner)).block };
  }

  async setActivityCutoffFactor(owner: Signer, netuid: number, factorMilli: number): Promise<CallReceipt> {
    return { block: (await this.send(setActivityCutoffFactorCall(this.tx, netuid, factorMilli), owner)).block };
  }

  /** trigger_epoch; the epoch fires AdminFreezeWindow blocks after the including block (`do_trigger_epoch`). */
  async triggerEpoch(owner: Signer, netuid: number): Promise<TriggerEpochReceipt> {
    const { block } = await this.send(triggerEpochCall(this.tx, netuid), owner);
    const window = Number((await this.api.query['subtensorModule']!['adminFreezeWindow']!()).toString());
    return { block, firesAt: block + window };
  }

  async close(): Promise<void> {
    await this.api.disconnect();
  }
}

