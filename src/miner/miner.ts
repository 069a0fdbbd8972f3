import type { KeyringPair } from '@polkadot/keyring/types';
import type { Chain, Metagraph } from '../chain/types.js';
import { raoToTao } from '../chain/types.js';
import { ServingRateLimitError } from '../chain/errors.js';
import { ZkinferError } from '../errors/base.js';
import { VERSION_KEY } from '../version.js';
import { Axon, type Caller, type ForwardContext } from '../protocol/axon.js';
import { encodeInputs, type RealInputs } from '../protocol/circuit-io.js';
import { PriorityError, ProtocolError, SynapseParsingError } from '../protocol/errors.js';
import { MetagraphCache } from '../protocol/metagraph-cache.js';
import { SYNAPSES, type ProofOfWeightsSynapse, type QueryZkProof } from '../protocol/synapses.js';
import type { Groth16ProveResult } from '../zkml/prove/types.js';
import { servedArtifacts, type CircuitStore, type ServedCircuit } from './circuit-store.js';

/** Produces Groth16 proofs for a circuit from witness-generator input (the prove engineer's worker pool). */
export interface ProofBackend {
  prove(circuit: ServedCircuit, witnessInput: Record<string, string[]>, signal?: AbortSignal): Promise<Groth16ProveResult>;
  /** Why the backend cannot take a proof of `circuit` now (answered 503 before queueing), or undefined. */
  unavailable?(circuit: ServedCircuit): string | undefined;
  close?(): Promise<void>;
}

/**
 * Deliberate misbehaviour, for tests of the validator's scoring only (never set in production):
 * prove other inputs than asked, or alter the returned public signals.
 */
export interface MinerAdversary {
  inputs?: (inputs: RealInputs) => RealInputs;
  output?: (r: Groth16ProveResult) => Groth16ProveResult;
}

export interface MinerOptions {
  hotkey: KeyringPair;
  chain: Chain;
  netuid: number;
  circuits: CircuitStore;
  backend: ProofBackend;
  host?: string;
  /** Address published with serve_axon when it differs from the bind address `host` (NAT, 0.0.0.0 binds). */
  externalIp?: string;
  port?: number;
  /** Publish the axon on chain (serve_axon) when started (default true). */
  serve?: boolean;
  /** Minimum caller stake, rao (default 0: a validator permit is still required). */
  minStakeRao?: bigint;
  /** Accept callers without a validator permit (devnet bootstrapping before the first epoch). */
  allowNoPermit?: boolean;
  /** Axon-wide concurrency and queue (per-circuit capacity is in the circuit store). */
  concurrency?: number;
  maxQueue?: number;
  bodyLimit?: number;
  adversary?: MinerAdversary;
  /**
   * How long the last metagraph snapshot keeps serving the blacklist while the chain cannot be read, ms
   * (default 5 minutes; afterwards 503). docs/network.md "Chain outages".
   */
  metagraphMaxStaleMs?: number;
  log?: (line: string) => void;
}

export interface MinerStats {
  served: number;
  failed: number;
  refused: number;
}

/** A zkinfer miner: an axon answering QueryZkProof / ProofOfWeightsSynapse / QueryForCapacities with real proofs. */
export class Miner {
  readonly axon: Axon;
  readonly metagraph: MetagraphCache;
  readonly stats: MinerStats = { served: 0, failed: 0, refused: 0 };
  private readonly log: (line: string) => void;

  constructor(private readonly opts: MinerOptions) {
    this.log = opts.log ?? (() => undefined);
    this.metagraph = new MetagraphCache(opts.chain, opts.netuid, 2_000, {
      log: this.log,
      ...(opts.metagraphMaxStaleMs !== undefined ? { maxStaleMs: opts.metagraphMaxStaleMs } : {}),
    });
    this.axon = new Axon({
      hotkey: opts.hotkey,
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      concurrency: opts.concurrency ?? 8,
      maxQueue: opts.maxQueue ?? 128,
      bodyLimit: opts.bodyLimit ?? 1024 * 1024,
      log: this.log,
    });
    const blacklist = (c: Caller): Promise<string | undefined> => this.blacklist(c);
    const priority = (c: Caller): number => this.priority(c);
    this.axon.attach({ spec: SYNAPSES.QueryZkProof, blacklist, priority, forward: (s, ctx) => this.forwardQuery(s, ctx) });
    this.axon.attach({ spec: SYNAPSES.ProofOfWeightsSynapse, blacklist, priority, forward: (s, ctx) => this.forwardPow(s, ctx) });
    this.axon.attach({
      spec: SYNAPSES.QueryForCapacities,
      blacklist,
      gated: false,
      forward: async () => ({ capacities: opts.circuits.capacities() }),
    });
    this.axon.attach({ spec: SYNAPSES.CompetitionArtifacts, blacklist, gated: false, forward: async (s) => servedArtifacts(opts.circuits, s.circuit_id, s.include_source) });
  }

  get hotkey(): string {
    return this.opts.hotkey.address;
  }

  /** Start the axon and (by default) publish it with serve_axon. Returns the bound port. */
  async start(): Promise<number> {
    const m = await this.metagraph.refresh();
    if (!m.hotkeys.includes(this.hotkey)) {
      throw new ZkinferError('MINER_NOT_REGISTERED', `miner hotkey ${this.hotkey} is not registered on subnet ${this.opts.netuid}`, {
        hint: 'register it first (`zkinfer chain register`, or btcli subnet register on a real network)',
      });
    }
    const port = await this.axon.start();
    if (this.opts.serve !== false) await this.serve(port);
    return port;
  }

  /** serve_axon unless the chain already has this address; waits out the serving rate limit on restarts. */
  private async serve(port: number): Promise<void> {
    const ip = this.opts.externalIp ?? this.opts.host ?? '127.0.0.1';
    const m = await this.metagraph.refresh();
    const a = m.axons[m.hotkeys.indexOf(this.hotkey)];
    if (a && a.ip === ip && a.port === port && a.version === VERSION_KEY) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.chain.serveAxon(this.opts.hotkey, { netuid: this.opts.netuid, ip, port, version: VERSION_KEY });
        await this.metagraph.refresh();
        return;
      } catch (e) {
        if (!(e instanceof ServingRateLimitError) || attempt > 200) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async stop(): Promise<void> {
    await this.axon.stop();
  }

  /**
   * Bittensor-style blacklist: unregistered, no validator permit, stake below minimum → 403. Judged on the
   * last metagraph snapshot during a chain outage; 503 once it is too old (docs/network.md "Chain outages").
   */
  private async blacklist(c: Caller): Promise<string | undefined> {
    let m: Metagraph;
    try {
      m = await this.metagraph.get();
    } catch (e) {
      // the cache logged the outage once; each request gets a one-line 503, no stack
      throw new ProtocolError(503, 'CHAIN_UNAVAILABLE', `Service unavailable: the miner cannot read the metagraph: ${(e as Error).message}`, {
        hint: 'the miner\'s chain node is unreachable; retry later',
      });
    }
    const i = m.hotkeys.indexOf(c.hotkey);
    let reason: string | undefined;
    if (i < 0) reason = 'hotkey not registered on the subnet';
    else if (!m.validatorPermit[i] && !this.opts.allowNoPermit) reason = 'no validator permit';
    // stake = the runtime's total stake weight (α + tao_weight·τ on dynamic TAO; docs/chain.md "Dynamic TAO")
    else if ((m.stake[i] ?? 0n) < (this.opts.minStakeRao ?? 0n)) reason = `stake ${raoToTao(m.stake[i] ?? 0n)} (α + tao_weight·τ) below the minimum ${raoToTao(this.opts.minStakeRao ?? 0n)}`;
    if (reason) this.stats.refused++;
    return reason;
  }

  /** Higher stake (total stake weight, as the blacklist) is served first. */
  private priority(c: Caller): number {
    const m = this.metagraph.peek();
    const i = m ? m.hotkeys.indexOf(c.hotkey) : -1;
    return i >= 0 ? raoToTao(m!.stake[i] ?? 0n) : 0;
  }

  private async prove(circuitId: string, inputs: RealInputs, ctx: ForwardContext): Promise<Groth16ProveResult> {
    const circuit = this.opts.circuits.get(circuitId);
    if (!circuit) throw new SynapseParsingError(`unknown model_id ${circuitId}: this miner serves ${this.opts.circuits.ids().join(', ') || 'no circuits'}`);
    const adv = this.opts.adversary;
    let witnessInput: Record<string, string[]>;
    try {
      witnessInput = encodeInputs(circuit.artifacts.metadata, adv?.inputs ? adv.inputs(inputs) : inputs);
    } catch (e) {
      if (e instanceof ZkinferError) throw new SynapseParsingError(e.message, { hint: e.hint ?? '' });
      throw e;
    }
    const down = this.opts.backend.unavailable?.(circuit);
    if (down) throw new PriorityError(503, `Service unavailable: ${down}`);
    const release = await circuit.gate.acquire(this.priority(ctx.caller), ctx.timeoutS * 1000);
    try {
      const result = await this.opts.backend.prove(circuit, witnessInput, ctx.signal);
      this.stats.served++;
      return adv?.output ? adv.output(result) : result;
    } catch (e) {
      this.stats.failed++;
      if (e instanceof ProtocolError) throw e;
      this.log(`miner: proving ${circuitId} failed: ${(e as Error).message}`);
      throw new ProtocolError(500, 'PROVE_FAILED', `proving failed: ${(e as Error).message}`);
    } finally {
      release();
    }
  }

  private async forwardQuery(s: QueryZkProof, ctx: ForwardContext): Promise<Partial<QueryZkProof>> {
    if (!s.query_input) throw new SynapseParsingError('query_input is required: {model_id, public_inputs}');
    const r = await this.prove(s.query_input.model_id, s.query_input.public_inputs, ctx);
    return { query_output: JSON.stringify({ proof: r.proof, public_signals: r.publicSignals }) };
  }

  private async forwardPow(s: ProofOfWeightsSynapse, ctx: ForwardContext): Promise<Partial<ProofOfWeightsSynapse>> {
    const inputs: RealInputs = {};
    for (const [k, v] of Object.entries(s.inputs)) {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new SynapseParsingError(`inputs.${k} must be an array of finite numbers`);
      }
      inputs[k] = v as number[];
    }
    const r = await this.prove(s.verification_key_hash, inputs, ctx);
    return { proof: JSON.stringify(r.proof), public_signals: JSON.stringify(r.publicSignals) };
  }
}
