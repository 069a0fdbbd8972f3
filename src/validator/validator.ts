import { EventEmitter } from 'node:events';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Chain, Metagraph, Unsubscribe } from '../chain/types.js';
import { VERSION_KEY } from '../version.js';
import { Rng } from '../models/random.js';
import { Dendrite, type AxonTarget } from '../protocol/dendrite.js';
import { decodeOutputs, encodeInputs, type RealInputs } from '../protocol/circuit-io.js';
import { MetagraphCache } from '../protocol/metagraph-cache.js';
import { CAPACITIES_ANSWER_BYTES, proofAnswerBytes, QueryOutputSchema, SYNAPSES, type QueryForCapacities, type QueryZkProof } from '../protocol/synapses.js';
import { pickCircuit, type ValidatorCircuit } from './circuits.js';
import { ExternalQueue, UnknownCircuitError, type ExternalRecord } from './external-queue.js';
import { ReplayGuard } from './replay-guard.js';
import { DEFAULT_SCORING, responseQuality, rtBounds, updateScore, weightsForEmit, type ScoringConfig } from './scoring.js';
import { ValidatorStore, type RequestLogEntry } from './store.js';
import { ProofBatcher } from './proof-batcher.js';
import { ProofOfWeights } from './proof-of-weights.js';
import { weightsRefusal } from './weights-guard.js';
import { setWeightsOrCommit } from '../chain/timelock/commit.js';
import { blendScores, competitionScores, DEFAULT_MAX_AGE_BLOCKS, type CompetitionWeights } from './competition-scores.js';
import { snarkjsCurve } from '../zkml/prove/curve.js';

export interface ValidatorOptions {
  hotkey: KeyringPair;
  chain: Chain;
  netuid: number;
  /** SQLite file (":memory:" for throwaway runs). */
  dbPath: string;
  circuits: ValidatorCircuit[];
  /** Concurrent queries in flight (all miners together). */
  concurrency?: number;
  scoring?: Partial<ScoringConfig>;
  /** Seed of the benchmark input generator. */
  seed?: number;
  /** Minimum blocks between set_weights (default: the subnet's weights rate limit). */
  weightsEveryBlocks?: number;
  /** Attempts per external request before it fails. */
  externalAttempts?: number;
  /** Pause between benchmark queries to one miner, ms (0 = as fast as capacity allows). */
  benchmarkIntervalMs?: number;
  /** Longest a proof waits for others of its circuit to be batch-verified with them, ms (default 50). */
  verifyBatchWindowMs?: number;
  /** Proof of weights (docs/network.md): the scoring-ema circuit; the weights set are those its proofs imply. */
  proofOfWeights?: { circuit: ValidatorCircuit };
  /** Competition scores blended into the weights (docs/competitions.md, weights); proven with proofOfWeights. */
  competition?: CompetitionWeights;
  /** Pause before re-querying a miner after consecutive failed answers (docs/network.md "Chain outages"). */
  failureBackoff?: Partial<FailureBackoff>;
  log?: (line: string) => void;
}

/** Per-miner backoff after consecutive failed answers (non-200, or not verified): base·2^(n−1) ms after the n-th, at most capMs. */
export interface FailureBackoff {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_FAILURE_BACKOFF: FailureBackoff = { baseMs: 1_000, capMs: 60_000 };

/**
 * How long without a block before the validator asks the chain whether it still answers: three of the chain's own
 * block times (the last interval seen; 36 s on subtensor's 12 s blocks), at least 3 s and at most 60 s; 15 s until
 * two blocks have been seen.
 */
export function chainStallMs(blockIntervalMs: number | undefined): number {
  return blockIntervalMs === undefined ? 15_000 : Math.min(60_000, Math.max(3_000, 3 * blockIntervalMs));
}
/** How often that is checked. */
const CHAIN_WATCH_MS = 1_000;

/** The pause after `failures` consecutive non-200 answers (0 for none). */
export function backoffMs(failures: number, b: FailureBackoff = DEFAULT_FAILURE_BACKOFF): number {
  if (failures <= 0) return 0;
  return Math.min(b.capMs, b.baseMs * 2 ** Math.min(failures - 1, 30));
}

/** One query's outcome (emitted as 'result'). */
export interface QueryResult extends Omit<RequestLogEntry, 'at'> {
  /** The miner's score after this result. */
  score: number;
}

export interface ValidatorEvents {
  result: [QueryResult];
  weights: [{ block: number; uids: number[]; weights: number[] }];
  error: [Error];
}

interface Job {
  circuit: ValidatorCircuit;
  inputs: RealInputs;
  uid: number;
  target: AxonTarget;
  external?: ExternalRecord;
}

/**
 * The zkinfer validator: syncs the metagraph, sends QueryZkProof requests (external requests first, then
 * weighted benchmark requests), verifies each proof against its own inputs, scores miners (§6), and sets
 * weights at the allowed cadence. All state lives in SQLite.
 */
export class Validator extends EventEmitter<ValidatorEvents> {
  readonly store: ValidatorStore;
  readonly external: ExternalQueue;
  readonly metagraph: MetagraphCache;
  /** Batches the proof checks of each circuit (docs/network.md, batch verification). */
  readonly batcher: ProofBatcher;
  /** Proof-of-weights records and epochs (when configured). */
  readonly pow: ProofOfWeights | undefined;
  private readonly replay: ReplayGuard;
  private readonly dendrite: Dendrite;
  private readonly scoring: ScoringConfig;
  private readonly rng: Rng;
  private readonly circuits: Map<string, ValidatorCircuit>;
  private readonly inflightByUid = new Map<number, number>();
  private readonly capacityByUid = new Map<number, Record<string, number>>();
  private readonly lastQueried = new Map<number, number>();
  /** Consecutive failed answers per uid and when it may be queried again (docs/network.md "Chain outages"). */
  private readonly backoff = new Map<number, { hotkey: string; failures: number; until: number }>();
  private readonly backoffCfg: FailureBackoff;
  /** The last chain error of a block sync or a stalled-chain probe, logged once until a sync succeeds. */
  private chainError: string | undefined;
  /** When the last block arrived (Date.now()); the chain watch probes the chain once none has come for a while. */
  private lastBlockAt = 0;
  /** The time between the last two blocks seen (undefined before two). */
  private blockIntervalMs: number | undefined;
  private blocksSeen = 0;
  private chainWatch: NodeJS.Timeout | undefined;
  private inflight = 0;
  private running = false;
  private unsubscribe: Unsubscribe | undefined;
  private pumpTimer: NodeJS.Timeout | undefined;
  private settingWeights = false;
  private readonly log: (line: string) => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: ValidatorOptions) {
    super();
    this.log = opts.log ?? (() => undefined);
    this.store = new ValidatorStore(opts.dbPath);
    this.circuits = new Map(opts.circuits.map((c) => [c.id, c]));
    this.external = new ExternalQueue(this.store.db, {
      validate: (r) => {
        if (!this.circuits.has(r.circuitId)) throw new UnknownCircuitError(r.circuitId, [...this.circuits.keys()]);
      },
    });
    this.replay = new ReplayGuard(this.store.db);
    this.batcher = new ProofBatcher({ windowMs: opts.verifyBatchWindowMs ?? 50, maxBatch: Math.max(1, opts.concurrency ?? 4) });
    this.dendrite = new Dendrite(opts.hotkey);
    this.scoring = { ...DEFAULT_SCORING, ...opts.scoring };
    this.backoffCfg = { ...DEFAULT_FAILURE_BACKOFF, ...opts.failureBackoff };
    const seed = opts.seed ?? Number(this.store.getMeta('seed') ?? Math.floor(Math.random() * 2 ** 31));
    this.store.setMeta('seed', String(seed));
    // Continue the benchmark stream where the last run stopped (the replay guard remembers old inputs anyway).
    this.rng = new Rng(seed + Number(this.store.getMeta('rng_epoch') ?? 0));
    this.store.setMeta('rng_epoch', String(Number(this.store.getMeta('rng_epoch') ?? 0) + 1));
    this.metagraph = new MetagraphCache(opts.chain, opts.netuid, 1_000, { log: this.log });
    this.external.on('update', (r) => { if (r.status === 'queued') this.pump(); });
    this.pow = opts.proofOfWeights ? new ProofOfWeights({
      hotkey: this.hotkey, netuid: opts.netuid, circuit: opts.proofOfWeights.circuit, db: this.store.db, dendrite: this.dendrite, batcher: this.batcher,
      scoring: this.scoring, log: this.log, scoreAnswer: (a) => this.scoreAnswer(a),
      ...(opts.competition ? { competition: { share: opts.competition.share, scores: (m) => this.competitionScores(m) } } : {}),
      candidates: (m, id) => {
        const scores = this.scores();
        return this.miners(m).filter(({ uid }) => { const caps = this.capacityByUid.get(uid); return !caps || id in caps; })
          .sort((a, b) => (scores.get(b.uid) ?? 0) - (scores.get(a.uid) ?? 0));
      },
    }) : undefined;
  }

  get hotkey(): string {
    return this.opts.hotkey.address;
  }

  /** Submit an external request (served ahead of benchmark traffic); returns its id. */
  submitExternal(req: { circuitId: string; inputs: RealInputs }): string {
    return this.external.submit(req);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Build snarkjs's shared curve once, before concurrent verifications race to build several.
    await snarkjsCurve();
    await this.sync();
    this.unsubscribe = this.opts.chain.onBlock((b) => { void this.onBlock(b); });
    this.pumpTimer = setInterval(() => this.pump(), 250);
    this.lastBlockAt = Date.now();
    this.chainWatch = setInterval(() => void this.watchChain(), CHAIN_WATCH_MS);
    this.pump();
  }

  /**
   * Blocks drive every chain read, so a chain that stops answering would go unnoticed: after chainStallMs without
   * a block the chain is asked for its height, and a failure is logged once (docs/network.md "Chain outages").
   */
  private async watchChain(): Promise<void> {
    if (!this.running || this.chainError !== undefined || Date.now() - this.lastBlockAt < chainStallMs(this.blockIntervalMs)) return;
    try {
      await this.opts.chain.currentBlock();
    } catch (e) {
      if (!this.running || this.chainError !== undefined) return;
      this.chainError = (e as Error).message;
      this.log(`validator: the chain does not answer (${this.chainError}); no block for ${Math.round((Date.now() - this.lastBlockAt) / 1000)} s: scores kept, queries go on with the last metagraph, weights wait until it is back`);
    }
  }

  /** Stop querying; waits for queries in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.pumpTimer) clearInterval(this.pumpTimer);
    if (this.chainWatch) clearInterval(this.chainWatch);
    this.batcher.flushAll();
    await Promise.allSettled([...this.pending]);
    this.dendrite.close();
  }

  /** Close the database (after stop). */
  close(): void {
    this.store.close();
  }

  /** Current scores by uid. */
  scores(): Map<number, number> {
    return new Map(this.store.scores().map((r) => [r.uid, r.score]));
  }

  /** Last weights set (u16 by uid). */
  lastWeights(): Map<number, number> {
    const raw = this.store.getMeta('last_weights');
    if (!raw) return new Map();
    const { uids, weights } = JSON.parse(raw) as { uids: number[]; weights: number[] };
    return new Map(uids.map((u, i) => [u, weights[i]!]));
  }

  /** Refresh the metagraph, forget deregistered uids, reset uids whose hotkey changed, refresh capacities. */
  async sync(): Promise<Metagraph> {
    const m = await this.metagraph.refresh();
    for (const row of this.store.scores()) {
      if (row.uid >= m.n) this.store.deleteScore(row.uid);
      else if (m.hotkeys[row.uid] !== row.hotkey) this.store.putScore(row.uid, m.hotkeys[row.uid]!, 0, 'reset');
    }
    await Promise.all(
      this.miners(m).map(async ({ uid, target }) => {
        if (this.capacityByUid.has(uid) || this.backedOff(uid, Date.now())) return;
        const r = await this.dendrite.call<QueryForCapacities>(target, SYNAPSES.QueryForCapacities, {}, 5, { extraBytes: CAPACITIES_ANSWER_BYTES });
        if (r.status === 200 && r.synapse?.capacities) this.capacityByUid.set(uid, r.synapse.capacities);
      }),
    );
    return m;
  }

  private miners(m: Metagraph): Array<{ uid: number; target: AxonTarget }> {
    const out: Array<{ uid: number; target: AxonTarget }> = [];
    for (let uid = 0; uid < m.n; uid++) {
      const a = m.axons[uid];
      if (!a || a.port <= 0 || m.hotkeys[uid] === this.hotkey) continue;
      out.push({ uid, target: { ip: a.ip, port: a.port, hotkey: m.hotkeys[uid]! } });
    }
    return out;
  }

  /**
   * Sync and maybe set weights. A chain error is logged once until a sync succeeds again; scores are kept and
   * queries go on with the last metagraph (docs/network.md "Chain outages").
   */
  private async onBlock(block: number): Promise<void> {
    if (!this.running) return;
    const now = Date.now();
    if (++this.blocksSeen > 1) this.blockIntervalMs = now - this.lastBlockAt;
    this.lastBlockAt = now;
    try {
      const m = await this.sync();
      if (this.chainError !== undefined) this.log(`validator: chain reads work again at block ${block}`);
      this.chainError = undefined;
      await this.maybeSetWeights(block, m);
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== this.chainError) this.log(`validator: block ${block}: ${msg}${this.metagraph.outageSince !== undefined ? ' (scores kept; retrying each block)' : ''}`);
      this.chainError = msg;
    }
    this.pump();
  }

  /** Whether `uid` is waiting out its failure backoff at `now`. */
  private backedOff(uid: number, now: number): boolean {
    return now < (this.backoff.get(uid)?.until ?? 0);
  }

  /** Consecutive failed answers of `uid` (0 once an answer verifies). */
  failureStreak(uid: number): number {
    return this.backoff.get(uid)?.failures ?? 0;
  }

  /**
   * Count a failed answer (non-200, or a 200 that does not verify) toward the uid's backoff, or end it on a verified
   * one (docs/network.md "Chain outages").
   */
  private noteAnswer(uid: number, hotkey: string, verified: boolean, status: number): void {
    const prev = this.backoff.get(uid);
    if (verified) {
      if (prev && prev.failures >= 2) this.log(`validator: uid ${uid} answers again after ${prev.failures} failed queries`);
      this.backoff.delete(uid);
      return;
    }
    const failures = prev && prev.hotkey === hotkey ? prev.failures + 1 : 1;
    const wait = backoffMs(failures, this.backoffCfg);
    this.backoff.set(uid, { hotkey, failures, until: Date.now() + wait });
    if (failures === 2 || (wait === this.backoffCfg.capMs && backoffMs(failures - 1, this.backoffCfg) < wait)) {
      this.log(`validator: uid ${uid} failed ${failures} queries in a row (last ${status}${status === 200 ? ', not verified' : ''}); backing off, next query in ${wait / 1000} s${wait === this.backoffCfg.capMs ? ' (the cap)' : ', doubling each failure'}`);
    }
  }

  /** Set weights when the rate limit allows and there is something to set. */
  /** The last reason weights were held back (logged once per change). */
  private lastRefusal: string | undefined;

  /** Block of the current weights attempt (the competition entries' age is counted from it). */
  private block = 0;

  /** Competition score per uid of `m`, stale entries expired (docs/competitions.md, weights). */
  private competitionScores(m: Metagraph): Map<number, number> {
    const c = this.opts.competition;
    return c ? competitionScores(c.leaderboards(), m, { block: this.block, maxBlocks: c.maxAgeBlocks ?? DEFAULT_MAX_AGE_BLOCKS }) : new Map();
  }

  async maybeSetWeights(block: number, m?: Metagraph): Promise<boolean> {
    if (this.settingWeights) return false;
    const hp = await this.opts.chain.hyperparameters(this.opts.netuid);
    const every = Math.max(this.opts.weightsEveryBlocks ?? hp.weightsRateLimit, hp.weightsRateLimit);
    const last = Number(this.store.getMeta('last_weights_block') ?? -Infinity);
    if (block - last < every) return false;
    const meta = m ?? (await this.metagraph.get());
    const c = this.opts.competition;
    this.block = block;
    const table = c ? blendScores(this.scores(), this.competitionScores(meta), c.share) : this.scores();
    const scores = new Map([...table].filter(([uid]) => uid < meta.n && meta.hotkeys[uid] !== this.hotkey));
    let { uids, weights } = weightsForEmit(scores);
    if (uids.length === 0) return false;
    const refusal = weightsRefusal(hp, meta, this.hotkey, uids);
    if (refusal !== undefined) {
      if (refusal !== this.lastRefusal) this.log(`validator: not setting weights: ${refusal}`);
      this.lastRefusal = refusal;
      return false;
    }
    this.lastRefusal = undefined;
    this.settingWeights = true;
    try {
      let powRecord: number | undefined;
      if (this.pow) {
        // the weights set are exactly those the proven scores imply (docs/network.md, proof of weights)
        const p = await this.pow.weightsFor(meta);
        if (!p) return false;
        ({ uids, weights } = p);
        powRecord = p.recordId;
        const again = weightsRefusal(hp, meta, this.hotkey, uids);
        if (again !== undefined) { this.log(`validator: not setting proven weights yet: ${again}`); return false; }
      }
      // commit-reveal subnets get a timelocked commit the chain reveals (docs/chain.md "Commit-reveal weights")
      const r = await setWeightsOrCommit(this.opts.chain, this.opts.hotkey, { netuid: this.opts.netuid, uids, weights, versionKey: Math.max(VERSION_KEY, hp.weightsVersion) });
      if (r.revealRound !== undefined) this.log(`validator: weights committed at block ${r.block}, revealed at beacon round ${r.revealRound}`);
      this.store.setMeta('last_weights_block', String(r.block));
      this.store.setMeta('last_weights', JSON.stringify({ uids, weights }));
      if (powRecord !== undefined) this.pow!.markSet(powRecord, r.block);
      this.emit('weights', { block: r.block, uids, weights });
      return true;
    } catch (e) {
      this.log(`validator: set_weights failed: ${(e as Error).message}`);
      return false;
    } finally {
      this.settingWeights = false;
    }
  }

  /** Fill the free query slots: external requests first, then benchmark requests. */
  private pump(): void {
    if (!this.running) return;
    const m = this.metagraph.peek();
    if (!m) return;
    const limit = this.opts.concurrency ?? 4;
    while (this.inflight < limit) {
      const job = this.nextJob(m);
      if (!job) break;
      this.inflight++;
      this.inflightByUid.set(job.uid, (this.inflightByUid.get(job.uid) ?? 0) + 1);
      this.lastQueried.set(job.uid, Date.now());
      const p = this.run(job)
        .catch((e: Error) => this.log(`validator: query failed: ${e.stack ?? e.message}`))
        .finally(() => {
          this.inflight--;
          this.inflightByUid.set(job.uid, (this.inflightByUid.get(job.uid) ?? 1) - 1);
          this.pending.delete(p);
          this.pump();
        });
      this.pending.add(p);
    }
  }

  /** Miners with a free slot for a circuit, least recently queried first. */
  private freeMiners(m: Metagraph, circuitId: string): Array<{ uid: number; target: AxonTarget }> {
    const interval = this.opts.benchmarkIntervalMs ?? 0;
    const now = Date.now();
    return this.miners(m)
      .filter(({ uid }) => {
        const caps = this.capacityByUid.get(uid);
        if (caps && !(circuitId in caps)) return false;
        const cap = Math.max(1, caps?.[circuitId] ?? 1);
        return (this.inflightByUid.get(uid) ?? 0) < cap && now - (this.lastQueried.get(uid) ?? 0) >= interval && !this.backedOff(uid, now);
      })
      .sort((a, b) => (this.lastQueried.get(a.uid) ?? 0) - (this.lastQueried.get(b.uid) ?? 0));
  }

  private nextJob(m: Metagraph): Job | undefined {
    if (this.external.pending() > 0) {
      // Peek which circuit the oldest request needs before taking it.
      const next = this.external.peek();
      const circuit = next ? this.circuits.get(next.circuitId) : undefined;
      if (next && !circuit) {
        const taken = this.external.take();
        if (taken) this.external.fail(taken.id, `circuit ${taken.circuitId} is no longer served`);
        return this.nextJob(m);
      }
      if (next && circuit) {
        const free = this.freeMiners(m, circuit.id);
        // External requests go to the best-scoring free miner.
        const scores = this.scores();
        free.sort((a, b) => (scores.get(b.uid) ?? 0) - (scores.get(a.uid) ?? 0));
        const miner = free[0];
        if (!miner) return undefined; // wait for capacity rather than run benchmarks ahead of users
        const rec = this.external.take();
        if (!rec) return undefined;
        return { circuit, inputs: rec.inputs, uid: miner.uid, target: miner.target, external: rec };
      }
    }
    const circuit = pickCircuit([...this.circuits.values()], () => this.rng.next());
    if (!circuit) return undefined;
    const miner = this.freeMiners(m, circuit.id)[0];
    if (!miner) return undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const inputs = circuit.generate(() => this.rng.next());
      try {
        encodeInputs(circuit.artifacts.metadata, inputs); // never blame a miner for inputs the circuit cannot take
      } catch (e) {
        this.log(`validator: generated inputs for ${circuit.artifacts.metadata.name} are not encodable: ${(e as Error).message}`);
        continue;
      }
      if (this.replay.admit({ circuit: circuit.id, inputs })) return { circuit, inputs, uid: miner.uid, target: miner.target };
    }
    this.log(`validator: generator of ${circuit.artifacts.metadata.name} keeps repeating inputs`);
    return undefined;
  }

  private async run(job: Job): Promise<void> {
    const { circuit, inputs, uid, target } = job;
    const meta = circuit.artifacts.metadata;
    const r = await this.dendrite.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: circuit.id, public_inputs: inputs } }, circuit.timeoutS, { extraBytes: proofAnswerBytes(meta.publicLayout.total) });
    let verified = false;
    let error: string | undefined;
    let proofSize = 0;
    let publicSignals: string[] = [];
    let proof: unknown;
    if (r.status !== 200) {
      error = `${r.status}: ${r.message}`;
    } else {
      try {
        const out = QueryOutputSchema.parse(JSON.parse(r.synapse?.query_output ?? 'null'));
        proof = out.proof;
        proofSize = Buffer.byteLength(JSON.stringify(out.proof ?? null));
        const check = await this.batcher.verify(circuit.artifacts, { response: out, inputs });
        publicSignals = check.publicSignals;
        verified = check.valid;
        if (!verified) error = check.reason ?? 'proof does not verify';
      } catch (e) {
        error = `invalid query_output: ${(e as Error).message}`;
      }
    }
    const score = this.scoreAnswer({ uid, hotkey: target.hotkey, circuitId: circuit.id, source: job.external ? 'external' : 'benchmark', status: r.status, verified, rtS: r.elapsedS, proofSize, ...(error ? { error } : {}) });
    if (score === undefined) return; // the uid changed hands while we waited; discard
    const hotkey = target.hotkey;
    if (job.external) {
      if (verified) {
        this.external.complete(job.external.id, { proof, publicSignals, outputs: decodeOutputs(meta, publicSignals), minerUid: uid, minerHotkey: hotkey, responseMs: Math.round(r.elapsedS * 1000) });
      } else if (job.external.attempts < (this.opts.externalAttempts ?? 3)) {
        this.external.requeue(job.external.id, `miner ${uid}: ${error ?? 'failed'}`);
      } else {
        this.external.fail(job.external.id, `no valid proof after ${job.external.attempts} attempts; last: miner ${uid}: ${error ?? 'failed'}`);
      }
    }
  }

  /**
   * Score one miner answer (docs/network.md, scoring), log it and emit 'result': benchmark, external and
   * proof-of-weights answers alike. Returns the new score, or undefined when the uid changed hands meanwhile.
   */
  scoreAnswer(a: Omit<RequestLogEntry, 'at'>): number | undefined {
    const m = this.metagraph.peek();
    if (m && m.hotkeys[a.uid] !== a.hotkey) return undefined;
    const prev = this.store.score(a.uid);
    const base = prev && prev.hotkey === a.hotkey ? prev.score : 0;
    let score: number;
    if (a.verified) {
      this.store.addRtSample(a.circuitId, a.rtS);
      const bounds = rtBounds(this.store.rtSamples(a.circuitId), this.scoring);
      const quality = responseQuality({ rt: a.rtS, proofSize: a.proofSize, bounds }, this.scoring);
      score = updateScore(base, { verified: true, quality, nUids: m?.n ?? 1 }, this.scoring);
    } else {
      score = updateScore(base, { verified: false }, this.scoring);
    }
    this.store.putScore(a.uid, a.hotkey, score, a.verified ? 'verified' : 'failed');
    this.noteAnswer(a.uid, a.hotkey, a.verified, a.status);
    this.store.logRequest({ at: Date.now(), ...a });
    this.emit('result', { ...a, score });
    return score;
  }
}
