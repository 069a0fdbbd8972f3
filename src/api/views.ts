import { z } from 'zod';
import type { CircuitView, InferenceView, ProgressEventView } from './wire.js';
import type { CircuitEntry, InferenceRecord, ProgressEvent } from './service.js';

/** An inference record as the API's JSON (snake_case, undefined fields left out). */
export function inferenceView(r: InferenceRecord, circuit?: Pick<CircuitEntry, 'describe'>): InferenceView {
  const v: InferenceView = {
    id: r.id,
    circuit_id: r.circuitId,
    source: r.source,
    status: r.status,
    input: r.input,
    timings: { submitted_at: r.timings.submittedAt },
  };
  if (r.output) v.output = r.output;
  if (r.output && circuit?.describe) {
    try {
      const summary = circuit.describe(r.output);
      if (summary) v.summary = summary;
    } catch {
      // a summary is a courtesy; never fail the response over it
    }
  }
  if (r.proof) v.proof = r.proof;
  if (r.publicSignals) v.public_signals = r.publicSignals;
  if (r.minerUid !== undefined) v.miner_uid = r.minerUid;
  if (r.minerHotkey !== undefined) v.miner_hotkey = r.minerHotkey;
  if (r.error !== undefined) v.error = r.error;
  const t = r.timings;
  if (t.dispatchedAt !== undefined) v.timings.dispatched_at = t.dispatchedAt;
  if (t.completedAt !== undefined) v.timings.completed_at = t.completedAt;
  if (t.responseMs !== undefined) v.timings.response_ms = t.responseMs;
  if (t.verifyMs !== undefined) v.timings.verify_ms = t.verifyMs;
  if (t.totalMs !== undefined) v.timings.total_ms = t.totalMs;
  return v;
}

export function progressView(e: ProgressEvent): ProgressEventView {
  const v: ProgressEventView = { id: e.id, status: e.status, at: e.at };
  if (e.minerUid !== undefined) v.miner_uid = e.minerUid;
  if (e.detail !== undefined) v.detail = e.detail;
  return v;
}

const jsonSchemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** JSON Schema of a circuit's input (zod → JSON Schema; unrepresentable parts become `{}`). */
export function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  let js = jsonSchemaCache.get(schema);
  if (!js) {
    js = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
    jsonSchemaCache.set(schema, js);
  }
  return js;
}

export function circuitView(e: CircuitEntry): CircuitView {
  const m = e.metadata;
  const tensor = (t: { name: string; shape: number[]; scaleBits: number; rangeBits: number }) => ({ name: t.name, shape: t.shape, scale_bits: t.scaleBits, range_bits: t.rangeBits });
  return {
    id: m.id,
    name: m.name,
    aliases: e.aliases,
    security: m.security,
    constraints: m.constraints,
    inputs: m.inputs.map(tensor),
    outputs: m.outputs.map(tensor),
    input_schema: inputJsonSchema(e.inputSchema),
    public_layout: m.publicLayout,
    ...(e.example !== undefined ? { example: e.example } : {}),
    links: { vk: `/v1/circuits/${m.id}/vk`, verifier_sol: `/v1/circuits/${m.id}/verifier.sol` },
  };
}
