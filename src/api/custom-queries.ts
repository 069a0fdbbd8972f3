import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CustomQuery, InputTransform } from './config.js';
import type { ApiMetrics } from './metrics.js';
import type { CircuitCatalog, InferenceService } from './service.js';
import { submitInference } from './submit.js';

/** Apply `f` to every number in a JSON value. */
function mapNumbers(v: unknown, f: (x: number) => number): unknown {
  if (typeof v === 'number') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapNumbers(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapNumbers(x, f)]));
  return v;
}

function gaussian(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

type TransformFn = (input: unknown, run: number) => unknown | Promise<unknown>;

/** The function a template's `transform` names. */
async function transformFn(t: InputTransform): Promise<TransformFn> {
  switch (t.kind) {
    case 'fixed':
      return (input) => input;
    case 'jitter':
      return (input) => mapNumbers(input, (x) => x + t.sigma * gaussian());
    case 'uniform':
      return (input) => mapNumbers(input, () => t.min + (t.max - t.min) * Math.random());
    case 'module': {
      const url = pathToFileURL(isAbsolute(t.path) ? t.path : resolve(t.path)).href;
      const mod = (await import(url)) as Record<string, unknown>;
      const fn = mod[t.export];
      if (typeof fn !== 'function') throw new TypeError(`${t.path} does not export a function "${t.export}"`);
      return fn as TransformFn;
    }
  }
}

interface TemplateState {
  template: CustomQuery;
  runs: number;
  lastIds: string[];
  lastError?: string;
  timer?: NodeJS.Timeout;
}

/**
 * Runs the validator's named custom queries: every `everyS` seconds, make an input from the template
 * (transform) and submit it as source `custom:<name>`. Results and proofs are stored by the same
 * InferenceService as external ones (GET /v1/inferences?source=custom:<name>).
 */
export class CustomQueryRunner {
  private readonly states: TemplateState[];
  constructor(
    templates: CustomQuery[],
    private readonly deps: { circuits: CircuitCatalog; inferences: InferenceService; metrics: ApiMetrics },
  ) {
    this.states = templates.map((template) => ({ template, runs: 0, lastIds: [] }));
  }

  start(): void {
    for (const s of this.states) {
      const tick = (): void => {
        void this.runOnce(s.template.name).catch(() => undefined).finally(() => {
          if (s.template.runs !== undefined && s.runs >= s.template.runs) return this.stopOne(s);
        });
      };
      tick();
      s.timer = setInterval(tick, s.template.everyS * 1000);
      s.timer.unref();
    }
  }

  stop(): void {
    for (const s of this.states) this.stopOne(s);
  }

  private stopOne(s: TemplateState): void {
    if (s.timer) clearInterval(s.timer);
    delete s.timer;
  }

  /** Run one template now; returns the inference id (errors are kept in `lastError` and rethrown). */
  async runOnce(name: string): Promise<string> {
    const s = this.states.find((x) => x.template.name === name);
    if (!s) throw new RangeError(`no custom query named ${name}`);
    try {
      const input = await (await transformFn(s.template.transform))(structuredClone(s.template.input), s.runs);
      const { id } = await submitInference(this.deps, { circuit: s.template.circuit, input, source: `custom:${name}`, caller: 'validator' });
      s.runs += 1;
      s.lastIds = [id, ...s.lastIds].slice(0, 10);
      delete s.lastError;
      return id;
    } catch (err) {
      s.runs += 1;
      s.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  describe(): Array<{ name: string; circuit: string; every_s: number; transform: string; runs: number; last_ids: string[]; last_error?: string }> {
    return this.states.map((s) => ({
      name: s.template.name,
      circuit: s.template.circuit,
      every_s: s.template.everyS,
      transform: s.template.transform.kind,
      runs: s.runs,
      last_ids: s.lastIds,
      ...(s.lastError ? { last_error: s.lastError } : {}),
    }));
  }
}
