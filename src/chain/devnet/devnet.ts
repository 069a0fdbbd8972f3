/**
 * The embedded devnet: a single-process emulation of subtensor's SubtensorModule (registration,
 * stake, serve_axon, set_weights, commitments, per-block emission, Yuma epochs) with its state in
 * SQLite. This file wires the parts: the block clock and call authentication; the block step is
 * ./clock.ts, call dispatch ./dispatch.ts, reads ./reads.ts, storage ./store.ts. It implements `DevChain` directly (in-process mode, used by tests) and is what
 * `zkinfer devnet node` serves over JSON-RPC (src/chain/rpc/) to other processes.
 *
 *   const dev = await Devnet.open({ dataDir: '.devnet', fast: true });  // dataDir omitted → in memory
 *   dev.start();                       // block clock (or call dev.produceBlock() yourself in tests)
 *   await dev.faucet(alice.address, taoToRao(100));
 *   await dev.burnedRegister(1, alice, hot.address);
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { BadSignatureError, ChainConnectionError, InvalidAmountError, ReplayedCallError, StaleCallError } from '../errors.js';
import type {
  CallReceipt, Commitment, DevChain, Hyperparameters, Metagraph, RegistrationReceipt, ServeAxonParams,
  SetWeightsParams, Signer, StakeLimit, SubnetPool, TimelockedCommitParams, TimelockInfo, TriggerEpochReceipt, Unsubscribe,
} from '../types.js';
import { RAO_PER_TAO } from '../types.js';
import { LocalBeacon } from '../timelock/beacon.js';
import { runCoinbase, updateMovingPrices } from './coinbase.js';
import { CALL_MORTALITY, canonicalAddress, signCall, stakeCallParams, swapStakeCallParams, timelockedCallParams, verifyCallSignature, type CallMethod, type CallParams, type SignedCall } from './calls.js';
import { blockStep, epochIndexOf, epochsAt, scheduleStateOf } from './clock.js';
import { DEFAULT_ADMIN_FREEZE_WINDOW, initialLastEpochBlock, nextEpochStartBlock } from '../yuma/schedule.js';
import { FAST_ADMIN_FREEZE_WINDOW } from './admin.js';
import { dispatchCall } from './dispatch.js';
import { checkAlphaValues, DEFAULT_EMISSION_PER_BLOCK, DEFAULT_HYPERPARAMETERS, FAST_OVERRIDES, resolveHyperparameters } from './hyperparams.js';
import { headBlock, poolOrThrow, readMetagraph, subnetOrThrow } from './reads.js';
import { COMMIT_REVEAL_VERSION, revealCommits, type RevealEvent, type TimelockContext } from './reveal.js';
import type { AlphaPool } from './pool.js';
import { Store } from './store.js';

export interface DevnetOptions {
  /** Folder for `devnet.sqlite`; omitted → in-memory (lost on close). */
  dataDir?: string;
  /** 250 ms blocks, tempo 10 and the other FAST_OVERRIDES (applies to subnets created at genesis). */
  fast?: boolean;
  /** Block time in ms (default 12000, fast 250). */
  blockTimeMs?: number;
  /** Emission into each subnet per block, rao (default 1 TAO). */
  emissionPerBlock?: bigint;
  /** Hyperparameter overrides for the genesis subnet (netuid 1). */
  hyperparameters?: Partial<Hyperparameters>;
  /** Wall clock for the local beacon, ms (tests); default Date.now. */
  now?: () => number;
}

/** The local beacon's round period: quicknet's 3 s, or one block in `--fast` mode. */
const BEACON_PERIOD_MS = 3_000;

/** Largest single faucet drip (rao): 1,000,000 TAO. */
export const MAX_FAUCET = 1_000_000n * 1_000_000_000n;
export { MAX_COMMITMENT_BYTES, neuronToPrune } from './dispatch.js';

export class Devnet implements DevChain {
  readonly store: Store;
  /** Random id fixed at genesis; signed calls commit to it. */
  readonly genesis: string;
  readonly blockTimeMs: number;
  readonly emissionPerBlock: bigint;
  /** INSECURE-DEV stand-in for drand: the devnet's own BLS key signs each round (docs/chain.md). */
  readonly beacon: LocalBeacon;
  private readonly now: () => number;
  private readonly events = new EventEmitter();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(store: Store, blockTimeMs: number, emissionPerBlock: bigint, now: () => number) {
    this.store = store;
    this.genesis = store.getMeta('genesis')!;
    this.blockTimeMs = blockTimeMs;
    this.emissionPerBlock = emissionPerBlock;
    this.now = now;
    if (store.getMeta('beacon_sk') === undefined) {
      store.tx(() => {
        store.setMeta('beacon_sk', LocalBeacon.newSecretKey());
        store.setMeta('beacon_genesis_ms', String(now()));
        store.setMeta('beacon_period_ms', String(Math.min(BEACON_PERIOD_MS, blockTimeMs)));
      });
    }
    this.beacon = new LocalBeacon(store.getMeta('beacon_sk')!, Number(store.getMeta('beacon_genesis_ms')), Number(store.getMeta('beacon_period_ms')));
    this.events.setMaxListeners(0);
  }

  /** Open (or create at genesis) a devnet. Genesis creates subnet 1 owned by //Alice. */
  static async open(opts: DevnetOptions = {}): Promise<Devnet> {
    await cryptoWaitReady();
    checkAlphaValues(opts.hyperparameters ?? {});
    const store = new Store(opts.dataDir ? join(opts.dataDir, 'devnet.sqlite') : ':memory:');
    if (store.getMeta('genesis') === undefined) {
      store.tx(() => {
        store.setMeta('genesis', randomBytes(16).toString('hex'));
        store.setMeta('block', '0');
        store.setMeta('fast', opts.fast ? '1' : '0');
        store.setMeta('admin_freeze_window', String(opts.fast ? FAST_ADMIN_FREEZE_WINDOW : DEFAULT_ADMIN_FREEZE_WINDOW));
        const owner = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
        store.setMeta('block_author', owner); // swap fees go to the block author (docs/chain.md "Swap fees and limit prices")
        const h = resolveHyperparameters(resolveHyperparameters(DEFAULT_HYPERPARAMETERS, opts.fast ? FAST_OVERRIDES : {}), opts.hyperparameters ?? {});
        store.insertSubnet(1, owner, h, initialLastEpochBlock(0, 1, h.tempo));
      });
    }
    const fast = store.getMeta('fast') === '1' || !!opts.fast;
    return new Devnet(store, opts.blockTimeMs ?? (fast ? 250 : 12_000), opts.emissionPerBlock ?? DEFAULT_EMISSION_PER_BLOCK, opts.now ?? Date.now);
  }

  // ------------------------------------------------------------------ clock

  /** Latest block number (synchronous). */
  get block(): number {
    return headBlock(this.store);
  }

  /** Start producing a block every `blockTimeMs`. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.produceBlock(), this.blockTimeMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether this devnet was created with `--fast` (fixed at genesis). */
  get fastGenesis(): boolean {
    return this.store.getMeta('fast') === '1';
  }

  /** Produce the next block: emission, epochs due at it, replay-guard cleanup. Returns its number. */
  produceBlock(): number {
    if (this.closed) throw new ChainConnectionError('this devnet is closed', { hint: 'stop block timers before closing the devnet' });
    const reveals: RevealEvent[] = [];
    const b = this.store.tx(() => {
      const block = this.block + 1;
      this.store.setMeta('block', String(block));
      const { run, deferred, next } = epochsAt(this.store, block);
      runCoinbase(this.store, this.emissionPerBlock);
      for (const netuid of this.store.netuids()) {
        // subtensor's block_step reveals matured commits before the epoch runs, judged against the epoch about to
        // run (current_epoch_with_lookahead); a subnet whose due epoch is deferred reveals at the block it runs
        if (!deferred.has(netuid)) {
          const current = epochIndexOf(this.store.subnet(netuid)!, block) + (run.has(netuid) ? 1 : 0);
          reveals.push(...revealCommits(this.store, netuid, block, current, this.beacon, this.now()));
        }
        blockStep(this.store, this.store.subnet(netuid)!, block, this.emissionPerBlock, { run: run.has(netuid), state: next.get(netuid)! });
      }
      updateMovingPrices(this.store, block);
      this.store.pruneUsedCalls(block);
      return block;
    });
    for (const r of reveals) this.events.emit('reveal', r);
    this.events.emit('block', b);
    return b;
  }

  /** The block of the subnet's last epoch slot (subtensor's LastEpochBlock; at creation, its anchor). */
  lastEpochBlock(netuid: number): number {
    const s = subnetOrThrow(this.store, netuid);
    return scheduleStateOf(s, this.block + 1).lastEpochBlock;
  }

  /** The block at which the subnet's next epoch runs (`get_next_epoch_start_block`; null at tempo 0). */
  nextEpochBlock(netuid: number): number | null {
    return nextEpochStartBlock(scheduleStateOf(subnetOrThrow(this.store, netuid), this.block + 1));
  }

  /** Produce `count` blocks at once (tests, and catching up). */
  produceBlocks(count: number): number {
    let b = this.block;
    for (let i = 0; i < count; i++) b = this.produceBlock();
    return b;
  }

  // ------------------------------------------------------------------ signed calls

  /** Verify a signed call (signature, mortality, replay) and dispatch it. Throws typed chain errors. */
  submit(call: SignedCall): CallReceipt | RegistrationReceipt | TriggerEpochReceipt {
    if (!verifyCallSignature(this.genesis, call)) {
      throw new BadSignatureError(`signature of ${call.method} by ${call.signer} does not verify on this devnet`);
    }
    return this.store.tx(() => {
      const block = this.block;
      if (call.block > block || call.block + CALL_MORTALITY < block) {
        throw new StaleCallError(`call signed at block ${call.block} is not valid at block ${block} (mortality ${CALL_MORTALITY})`);
      }
      if (!this.store.useCall(call.signature, call.block + CALL_MORTALITY)) {
        throw new ReplayedCallError(`this ${call.method} call was already submitted`);
      }
      // the signer as the devnet writes its key, whatever prefix it signed with (docs/chain.md "Addresses")
      const signer = canonicalAddress(call.signer);
      if (signer === undefined) throw new BadSignatureError(`signer ${call.signer} is not an SS58 address`);
      return dispatchCall(this.store, call.method, signer, call.params, block, this.timelockContext());
    });
  }

  /** Sign locally with the current block and submit (the in-process path of every write). */
  private signAndSubmit<M extends CallMethod>(signer: Signer, method: M, params: CallParams<M>): CallReceipt | RegistrationReceipt | TriggerEpochReceipt {
    return this.submit(signCall(this.genesis, signer, method, params, this.block));
  }

  private timelockContext(): TimelockContext {
    return { beacon: this.beacon.info, nowMs: this.now(), blockTimeMs: this.blockTimeMs };
  }

  /** Call `cb` with each reveal attempt (weights applied, or why a commit was dropped). */
  onReveal(cb: (e: RevealEvent) => void): Unsubscribe {
    this.events.on('reveal', cb);
    return () => this.events.off('reveal', cb);
  }

  // ------------------------------------------------------------------ Chain

  async currentBlock(): Promise<number> {
    return this.block;
  }

  onBlock(cb: (block: number) => void): Unsubscribe {
    this.events.on('block', cb);
    return () => this.events.off('block', cb);
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    return this.metagraphSync(netuid);
  }

  /** Metagraph snapshot, read in one transaction. */
  metagraphSync(netuid: number): Metagraph {
    return readMetagraph(this.store, netuid);
  }

  async weights(netuid: number, uid: number): Promise<Array<[number, number]>> {
    return (this.weightsOf(netuid)[uid] ?? []).filter(([, w]) => w > 0);
  }

  /** Raw u16 weight rows (uid → [[uid, w]]), for tests and inspection. */
  weightsOf(netuid: number): Array<Array<[number, number]>> {
    return this.store.neurons(netuid).map((n) => n.weights);
  }

  /** Raw u16 bond rows as stored by the last epoch. */
  bondsOf(netuid: number): Array<Array<[number, number]>> {
    return this.store.neurons(netuid).map((n) => n.bonds);
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    return subnetOrThrow(this.store, netuid).hyperparams;
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | undefined> {
    return this.store.neuronByHotkey(netuid, hotkey)?.uid;
  }

  async balance(coldkey: string): Promise<bigint> {
    return this.store.balance(coldkey);
  }

  async burnedRegister(netuid: number, coldkey: Signer, hotkey: string): Promise<RegistrationReceipt> {
    return this.signAndSubmit(coldkey, 'burnedRegister', { netuid, hotkey }) as RegistrationReceipt;
  }

  async serveAxon(hotkey: Signer, params: ServeAxonParams): Promise<CallReceipt> {
    return this.signAndSubmit(hotkey, 'serveAxon', { ...params, protocol: params.protocol ?? 0 });
  }

  async setWeights(hotkey: Signer, params: SetWeightsParams): Promise<CallReceipt> {
    return this.signAndSubmit(hotkey, 'setWeights', params);
  }

  async commitTimelockedWeights(hotkey: Signer, p: TimelockedCommitParams): Promise<CallReceipt> {
    return this.signAndSubmit(hotkey, 'commitTimelockedWeights', timelockedCallParams(p));
  }

  async timelockInfo(): Promise<TimelockInfo> {
    return { beacon: this.beacon.info, blockTimeMs: this.blockTimeMs, commitRevealVersion: COMMIT_REVEAL_VERSION };
  }

  async commit(hotkey: Signer, netuid: number, data: string): Promise<CallReceipt> {
    return this.signAndSubmit(hotkey, 'commit', { netuid, data });
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    subnetOrThrow(this.store, netuid);
    return this.store.commitments(netuid);
  }

  async addStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    return this.signAndSubmit(coldkey, 'addStake', stakeCallParams(hotkey, amount, netuid, limit));
  }

  async removeStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    return this.signAndSubmit(coldkey, 'removeStake', stakeCallParams(hotkey, amount, netuid, limit));
  }

  async swapStake(coldkey: Signer, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limit?: StakeLimit): Promise<CallReceipt> {
    return this.signAndSubmit(coldkey, 'swapStake', swapStakeCallParams(hotkey, originNetuid, destinationNetuid, amount, limit));
  }

  async subnetPool(netuid: number): Promise<SubnetPool> {
    return poolOrThrow(this.store, netuid);
  }

  async setTempo(owner: Signer, netuid: number, tempo: number): Promise<CallReceipt> {
    return this.signAndSubmit(owner, 'setTempo', { netuid, tempo });
  }

  async setActivityCutoffFactor(owner: Signer, netuid: number, factorMilli: number): Promise<CallReceipt> {
    return this.signAndSubmit(owner, 'setActivityCutoffFactor', { netuid, factorMilli });
  }

  async sudoSetTempo(root: Signer, netuid: number, tempo: number): Promise<CallReceipt> {
    return this.signAndSubmit(root, 'sudoSetTempo', { netuid, tempo });
  }

  async triggerEpoch(owner: Signer, netuid: number): Promise<TriggerEpochReceipt> {
    return this.signAndSubmit(owner, 'triggerEpoch', { netuid }) as TriggerEpochReceipt;
  }

  async faucet(coldkey: string, amount: bigint): Promise<CallReceipt> {
    return this.faucetSync(coldkey, amount);
  }

  faucetSync(coldkey: string, amount: bigint): CallReceipt {
    if (amount <= 0n || amount > MAX_FAUCET) throw new InvalidAmountError(`a faucet amount must be positive and at most ${MAX_FAUCET / RAO_PER_TAO} τ`);
    return this.store.tx(() => {
      this.store.setBalance(coldkey, this.store.balance(coldkey) + amount);
      return { block: this.block };
    });
  }

  /** A new subnet; with `pool` (initial τ and α reserves, rao) its stake is α bought through that alpha pool. */
  async createSubnet(owner: string, overrides: Partial<Hyperparameters> = {}, pool?: AlphaPool): Promise<number> {
    checkAlphaValues(overrides);
    return this.store.tx(() => {
      const netuid = Math.max(0, ...this.store.netuids()) + 1;
      const fast = this.store.getMeta('fast') === '1';
      const h = resolveHyperparameters(resolveHyperparameters(DEFAULT_HYPERPARAMETERS, fast ? FAST_OVERRIDES : {}), overrides);
      this.store.insertSubnet(netuid, owner, h, initialLastEpochBlock(this.block, netuid, h.tempo));
      if (pool) {
        if (pool.tao <= 0n || pool.alpha <= 0n) throw new InvalidAmountError('an alpha pool needs positive τ and α reserves');
        this.store.setPool(netuid, { tao: pool.tao, alpha: pool.alpha, startBlock: this.block });
      }
      return netuid;
    });
  }

  async subnets(): Promise<number[]> {
    return this.store.netuids();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    this.events.removeAllListeners();
    this.store.close();
  }
}
