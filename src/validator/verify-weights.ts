/**
 * `zkinfer verify-weights --validator URL` (docs/network.md, proof of weights): fetch the validator's latest
 * proof-of-weights record whose weights were set, check every chunk's proof (vk hashes to the circuit id; the proof
 * verifies with that chunk's own inputs bound; its outputs are that chunk's scores; no uid in two chunks), that
 * the weights follow from the proven scores of all chunks (weightsForEmit over their union), and that the chain
 * holds exactly those weights for the validator's uid, set at the record's block.
 */
import type { CircuitView, InferenceView } from '../api/wire.js';
import type { Chain } from '../chain/types.js';
import { ZkinferClient } from '../client/client.js';
import { verifyInference } from '../client/verify.js';
import { ZkinferError } from '../errors/base.js';
import { provenWeights, type PowChunk, type PowRecord } from './pow-records.js';

export class VerifyWeightsError extends ZkinferError {
  override readonly name = 'VerifyWeightsError';
}

/** One chunk's proof check (16 uids). */
export interface ChunkCheck { index: number; uids: number[]; minerUid: number; proof: boolean }

export interface VerifyWeightsResult {
  valid: boolean;
  record: PowRecord;
  chunks: ChunkCheck[];
  checks: { proof: boolean; weightsFollowScores: boolean; chainMatches: boolean; circuitPinned: boolean | undefined };
  /** The validator's weights on chain now ([uid, u16]), and the block they were set at. */
  chainWeights: Array<[number, number]>;
  chainLastUpdate: number;
  problems: string[];
  unchecked: string[];
}

const samePairs = (a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>) =>
  a.length === b.length && a.every(([u, w], i) => b[i]![0] === u && b[i]![1] === w);

/**
 * Check the latest record against the chain. A validator setting weights while this runs makes the chain newer
 * than the record read (its newest record was still pending): read again, up to `retries` times.
 */
export async function verifyWeights(o: { validatorUrl: string; chain: Chain; circuitId?: string; retries?: number }): Promise<VerifyWeightsResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await verifyOnce(o);
    const newer = r.chainLastUpdate > (r.record.block ?? 0);
    if (r.valid || !newer || attempt >= (o.retries ?? 3)) return r;
    await new Promise((res) => setTimeout(res, 1_000));
  }
}

/**
 * One chunk's proof: the vk hashes to the circuit id, the proof verifies with the chunk's OWN inputs bound, and its
 * outputs are the chunk's scores (padding columns — score 0, not verified — prove 0).
 */
async function verifyChunk(record: PowRecord, k: number, chunk: PowChunk, circuit: CircuitView, vk: unknown, pinnedCircuitId: string | undefined) {
  const out = circuit.outputs[0];
  const batch = out ? out.shape.reduce((a, b) => a * b, 1) : 0;
  if (chunk.uids.length > batch) {
    return { valid: false, problems: [`${chunk.uids.length} uids in a chunk, more than the circuit's batch of ${batch}`], unchecked: [], checks: { proof: false, vkMatchesCircuit: false, outputMatches: false, circuitPinned: undefined } };
  }
  const inference = {
    id: `pow-${record.id}-${k}`, status: 'verified', circuit_id: record.circuit_id, proof: chunk.proof, public_signals: chunk.public_signals,
    output: out ? { [out.name]: [...chunk.scores, ...new Array<number>(Math.max(0, batch - chunk.scores.length)).fill(0)] } : {},
  } as unknown as InferenceView;
  const input = circuit.inputs[0];
  return verifyInference(inference, circuit, vk, {
    ...(input ? { tensors: { [input.name]: chunk.inputs } } : {}),
    ...(pinnedCircuitId ? { pinnedCircuitId } : {}),
  });
}

async function verifyOnce(o: { validatorUrl: string; chain: Chain; circuitId?: string }): Promise<VerifyWeightsResult> {
  // the API client: its time limit, size cap, no redirects, and typed errors for an unreachable or foreign URL
  const api = new ZkinferClient({ url: o.validatorUrl, timeoutMs: 30_000 });
  const records = await api.proofOfWeights(50);
  const record = records.find((r) => r.status === 'set');
  if (!record) throw new VerifyWeightsError('NO_RECORD', `the validator has no proof-of-weights record with weights set yet (${records.length} pending)`, { hint: 'wait for its next weights epoch' });
  const circuit = await api.circuit(record.circuit_id);
  const vk = await api.vk(record.circuit_id);
  const problems: string[] = [];
  const unchecked = new Set<string>();
  const chunks: ChunkCheck[] = [];
  let circuitPinned: boolean | undefined;
  for (const [k, chunk] of record.chunks.entries()) {
    const v = await verifyChunk(record, k, chunk, circuit, vk, o.circuitId);
    circuitPinned = v.checks.circuitPinned;
    const ok = v.valid && v.checks.proof && v.checks.vkMatchesCircuit && v.checks.outputMatches;
    chunks.push({ index: k, uids: chunk.uids, minerUid: chunk.miner_uid, proof: ok });
    for (const p of v.problems) problems.push(`chunk ${k} (uids ${chunk.uids.join(',')}): ${p}`);
    for (const u of v.unchecked) unchecked.add(u);
  }
  const seen = new Set<number>();
  for (const u of record.chunks.flatMap((c) => c.uids)) {
    if (seen.has(u)) problems.push(`uid ${u} is in more than one chunk`);
    seen.add(u);
  }
  const proofOk = chunks.every((c) => c.proof) && seen.size === record.chunks.reduce((n, c) => n + c.uids.length, 0);
  const implied = provenWeights(record);
  const weightsFollowScores = samePairs(implied.uids.map((u, i) => [u, implied.weights[i]!]), record.weight_uids.map((u, i) => [u, record.weights[i]!]));
  if (!weightsFollowScores) problems.push('the record\'s weights are not what its proven scores imply');
  const uid = await o.chain.uidOf(record.netuid, record.validator_hotkey);
  if (uid === undefined) throw new VerifyWeightsError('NOT_REGISTERED', `validator ${record.validator_hotkey} is not registered on subnet ${record.netuid} of this chain`, { hint: 'pass the --network the validator runs on' });
  if (!o.chain.weights) throw new VerifyWeightsError('UNSUPPORTED', 'this chain backend cannot read weights');
  const chainWeights = await o.chain.weights(record.netuid, uid);
  const m = await o.chain.metagraph(record.netuid);
  let chainMatches = samePairs(chainWeights, record.weight_uids.map((u, i) => [u, record.weights[i]!]));
  if (!chainMatches) problems.push(`the weights on chain (${JSON.stringify(chainWeights)}) differ from the record's`);
  if (m.lastUpdate[uid] !== record.block) {
    chainMatches = false;
    problems.push(`the validator's weights on chain were set at block ${m.lastUpdate[uid]}, the record's at block ${record.block}`);
  }
  return {
    valid: proofOk && weightsFollowScores && chainMatches, record, chunks, chainWeights, chainLastUpdate: m.lastUpdate[uid] ?? 0, problems, unchecked: [...unchecked],
    checks: { proof: proofOk, weightsFollowScores, chainMatches, circuitPinned },
  };
}
