/**
 * The validator's side of a competition (docs/competitions.md): read the task's submissions from the chain's
 * commitments, download each circuit's metadata and vk from its miner, check sha256(vk) = the commitment and
 * that the circuit's I/O matches the task, send the hidden inputs, verify every proof with the validator's
 * own inputs bound, score the proven outputs against ground truth, and rank.
 */
import { randomInt } from 'node:crypto';
import type { Chain } from '../chain/types.js';
import { decodeOutputs, type RealInputs } from '../protocol/circuit-io.js';
import type { Dendrite } from '../protocol/dendrite.js';
import { parsePyJson, pyToJs } from '../protocol/py-json.js';
import { proofAnswerBytes, QueryOutputSchema, SYNAPSES, type CompetitionArtifacts, type QueryZkProof } from '../protocol/synapses.js';
import { DEFAULT_SCORING, median, responseQuality, rtBounds, type ScoringConfig } from '../validator/scoring.js';
import { verifyMinerProof } from '../validator/verify-proof.js';
import { circuitIdOfVk } from '../zkml/format/circuit-id-node.js';
import { checkLayout } from '../zkml/format/layout.js';
import { CircuitMetadataSchema, type CircuitMetadata } from '../zkml/format/metadata.js';
import { sourceFromWire } from '../zkml/source.js';
import { auditInChild } from './audit-process.js';
import type { AuditVerdicts } from './audit-verdicts.js';
import { submissionsOf } from './commitment.js';
import { competitionWindow, type WindowOverride } from './window.js';
import { rankEntries, type Leaderboard, type LeaderboardEntry } from './leaderboard.js';
import type { CompetitionTask, EvalItem } from './task.js';

export interface EvaluateOptions {
  task: CompetitionTask;
  chain: Chain;
  netuid: number;
  /** Signed by the validator's hotkey (miners answer validator-permit holders only). */
  dendrite: Dendrite;
  /** Seed of the hidden evaluation set; default: fresh randomness, so miners cannot know it in advance. */
  seed?: number;
  /** Hidden set size (default: the task's evalCount). */
  count?: number;
  /** Accept INSECURE-DEV circuits (development networks only; docs/security.md). */
  allowInsecureDev?: boolean;
  /** Per-query timeout, seconds (default 60). */
  timeoutS?: number;
  log?: (line: string) => void;
  /** Aborts the evaluation between queries (a validator stopping: docs/competitions.md); it rejects with the abort reason. */
  signal?: AbortSignal;
  /** The round's blocks (default: the task's own; window.ts). */
  window?: WindowOverride;
  /** The validator's prepared powers of tau, to audit ceremony circuits against (audit.ts). */
  ceremonyPtau?: string;
  /** Time limit of one audit, seconds (audit-process.ts; default 300): a submission whose audit takes longer is rejected. */
  auditTimeoutS?: number;
  /** Memory cap of one audit process, MiB (audit-process.ts; default 4096): a submission whose audit needs more is rejected. */
  auditMemoryMiB?: number;
  /** Audit verdicts, kept across evaluations (and with a file, across restarts): audit-verdicts.ts. */
  audits?: AuditVerdicts;
}

/** The task's weights as the validator's scoring formula (docs/network.md, scoring): w_out·output_score + w_time·(1 − h) − w_size·size. */
export function taskScoring(task: CompetitionTask): ScoringConfig {
  const w = task.competition.weights;
  return { ...DEFAULT_SCORING, wOutput: w.accuracy, wSize: w.proofSize, wTime: w.proveTime };
}

type Fetched = { ok: true; metadata: CircuitMetadata; vk: Record<string, unknown> } | { ok: false; status: 'rejected' | 'unreachable'; reason: string };

/** Why a downloaded circuit cannot be the committed submission for `task`, or undefined when it can. */
export function submissionProblem(task: CompetitionTask, committedId: string, metadata: CircuitMetadata, vk: Record<string, unknown>, allowInsecureDev: boolean): string | undefined {
  const id = circuitIdOfVk(vk);
  if (id !== committedId) return `sha256(vk) ${id.slice(0, 16)}… is not the committed circuit id ${committedId.slice(0, 16)}…`;
  if (metadata.id !== id) return `metadata.id ${metadata.id.slice(0, 16)}… is not sha256(vk)`;
  if (metadata.security === 'INSECURE-DEV' && !allowInsecureDev) return 'INSECURE-DEV circuit (its powers of tau has a known secret); compile with --ptau from a ceremony';
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (metadata.inputs.length !== 1 || size(metadata.inputs[0]!.shape) !== size(task.inputShape)) {
    return `inputs ${JSON.stringify(metadata.inputs.map((t) => t.shape))} do not match the task's one input of shape [${task.inputShape.join(', ')}]`;
  }
  if (metadata.outputs.length !== 1 || size(metadata.outputs[0]!.shape) !== size(task.outputShape)) {
    return `outputs ${JSON.stringify(metadata.outputs.map((t) => t.shape))} do not match the task's one output of shape [${task.outputShape.join(', ')}]`;
  }
  try {
    checkLayout(metadata, typeof vk['nPublic'] === 'number' ? vk['nPublic'] : undefined);
  } catch (e) {
    return `public-signal layout: ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * The JSON values one downloaded artifact (metadata, verification key, source) may hold (docs/network.md, "Hostile
 * miners"): 65,536 plus 8 per public signal of the task's circuit. Past it the answer is refused before more of it is
 * built: JSON.parse of 16 MiB of empty objects held the validator's thread for 10 s.
 */
export function artifactValues(task: CompetitionTask): number {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  return 65_536 + 8 * (size(task.inputShape) + size(task.outputShape));
}

/** Decode a JSON text a miner sent, within `maxValues` values (a PyJsonError past them). */
function minerJson(text: string | null | undefined, maxValues: number): unknown {
  return pyToJs(parsePyJson(text ?? 'null', { maxValues }));
}

/**
 * Download a submission's artifacts and check them; audit what was not audited yet (audit-verdicts.ts). The source
 * (and key) is asked for only when there may be something to audit: an id that passed with other metadata than
 * served now is asked again, with its source.
 */
async function fetchSubmission(o: EvaluateOptions, target: { ip: string; port: number; hotkey: string }, circuitId: string,
  withSource = o.audits?.problem(circuitId, target.hotkey) === undefined && !o.audits?.hasPass(circuitId)): Promise<Fetched> {
  const r = await o.dendrite.call<CompetitionArtifacts>(target, SYNAPSES.CompetitionArtifacts, { circuit_id: circuitId, include_source: withSource }, o.timeoutS ?? 60);
  if (r.status !== 200) return { ok: false, status: 'unreachable', reason: `CompetitionArtifacts: ${r.status} ${r.message}` };
  try {
    const metadata = CircuitMetadataSchema.parse(minerJson(r.synapse?.metadata, artifactValues(o.task)));
    const vk = minerJson(r.synapse?.verification_key, artifactValues(o.task));
    if (typeof vk !== 'object' || vk === null || Array.isArray(vk)) return { ok: false, status: 'rejected', reason: 'verification_key is not a JSON object' };
    const ok: Fetched = { ok: true, metadata, vk: vk as Record<string, unknown> };
    const problem = submissionProblem(o.task, circuitId, metadata, ok.vk, o.allowInsecureDev ?? false);
    if (problem) return { ok: false, status: 'rejected', reason: problem };
    // a pass stands for the id whoever serves it; a rival's junk source was judged for that rival alone
    if (o.audits?.passed(circuitId, metadata)) return ok;
    const known = o.audits?.problem(circuitId, target.hotkey);
    if (known !== undefined) return { ok: false, status: 'rejected', reason: known };
    if (!withSource) return await fetchSubmission(o, target, circuitId, true);
    const audited = await auditFetched(o, circuitId, target.hotkey, metadata, r.synapse!);
    return audited ? { ok: false, status: 'rejected', reason: audited } : ok;
  } catch (e) {
    return { ok: false, status: 'rejected', reason: `unreadable artifacts: ${(e as Error).message.slice(0, 300)}` };
  }
}

/** Audit a downloaded submission (audit.ts) and remember the verdict. */
async function auditFetched(o: EvaluateOptions, circuitId: string, hotkey: string, metadata: CircuitMetadata, s: CompetitionArtifacts): Promise<string | undefined> {
  if (!s.source || !s.zkey) return 'the miner sent no circuit source or proving key to audit (recompile with zkinfer compile, which keeps source/)';
  o.log?.(`competition ${o.task.name}: auditing ${circuitId.slice(0, 16)}… (recompile the submitted model, check its proving key)`);
  const problem = await auditInChild({
    committedId: circuitId, metadata, source: sourceFromWire(minerJson(s.source, artifactValues(o.task))), zkey: Buffer.from(s.zkey, 'base64'),
    ...(s.ptau ? { minerPtau: Buffer.from(s.ptau, 'base64') } : {}), ...(o.ceremonyPtau ? { ceremonyPtau: o.ceremonyPtau } : {}),
  }, {
    ...(o.auditTimeoutS !== undefined ? { timeoutS: o.auditTimeoutS } : {}), ...(o.auditMemoryMiB !== undefined ? { memoryMiB: o.auditMemoryMiB } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (problem === undefined) {
    o.audits?.recordPass(circuitId, metadata);
    return undefined;
  }
  o.audits?.recordProblem(circuitId, hotkey, `audit: ${problem}`);
  return `audit: ${problem}`;
}

interface Run {
  outputs: Array<number[] | undefined>;
  verified: number;
  failed: number;
  times: number[];
  proofBytes: number[];
}

/**
 * Hidden inputs a submission may leave unanswered (no 200: a timeout, a refusal, a closed connection) before the rest
 * count as misses without being sent (docs/competitions.md, "Score"): a miner that never answers would otherwise
 * hold the evaluation of every submission after it for count × the query timeout (24 minutes by default).
 */
export const MAX_UNANSWERED = 3;

/** Send every hidden input to the miner and verify each proof with the validator's own inputs bound. */
async function runHidden(o: EvaluateOptions, target: { ip: string; port: number; hotkey: string }, art: { metadata: CircuitMetadata; vk: Record<string, unknown> }, items: readonly EvalItem[]): Promise<Run> {
  const run: Run = { outputs: [], verified: 0, failed: 0, times: [], proofBytes: [] };
  const inputName = art.metadata.inputs[0]!.name;
  let unanswered = 0;
  for (const item of items) {
    o.signal?.throwIfAborted();
    if (unanswered >= MAX_UNANSWERED) {
      run.failed++;
      run.outputs.push(undefined);
      continue;
    }
    const inputs: RealInputs = { [inputName]: item.input };
    const r = await o.dendrite.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: art.metadata.id, public_inputs: inputs } }, o.timeoutS ?? 60, { extraBytes: proofAnswerBytes(art.metadata.publicLayout.total) });
    let output: number[] | undefined;
    if (r.status !== 200 && ++unanswered === MAX_UNANSWERED) o.log?.(`competition ${o.task.name}: ${target.hotkey.slice(0, 8)}… left ${MAX_UNANSWERED} hidden inputs unanswered (last ${r.status} ${r.message}); the rest count as misses`);
    if (r.status === 200) {
      try {
        const out = QueryOutputSchema.parse(JSON.parse(r.synapse?.query_output ?? 'null'));
        const check = await verifyMinerProof(art, out, inputs);
        if (check.valid) {
          output = Object.values(decodeOutputs(art.metadata, check.publicSignals))[0];
          run.times.push(r.elapsedS);
          run.proofBytes.push(Buffer.byteLength(JSON.stringify(out.proof ?? null)));
        } else o.log?.(`competition ${o.task.name}: ${target.hotkey.slice(0, 8)}… proof rejected: ${check.reason ?? 'invalid'}`);
      } catch (e) {
        o.log?.(`competition ${o.task.name}: ${target.hotkey.slice(0, 8)}… bad answer: ${(e as Error).message.slice(0, 200)}`);
      }
    }
    if (output) run.verified++;
    else run.failed++;
    run.outputs.push(output);
  }
  return run;
}

/** One evaluation of `task`: every on-time submission on the hidden set, ranked. */
export async function evaluateCompetition(o: EvaluateOptions): Promise<Leaderboard> {
  const { task } = o;
  const spec = task.competition;
  const [block, commitments, mg] = await Promise.all([o.chain.currentBlock(), o.chain.commitments(o.netuid), o.chain.metagraph(o.netuid)]);
  const items = spec.draw(o.seed ?? randomInt(1, 2 ** 47), o.count ?? spec.evalCount);
  const { start, end: deadline } = competitionWindow(task, o.window);
  const entries: LeaderboardEntry[] = [];
  const runs = new Map<LeaderboardEntry, Run>();
  for (const sub of submissionsOf(commitments, task.name)) {
    o.signal?.throwIfAborted();
    const uid = mg.hotkeys.indexOf(sub.hotkey);
    const base = { hotkey: sub.hotkey, circuit_id: sub.circuitId, committed_block: sub.block, verified: 0, failed: 0, score: 0, ...(uid >= 0 ? { uid } : {}) };
    if (sub.block > deadline || sub.block < start) {
      entries.push({ ...base, status: 'late', reason: `committed at block ${sub.block}, outside blocks ${start}..${deadline}` });
      continue;
    }
    const axon = uid >= 0 ? mg.axons[uid] : undefined;
    if (!axon || !axon.port) {
      entries.push({ ...base, status: 'unreachable', reason: uid < 0 ? 'hotkey not registered on the subnet' : 'no axon served on chain' });
      continue;
    }
    const target = { ip: axon.ip, port: axon.port, hotkey: sub.hotkey };
    const art = await fetchSubmission(o, target, sub.circuitId);
    if (!art.ok) {
      o.log?.(`competition ${task.name}: ${sub.hotkey.slice(0, 8)}… ${art.status}: ${art.reason}`);
      entries.push({ ...base, status: art.status, reason: art.reason });
      continue;
    }
    const run = await runHidden(o, target, art, items);
    const m = spec.metric.evaluate(run.outputs, items);
    const entry: LeaderboardEntry = {
      ...base,
      status: 'scored',
      metric: m.value,
      output_score: m.score,
      verified: run.verified,
      failed: run.failed,
      constraints: art.metadata.constraints,
      ...(run.times.length ? { prove_ms_median: Math.round(median(run.times) * 1000), proof_bytes: Math.round(median(run.proofBytes)) } : {}),
    };
    runs.set(entry, run);
    entries.push(entry);
  }
  // Proof time and size against the other submissions of this evaluation (the validator's formula, the task's weights).
  const cfg = taskScoring(task);
  const bounds = rtBounds([...runs.values()].filter((r) => r.times.length).map((r) => median(r.times)), cfg);
  for (const [entry, run] of runs) {
    if (!run.times.length) continue; // no valid proof at all: score 0
    const q = responseQuality({ rt: median(run.times), proofSize: median(run.proofBytes), outputScore: entry.output_score ?? 0, bounds }, cfg);
    entry.score = q * (run.verified / (run.verified + run.failed));
  }
  return { task: task.name, metric: spec.metric.name, block, evaluated_at: Date.now(), items: items.length, start_block: start, deadline_block: deadline, entries: rankEntries(entries) };
}
