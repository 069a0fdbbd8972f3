import type { ApiMetrics } from './metrics.js';
import { NotFoundError } from './errors.js';
import { parseOrBadRequest } from './input-schema.js';
import type { CircuitCatalog, CircuitEntry, InferenceService, InferenceRecord } from './service.js';
import { TERMINAL_STATUSES } from './service.js';

export interface SubmitDeps {
  circuits: CircuitCatalog;
  inferences: InferenceService;
  metrics: ApiMetrics;
}

/** Circuit by id or model name, or 404 naming the known ones. */
export function resolveCircuit(circuits: CircuitCatalog, idOrName: string): CircuitEntry {
  const e = circuits.resolve(idOrName);
  if (!e) {
    const known = circuits.list().flatMap((c) => [c.metadata.id, ...c.aliases]);
    throw new NotFoundError(`unknown circuit or model "${idOrName.slice(0, 128)}"`, { hint: `GET /v1/circuits lists them: ${known.join(', ') || '(none loaded)'}` });
  }
  return e;
}

/** Resolve the circuit (404), validate the input against its schema (400 naming the field), enqueue (503 when full). */
export async function submitInference(deps: SubmitDeps, req: { circuit: string; input: unknown; source: string; caller?: string }): Promise<{ id: string; entry: CircuitEntry }> {
  const entry = resolveCircuit(deps.circuits, req.circuit);
  const input = parseOrBadRequest(entry.inputSchema, req.input, 'input');
  const tensors = entry.encode(input);
  const { id } = await deps.inferences.submit({ circuitId: entry.metadata.id, input, tensors, source: req.source, ...(req.caller ? { caller: req.caller } : {}) });
  watchCompletion(deps, id);
  return { id, entry };
}

/** Count the inference's final status and latency in the metrics once it finishes. */
function watchCompletion(deps: SubmitDeps, id: string): void {
  const unsubscribe = deps.inferences.subscribe(id, (e) => {
    if (!TERMINAL_STATUSES.has(e.status)) return;
    unsubscribe();
    void Promise.resolve(deps.inferences.get(id)).then((r: InferenceRecord | undefined) => {
      if (!r) return;
      deps.metrics.completed.inc({ status: r.status, source: r.source.startsWith('custom:') ? 'custom' : r.source });
      deps.metrics.latency.observe(((r.timings.completedAt ?? Date.now()) - r.timings.submittedAt) / 1000);
    });
  });
}
