/**
 * Proof of weights (docs/network.md, proof of weights): each weights epoch the validator sends its score-update
 * inputs to a miner as `ProofOfWeightsSynapse` for the `scoring-ema` circuit, verifies the proof with its OWN
 * inputs bound, stores the record (pow-records.ts), and the weights it then sets are exactly
 * weightsForEmit(proven scores). The miner is scored for the answer like for any other proof.
 *
 * The circuit takes 16 uids (its batch): the uids are split into chunks of 16 in uid order, one synapse and one
 * proof per chunk (sent in parallel, to different miners when there are several), and weights are set only when
 * every chunk's proof verified — a subnet of 256 uids is 16 proofs per epoch.
 *
 * Inputs per uid (one column of a chunk's circuit input, uids in order, the rest padding):
 *   score_scaled = the uid's proven score of the previous record (0 for a new hotkey) — the records chain;
 *   verified     = 1 when the uid answered at least one proof this epoch and none failed, else 0 (decay);
 *   rt_norm      = (median verified rt − min_rt) / (max_rt − min_rt) over the epoch, clamped to [0, 1];
 *   size_frac    = median proof size / size_norm, clamped to [0, 1];
 *   output_score = the uid's competition score in [0, 1] (docs/competitions.md, weights), 0 without competitions.
 * The weights set are weightsForEmit(blendScores(proven scores, output_score row, share)): the competition scores
 * are public inputs bound by the proof and the blend is public arithmetic on them and the proven scores (like the
 * u16 normalisation), so `zkinfer verify-weights` recomputes the weights from the record alone.
 */
import type Database from 'better-sqlite3';
import { InvalidInputError } from '../errors/base.js';
import type { Metagraph } from '../chain/types.js';
import { decodeOutputs } from '../protocol/circuit-io.js';
import type { AxonTarget, Dendrite } from '../protocol/dendrite.js';
import { proofAnswerBytes, SYNAPSES, type ProofOfWeightsSynapse } from '../protocol/synapses.js';
import type { ValidatorCircuit } from './circuits.js';
import { PowRecords, provenWeights, type PowChunk } from './pow-records.js';
import type { ProofBatcher } from './proof-batcher.js';
import { median, rtBounds, type ScoringConfig } from './scoring.js';
import type { RequestLogEntry } from './store.js';

export interface ProofOfWeightsDeps {
  hotkey: string;
  netuid: number;
  /** The scoring-ema circuit (input [rows, batch], output [1, batch]). */
  circuit: ValidatorCircuit;
  db: Database.Database;
  dendrite: Dendrite;
  batcher: ProofBatcher;
  scoring: ScoringConfig;
  /** Miners to ask, best first. */
  candidates(m: Metagraph, circuitId: string): Array<{ uid: number; target: AxonTarget }>;
  /** Score the answering miner like any other proof. */
  scoreAnswer(a: Omit<RequestLogEntry, 'at'>): number | undefined;
  log(line: string): void;
  /** Miners tried per chunk before giving up (default 3). */
  attempts?: number;
  /** Competition scores blended into the proven weights (share in [0, 1], scores per uid in [0, 1]). */
  competition?: { share: number; scores(m: Metagraph): Map<number, number> };
}

/** One chunk of the epoch's uids (at most the circuit's batch) and its circuit input. */
interface ChunkInput { uids: number[]; hotkeys: string[]; input: number[] }

/** Weights to set and the record they come from. */
export interface PowWeights { recordId: number; uids: number[]; weights: number[] }

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export class ProofOfWeights {
  readonly records: PowRecords;
  private readonly batch: number;

  constructor(private readonly d: ProofOfWeightsDeps) {
    this.records = new PowRecords(d.db);
    const md = d.circuit.artifacts.metadata;
    const shape = md.inputs[0]?.shape ?? [];
    if (md.inputs.length !== 1 || shape.length !== 2 || shape[0] !== 5) {
      throw new InvalidInputError(`circuit ${md.name} is not a scoring-ema circuit (one input of shape [5, batch], got ${JSON.stringify(md.inputs.map((t) => t.shape))})`, {
        hint: 'pass --proof-of-weights the compiled scoring-ema zoo model (e.g. `--proof-of-weights scoring-ema`)',
      });
    }
    this.batch = shape[1]!;
  }

  /**
   * The epoch's circuit inputs for the miners of `m`: one chunk per `batch` uids (in uid order), each chunk's
   * input rows × batch flattened.
   */
  epochInputs(m: Metagraph): { chunks: ChunkInput[]; lastRequestId: number } {
    const prev = this.records.latest();
    const prevScore = new Map<number, { hotkey: string; score: number }>();
    for (const c of prev?.chunks ?? []) c.uids.forEach((u, j) => prevScore.set(u, { hotkey: c.hotkeys[j] ?? '', score: c.scores[j]! }));
    const since = prev?.lastRequestId ?? 0;
    const rows = this.d.db.prepare(`SELECT id, uid, hotkey, verified, rt, proof_size FROM requests WHERE id > ? ORDER BY id`).all(since) as Array<{ id: number; uid: number; hotkey: string; verified: number; rt: number; proof_size: number }>;
    const lastRequestId = rows.length ? rows[rows.length - 1]!.id : since;
    const all: number[] = [];
    for (let uid = 0; uid < m.n; uid++) if (m.hotkeys[uid] !== this.d.hotkey && ((m.axons[uid]?.port ?? 0) > 0 || prevScore.has(uid))) all.push(uid);
    const mine = (u: number, hk: string) => rows.filter((r) => r.uid === u && r.hotkey === hk);
    const bounds = rtBounds(rows.filter((r) => r.verified).map((r) => r.rt), this.d.scoring);
    const comp = this.d.competition && this.d.competition.share > 0 ? this.d.competition.scores(m) : new Map<number, number>();
    const chunks: ChunkInput[] = [];
    for (let k = 0; k < all.length; k += this.batch) {
      const uids = all.slice(k, k + this.batch);
      const hotkeys = uids.map((u) => m.hotkeys[u]!);
      const R = Array.from({ length: 5 }, () => new Array<number>(this.batch).fill(0));
      uids.forEach((u, j) => {
        R[4]![j] = clamp01(comp.get(u) ?? 0);
        const p = prevScore.get(u);
        R[0]![j] = p && p.hotkey === hotkeys[j] ? p.score : 0;
        const rs = mine(u, hotkeys[j]!);
        const ok = rs.filter((r) => r.verified);
        R[1]![j] = ok.length > 0 && ok.length === rs.length ? 1 : 0;
        R[2]![j] = ok.length ? clamp01((median(ok.map((r) => r.rt)) - bounds.minRt) / (bounds.maxRt - bounds.minRt)) : 0;
        R[3]![j] = ok.length ? clamp01(median(ok.map((r) => r.proof_size)) / this.d.scoring.sizeNorm) : 0;
      });
      chunks.push({ uids, hotkeys, input: R.flat() });
    }
    return { chunks, lastRequestId };
  }

  /**
   * The weights to set now: a pending record's (a crash after storing it), else new proofs of this epoch's score
   * update, one per chunk of `batch` uids, asked in parallel (chunk k starts at the k-th candidate, so chunks go to
   * different miners). Undefined — weights held back — when a chunk got no verified proof from any miner tried,
   * or every proven score is 0 (nothing is set).
   */
  async weightsFor(m: Metagraph): Promise<PowWeights | undefined> {
    const prev = this.records.latest();
    if (prev?.status === 'pending') return { recordId: prev.id, uids: prev.weight_uids, weights: prev.weights };
    const { chunks, lastRequestId } = this.epochInputs(m);
    if (chunks.length === 0) return undefined;
    const { circuit } = this.d;
    const candidates = this.d.candidates(m, circuit.id);
    const attempts = Math.min(this.d.attempts ?? 3, candidates.length);
    if (attempts === 0) {
      this.d.log(`validator: no miner serves the proof-of-weights circuit ${circuit.id.slice(0, 16)}…; weights held back`);
      return undefined;
    }
    const proven = await Promise.all(chunks.map((c, k) =>
      this.proveChunk(c, Array.from({ length: attempts }, (_, i) => candidates[(k + i) % candidates.length]!))));
    const missing = chunks.filter((_, k) => !proven[k]);
    if (missing.length > 0) {
      this.d.log(`validator: proof of weights: no verified proof for ${missing.length} of ${chunks.length} chunks (uids ${missing.map((c) => `${c.uids[0]}…${c.uids[c.uids.length - 1]}`).join(', ')}); weights held back`);
      return undefined;
    }
    const done = proven as PowChunk[];
    const share = this.d.competition?.share ?? 0;
    const w = provenWeights({ chunks: done, competition_share: share });
    if (w.uids.length === 0) return undefined;
    const prevEpoch = this.records.latest()?.epoch;
    const body = {
      epoch: prevEpoch === undefined ? 0 : prevEpoch + 1, netuid: this.d.netuid, validator_hotkey: this.d.hotkey, circuit_id: circuit.id,
      chunks: done, competition_share: share, weight_uids: w.uids, weights: w.weights, created_at: Date.now(),
    };
    const recordId = this.records.add(body, lastRequestId);
    return { recordId, uids: w.uids, weights: w.weights };
  }

  /** One chunk's proof from the first of `tried` whose answer verifies with the chunk's own inputs bound. */
  private async proveChunk(chunk: ChunkInput, tried: Array<{ uid: number; target: AxonTarget }>): Promise<PowChunk | undefined> {
    const { circuit } = this.d;
    const md = circuit.artifacts.metadata;
    const inputs = { [md.inputs[0]!.name]: chunk.input };
    for (const c of tried) {
      const r = await this.d.dendrite.call<ProofOfWeightsSynapse>(c.target, SYNAPSES.ProofOfWeightsSynapse, {
        verification_key_hash: circuit.id, inputs, proof: '', public_signals: '',
      }, circuit.timeoutS, { extraBytes: proofAnswerBytes(md.publicLayout.total) });
      let error: string | undefined;
      let proof: unknown;
      let publicSignals: string[] = [];
      let proofSize = 0;
      if (r.status !== 200 || !r.synapse) {
        error = `${r.status}: ${r.message}`;
      } else {
        try {
          proof = JSON.parse(r.synapse.proof);
          const sig = JSON.parse(r.synapse.public_signals) as unknown;
          if (!Array.isArray(sig) || !sig.every((s) => typeof s === 'string')) throw new Error('public_signals is not a JSON array of strings');
          proofSize = Buffer.byteLength(r.synapse.proof);
          const check = await this.d.batcher.verify(circuit.artifacts, { response: { proof, public_signals: sig as string[] }, inputs });
          publicSignals = check.publicSignals;
          if (!check.valid) error = check.reason ?? 'proof does not verify';
        } catch (e) {
          error = `invalid proof-of-weights answer: ${(e as Error).message}`;
        }
      }
      this.d.scoreAnswer({ uid: c.uid, hotkey: c.target.hotkey, circuitId: circuit.id, source: 'proof-of-weights', status: r.status, verified: error === undefined, rtS: r.elapsedS, proofSize, ...(error ? { error } : {}) });
      if (error !== undefined) {
        this.d.log(`validator: proof of weights (uids ${chunk.uids[0]}…${chunk.uids[chunk.uids.length - 1]}) from miner ${c.uid} refused: ${error}`);
        continue;
      }
      const out = Object.values(decodeOutputs(md, publicSignals))[0]!;
      return {
        uids: chunk.uids, hotkeys: chunk.hotkeys, inputs: chunk.input, scores: chunk.uids.map((_, j) => out[j]!),
        proof, public_signals: publicSignals, miner_uid: c.uid, miner_hotkey: c.target.hotkey,
      };
    }
    return undefined;
  }

  /** The record's weights are on chain at `block`. */
  markSet(recordId: number, block: number): void {
    this.records.markSet(recordId, block);
  }
}
