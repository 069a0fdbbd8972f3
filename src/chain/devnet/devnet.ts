/**
 * The embedded devnet: a single-process emulation of subtensor's SubtensorModule (registration,
 * stake, serve_axon, set_weights, commitments, per-block emission, Yuma epochs) with its state in
 * SQLite. It implements `DevChain` directly (in-process mode, used by tests) and is what
 * `zkinfer devnet node` serves over JSON-RPC (src/chain/rpc/) to other processes.
 *
 *   const dev = await Devnet.open({ dataDir: '.devnet', fast: true });  // dataDir omitted → in memory
 *   dev.start();                       // block clock (or call dev.produceBlock() yourself in tests)
 *   await dev.faucet(alice.address, taoToRao(100));
 *   await dev.burnedRegister(1, alice, hot.address);
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  AlreadyRegisteredError, BadSignatureError, ChainConnectionError, CommitmentTooLargeError, CommitRevealEnabledError, DuplicateUidsError,
  HotkeyNotRegisteredError, HotkeyOwnedByOtherColdkeyError, IncorrectWeightVersionKeyError, InsufficientBalanceError,
  InvalidAmountError, InvalidAxonError, InvalidUidError, MaxWeightExceededError, NoValidatorPermitError,
  NotEnoughStakeError, ReplayedCallError, ServingRateLimitError, StaleCallError, SubnetNotFoundError,
  TooFewWeightsError, TooManyRegistrationsError, WeightsRateLimitError, WeightVecLengthMismatchError,
} from '../errors.js';
import {
  raoToTao, type CallReceipt, type Commitment, type DevChain, type Hyperparameters, type Metagraph, type RegistrationReceipt,
  type ServeAxonParams, type SetWeightsParams, type Signer, type Unsubscribe,
} from '../types.js';
import { isTopkNonzero, maxUpscaleToU16, u16ToProportion, U16_MAX } from '../yuma/math.js';
import { runEpoch } from '../yuma/epoch.js';
import { CALL_MORTALITY, CallSchemas, signCall, verifyCallSignature, type CallMethod, type CallParams, type SignedCall } from './calls.js';
import {
  BONDS_PENALTY, DEFAULT_EMISSION_PER_BLOCK, DEFAULT_HYPERPARAMETERS, FAST_OVERRIDES, OWNER_CUT_PER_MILLE,
} from './hyperparams.js';
import { Store, type NeuronRow, type SubnetRow } from './store.js';

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
}

/** Largest single faucet drip (rao): 1,000,000 TAO. */
export const MAX_FAUCET = 1_000_000n * 1_000_000_000n;
/** Largest commitment, bytes (subtensor's default max space per commitment field). */
export const MAX_COMMITMENT_BYTES = 1024;

/** Epoch condition of subtensor: (block + netuid + 1) mod (tempo + 1) == 0. */
export function isEpochBlock(block: number, netuid: number, tempo: number): boolean {
  return (block + netuid + 1) % (tempo + 1) === 0;
}

export class Devnet implements DevChain {
  readonly store: Store;
  /** Random id fixed at genesis; signed calls commit to it. */
  readonly genesis: string;
  readonly blockTimeMs: number;
  readonly emissionPerBlock: bigint;
  private readonly events = new EventEmitter();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(store: Store, blockTimeMs: number, emissionPerBlock: bigint) {
    this.store = store;
    this.genesis = store.getMeta('genesis')!;
    this.blockTimeMs = blockTimeMs;
    this.emissionPerBlock = emissionPerBlock;
    this.events.setMaxListeners(0);
  }

  /** Open (or create at genesis) a devnet. Genesis creates subnet 1 owned by //Alice. */
  static async open(opts: DevnetOptions = {}): Promise<Devnet> {
    await cryptoWaitReady();
    const store = new Store(opts.dataDir ? join(opts.dataDir, 'devnet.sqlite') : ':memory:');
    if (store.getMeta('genesis') === undefined) {
      store.tx(() => {
        store.setMeta('genesis', randomBytes(16).toString('hex'));
        store.setMeta('block', '0');
        store.setMeta('fast', opts.fast ? '1' : '0');
        const owner = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
        store.insertSubnet(1, owner, { ...DEFAULT_HYPERPARAMETERS, ...(opts.fast ? FAST_OVERRIDES : {}), ...opts.hyperparameters });
      });
    }
    const fast = store.getMeta('fast') === '1' || !!opts.fast;
    return new Devnet(store, opts.blockTimeMs ?? (fast ? 250 : 12_000), opts.emissionPerBlock ?? DEFAULT_EMISSION_PER_BLOCK);
  }

  // ------------------------------------------------------------------ clock

  /** Latest block number (synchronous). */
  get block(): number {
    return Number(this.store.getMeta('block'));
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
    const b = this.store.tx(() => {
      const block = this.block + 1;
      this.store.setMeta('block', String(block));
      for (const netuid of this.store.netuids()) this.blockStep(this.store.subnet(netuid)!, block);
      this.store.pruneUsedCalls(block);
      return block;
    });
    this.events.emit('block', b);
    return b;
  }

  /** Produce `count` blocks at once (tests, and catching up). */
  produceBlocks(count: number): number {
    let b = this.block;
    for (let i = 0; i < count; i++) b = this.produceBlock();
    return b;
  }

  private blockStep(s: SubnetRow, block: number): void {
    const ownerCut = (this.emissionPerBlock * OWNER_CUT_PER_MILLE) / 1000n;
    this.store.setBalance(s.owner, this.store.balance(s.owner) + ownerCut);
    s.pendingEmission += this.emissionPerBlock - ownerCut;
    if (isEpochBlock(block, s.netuid, s.hyperparams.tempo)) {
      this.epoch(s, block);
      s.pendingEmission = 0n;
      s.lastEpoch = block;
    }
    this.store.updateSubnet(s);
  }

  /** Run Yuma on a subnet and credit the emission to each hotkey's owner as stake. */
  private epoch(s: SubnetRow, block: number): void {
    const neurons = this.store.neurons(s.netuid);
    if (neurons.length === 0) return;
    const h = s.hyperparams;
    const out = runEpoch({
      block,
      lastEpochBlock: s.lastEpoch,
      stake: neurons.map((n) => this.store.totalStake(n.hotkey)),
      lastUpdate: neurons.map((n) => n.lastUpdate),
      blockAtRegistration: neurons.map((n) => n.registeredAt),
      validatorPermit: neurons.map((n) => n.validatorPermit),
      weights: neurons.map((n) => n.weights),
      bonds: neurons.map((n) => n.bonds),
      kappa: h.kappa,
      bondsMovingAvg: h.bondsMovingAvg,
      bondsPenalty: BONDS_PENALTY,
      activityCutoff: h.activityCutoff,
      maxAllowedValidators: h.maxAllowedValidators,
      emission: s.pendingEmission,
    });
    neurons.forEach((n, i) => {
      const emission = out.serverEmission[i]! + out.validatorEmission[i]!;
      this.store.putNeuron({
        ...n,
        active: out.active[i]!,
        validatorPermit: out.validatorPermit[i]!,
        consensus: out.consensus[i]!,
        incentive: out.incentive[i]!,
        dividends: out.dividends[i]!,
        trust: out.trust[i]!,
        validatorTrust: out.validatorTrust[i]!,
        emission,
        bonds: out.bonds[i]!,
      });
      if (emission > 0n) this.store.setStake(n.hotkey, n.coldkey, this.store.stakeOf(n.hotkey, n.coldkey) + emission);
    });
  }

  // ------------------------------------------------------------------ signed calls

  /** Verify a signed call (signature, mortality, replay) and dispatch it. Throws typed chain errors. */
  submit(call: SignedCall): CallReceipt | RegistrationReceipt {
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
      return this.dispatch(call.method, call.signer, call.params, block);
    });
  }

  private dispatch(method: CallMethod, signer: string, raw: Record<string, unknown>, block: number): CallReceipt | RegistrationReceipt {
    switch (method) {
      case 'burnedRegister': return this.doRegister(signer, CallSchemas.burnedRegister.parse(raw), block);
      case 'serveAxon': return this.doServeAxon(signer, CallSchemas.serveAxon.parse(raw), block);
      case 'setWeights': return this.doSetWeights(signer, CallSchemas.setWeights.parse(raw), block);
      case 'commit': return this.doCommit(signer, CallSchemas.commit.parse(raw), block);
      case 'addStake': return this.doAddStake(signer, CallSchemas.addStake.parse(raw), block);
      case 'removeStake': return this.doRemoveStake(signer, CallSchemas.removeStake.parse(raw), block);
    }
  }

  private subnetOrThrow(netuid: number): SubnetRow {
    const s = this.store.subnet(netuid);
    if (!s) throw new SubnetNotFoundError(`subnet ${netuid} does not exist`, { details: { netuid } });
    return s;
  }

  private neuronOrThrow(netuid: number, hotkey: string): NeuronRow {
    const n = this.store.neuronByHotkey(netuid, hotkey);
    if (!n) throw new HotkeyNotRegisteredError(`hotkey ${hotkey} is not registered on subnet ${netuid}`, { details: { netuid, hotkey } });
    return n;
  }

  /** Validator permits = top `maxAllowedValidators` uids by stake (non-zero). */
  private refreshPermits(netuid: number): void {
    const s = this.store.subnet(netuid)!;
    const neurons = this.store.neurons(netuid);
    const stake = neurons.map((n) => Number(this.store.totalStake(n.hotkey)));
    const permits = isTopkNonzero(stake, s.hyperparams.maxAllowedValidators);
    neurons.forEach((n, i) => {
      if (n.validatorPermit !== permits[i]) this.store.putNeuron({ ...n, validatorPermit: permits[i]! });
    });
  }

  private doRegister(coldkey: string, p: CallParams<'burnedRegister'>, block: number): RegistrationReceipt {
    const s = this.subnetOrThrow(p.netuid);
    const h = s.hyperparams;
    if (s.regsBlock !== block) { s.regsBlock = block; s.regsInBlock = 0; }
    if (h.maxRegistrationsPerBlock > 0 && s.regsInBlock >= h.maxRegistrationsPerBlock) {
      throw new TooManyRegistrationsError(`subnet ${p.netuid} already took ${s.regsInBlock} registrations in block ${block}`);
    }
    if (this.store.neuronByHotkey(p.netuid, p.hotkey)) {
      throw new AlreadyRegisteredError(`hotkey ${p.hotkey} is already registered on subnet ${p.netuid}`);
    }
    const owner = this.store.hotkeyOwner(p.hotkey);
    if (owner !== undefined && owner !== coldkey) {
      throw new HotkeyOwnedByOtherColdkeyError(`hotkey ${p.hotkey} belongs to coldkey ${owner}, not ${coldkey}`);
    }
    const balance = this.store.balance(coldkey);
    if (balance < h.burn) {
      throw new InsufficientBalanceError(`registration burns ${raoToTao(h.burn)} τ but coldkey ${coldkey} has ${raoToTao(balance)} τ`, { details: { burn: h.burn.toString(), balance: balance.toString() } });
    }
    this.store.setBalance(coldkey, balance - h.burn);
    this.store.setHotkeyOwner(p.hotkey, coldkey);

    const neurons = this.store.neurons(p.netuid);
    let uid = neurons.length;
    let replacedHotkey: string | undefined;
    if (neurons.length >= h.maxAllowedUids) {
      const victim = neuronToPrune(neurons, block, h.immunityPeriod);
      uid = victim.uid;
      replacedHotkey = victim.hotkey;
      this.store.deleteAxon(p.netuid, victim.hotkey);
    }
    this.store.putNeuron({
      netuid: p.netuid, uid, hotkey: p.hotkey, coldkey, registeredAt: block, lastUpdate: block,
      validatorPermit: false, active: true, consensus: 0, incentive: 0, dividends: 0, trust: 0, validatorTrust: 0,
      emission: 0n, weights: [], bonds: [],
    });
    s.regsInBlock += 1;
    this.store.updateSubnet(s);
    this.refreshPermits(p.netuid);
    return replacedHotkey === undefined ? { block, uid } : { block, uid, replacedHotkey };
  }

  private doServeAxon(hotkey: string, p: CallParams<'serveAxon'>, block: number): CallReceipt {
    const s = this.subnetOrThrow(p.netuid);
    this.neuronOrThrow(p.netuid, hotkey);
    const ipType = isIP(p.ip);
    if (ipType === 0 || p.ip === '0.0.0.0' || p.ip === '::') {
      throw new InvalidAxonError(`"${p.ip}" is not a usable IPv4/IPv6 address`);
    }
    if (p.port < 1 || p.port > 65535) throw new InvalidAxonError(`port ${p.port} is outside 1..65535`);
    if (p.version < 1 || p.version >= 2 ** 32) throw new InvalidAxonError(`version ${p.version} must be a u32 > 0 (major·10^6 + minor·10^3 + patch)`);
    const prev = this.store.axon(p.netuid, hotkey);
    if (prev && prev.block > 0 && block - prev.block < s.hyperparams.servingRateLimit) {
      throw new ServingRateLimitError(`hotkey served its axon at block ${prev.block}; next allowed at block ${prev.block + s.hyperparams.servingRateLimit}`);
    }
    this.store.putAxon(p.netuid, { hotkey, ip: p.ip, ipType: ipType as 4 | 6, port: p.port, version: p.version, protocol: p.protocol, block });
    return { block };
  }

  /** subtensor's `do_set_weights` checks, each failure its own error class. */
  private doSetWeights(hotkey: string, p: CallParams<'setWeights'>, block: number): CallReceipt {
    const s = this.subnetOrThrow(p.netuid);
    const h = s.hyperparams;
    if (h.commitRevealWeightsEnabled) throw new CommitRevealEnabledError(`subnet ${p.netuid} requires commit-reveal weights`);
    if (p.uids.length !== p.weights.length) {
      throw new WeightVecLengthMismatchError(`${p.uids.length} uids but ${p.weights.length} weights`);
    }
    if (p.weights.some((w) => w < 0 || w > U16_MAX)) throw new InvalidAmountError('weights must be u16 integers (0..65535)');
    const me = this.neuronOrThrow(p.netuid, hotkey);
    if (h.weightsVersion !== 0 && p.versionKey < h.weightsVersion) {
      throw new IncorrectWeightVersionKeyError(`version key ${p.versionKey} is below the subnet's ${h.weightsVersion}`);
    }
    if (me.lastUpdate !== 0 && block - me.lastUpdate < h.weightsRateLimit) {
      throw new WeightsRateLimitError(`uid ${me.uid} last updated at block ${me.lastUpdate}; next set_weights allowed at block ${me.lastUpdate + h.weightsRateLimit}`);
    }
    const n = this.store.neurons(p.netuid).length;
    const bad = p.uids.find((u) => u < 0 || u >= n);
    if (bad !== undefined) throw new InvalidUidError(`uid ${bad} does not exist on subnet ${p.netuid} (n = ${n})`);
    const selfOnly = p.uids.length === 1 && p.uids[0] === me.uid;
    const minLen = Math.min(h.minAllowedWeights, n);
    if (!selfOnly && p.uids.length < minLen) {
      throw new TooFewWeightsError(`${p.uids.length} weights set; the subnet requires at least ${minLen}`);
    }
    if (!selfOnly && h.maxWeightsLimit < U16_MAX) {
      const total = p.weights.reduce((a, w) => a + w, 0);
      const max = Math.max(...p.weights);
      if (total > 0 && max / total > h.maxWeightsLimit / U16_MAX) {
        throw new MaxWeightExceededError(`largest weight share ${(max / total).toFixed(4)} exceeds ${(h.maxWeightsLimit / U16_MAX).toFixed(4)}`);
      }
    }
    if (new Set(p.uids).size !== p.uids.length) throw new DuplicateUidsError('the uid list contains duplicates');
    if (!selfOnly && !me.validatorPermit) {
      throw new NoValidatorPermitError(`uid ${me.uid} has no validator permit (top ${h.maxAllowedValidators} by stake)`);
    }
    const up = maxUpscaleToU16(p.weights);
    const row = p.uids.map((u, i) => [u, up[i]!] as [number, number]).sort((a, b) => a[0] - b[0]);
    this.store.putNeuron({ ...me, weights: row, lastUpdate: block });
    return { block };
  }

  private doCommit(hotkey: string, p: CallParams<'commit'>, block: number): CallReceipt {
    this.subnetOrThrow(p.netuid);
    this.neuronOrThrow(p.netuid, hotkey);
    const size = Buffer.byteLength(p.data, 'utf8');
    if (size > MAX_COMMITMENT_BYTES) throw new CommitmentTooLargeError(`commitment is ${size} bytes; the limit is ${MAX_COMMITMENT_BYTES}`);
    this.store.putCommitment(p.netuid, { hotkey, block, data: p.data });
    return { block };
  }

  private doAddStake(coldkey: string, p: CallParams<'addStake'>, block: number): CallReceipt {
    const amount = BigInt(p.amount);
    if (amount <= 0n) throw new InvalidAmountError('stake amount must be positive');
    if (this.store.hotkeyOwner(p.hotkey) === undefined) {
      throw new HotkeyNotRegisteredError(`hotkey ${p.hotkey} is not registered on any subnet; register it before staking`);
    }
    const balance = this.store.balance(coldkey);
    if (balance < amount) throw new InsufficientBalanceError(`coldkey ${coldkey} has ${raoToTao(balance)} τ, cannot stake ${raoToTao(amount)} τ`);
    this.store.setBalance(coldkey, balance - amount);
    this.store.setStake(p.hotkey, coldkey, this.store.stakeOf(p.hotkey, coldkey) + amount);
    for (const netuid of this.store.netuidsOfHotkey(p.hotkey)) this.refreshPermits(netuid);
    return { block };
  }

  private doRemoveStake(coldkey: string, p: CallParams<'removeStake'>, block: number): CallReceipt {
    const amount = BigInt(p.amount);
    if (amount <= 0n) throw new InvalidAmountError('unstake amount must be positive');
    const staked = this.store.stakeOf(p.hotkey, coldkey);
    if (staked < amount) throw new NotEnoughStakeError(`coldkey ${coldkey} has ${raoToTao(staked)} τ staked on ${p.hotkey}, cannot remove ${raoToTao(amount)} τ`);
    this.store.setStake(p.hotkey, coldkey, staked - amount);
    this.store.setBalance(coldkey, this.store.balance(coldkey) + amount);
    for (const netuid of this.store.netuidsOfHotkey(p.hotkey)) this.refreshPermits(netuid);
    return { block };
  }

  /** Sign locally with the current block and submit (the in-process path of every write). */
  private signAndSubmit<M extends CallMethod>(signer: Signer, method: M, params: CallParams<M>): CallReceipt | RegistrationReceipt {
    return this.submit(signCall(this.genesis, signer, method, params, this.block));
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
    return this.store.db.transaction(() => {
      this.subnetOrThrow(netuid);
      const ns = this.store.neurons(netuid);
      return {
        netuid,
        block: this.block,
        n: ns.length,
        uids: ns.map((n) => n.uid),
        hotkeys: ns.map((n) => n.hotkey),
        coldkeys: ns.map((n) => n.coldkey),
        stake: ns.map((n) => this.store.totalStake(n.hotkey)),
        validatorPermit: ns.map((n) => n.validatorPermit),
        validatorTrust: ns.map((n) => u16ToProportion(n.validatorTrust)),
        trust: ns.map((n) => u16ToProportion(n.trust)),
        consensus: ns.map((n) => u16ToProportion(n.consensus)),
        incentive: ns.map((n) => u16ToProportion(n.incentive)),
        dividends: ns.map((n) => u16ToProportion(n.dividends)),
        emission: ns.map((n) => n.emission),
        active: ns.map((n) => n.active),
        lastUpdate: ns.map((n) => n.lastUpdate),
        blockAtRegistration: ns.map((n) => n.registeredAt),
        axons: ns.map((n) => {
          const a = this.store.axon(netuid, n.hotkey);
          return a ? { ...a, coldkey: n.coldkey } : { hotkey: n.hotkey, coldkey: n.coldkey, ip: '0.0.0.0', ipType: 0 as const, port: 0, version: 0, protocol: 0, block: 0 };
        }),
      };
    })();
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
    return this.subnetOrThrow(netuid).hyperparams;
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

  async commit(hotkey: Signer, netuid: number, data: string): Promise<CallReceipt> {
    return this.signAndSubmit(hotkey, 'commit', { netuid, data });
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    this.subnetOrThrow(netuid);
    return this.store.commitments(netuid);
  }

  async addStake(coldkey: Signer, hotkey: string, amount: bigint): Promise<CallReceipt> {
    return this.signAndSubmit(coldkey, 'addStake', { hotkey, amount: amount.toString() });
  }

  async removeStake(coldkey: Signer, hotkey: string, amount: bigint): Promise<CallReceipt> {
    return this.signAndSubmit(coldkey, 'removeStake', { hotkey, amount: amount.toString() });
  }

  async faucet(coldkey: string, amount: bigint): Promise<CallReceipt> {
    return this.faucetSync(coldkey, amount);
  }

  faucetSync(coldkey: string, amount: bigint): CallReceipt {
    if (amount <= 0n || amount > MAX_FAUCET) throw new InvalidAmountError(`faucet amount must be in 1..${MAX_FAUCET} rao`);
    return this.store.tx(() => {
      this.store.setBalance(coldkey, this.store.balance(coldkey) + amount);
      return { block: this.block };
    });
  }

  async createSubnet(owner: string, overrides: Partial<Hyperparameters> = {}): Promise<number> {
    return this.store.tx(() => {
      const netuid = Math.max(0, ...this.store.netuids()) + 1;
      const fast = this.store.getMeta('fast') === '1';
      this.store.insertSubnet(netuid, owner, { ...DEFAULT_HYPERPARAMETERS, ...(fast ? FAST_OVERRIDES : {}), ...overrides });
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

/**
 * subtensor's `get_neuron_to_prune`: the non-immune uid with the lowest emission (ties: earliest
 * registration, then lowest uid); if every uid is still immune, the immune uid chosen the same way.
 */
export function neuronToPrune(neurons: NeuronRow[], block: number, immunityPeriod: number): NeuronRow {
  const better = (a: NeuronRow, b: NeuronRow): boolean =>
    a.emission !== b.emission ? a.emission < b.emission : a.registeredAt !== b.registeredAt ? a.registeredAt < b.registeredAt : a.uid < b.uid;
  let free: NeuronRow | undefined;
  let immune: NeuronRow | undefined;
  for (const n of neurons) {
    const isImmune = block - n.registeredAt < immunityPeriod;
    if (isImmune) { if (!immune || better(n, immune)) immune = n; }
    else if (!free || better(n, free)) free = n;
  }
  return (free ?? immune)!;
}
