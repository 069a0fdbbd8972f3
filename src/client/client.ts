import { z } from 'zod';
import {
  CircuitViewSchema,
  ErrorBodySchema,
  InferenceViewSchema,
  NetworkViewSchema,
  ProgressEventSchema,
  SubmitResponseSchema,
  type CircuitView,
  type InferenceView,
  type NetworkViewWire,
  type ProgressEventView,
  type SubmitResponse,
} from '../api/wire.js';
import { LeaderboardSchema, type Leaderboard } from '../competition/leaderboard.js';
import { PowRecordListSchema, type PowRecord } from '../validator/pow-wire.js';
import { ApiRequestError, ProtocolError, RequestTimeoutError, ValidatorUnreachableError, WaitTimeoutError } from './errors.js';
import { printable } from './printable.js';
import { signedHeaders, type RequestSigner } from './sign.js';
import { readSse } from './sse.js';
import { circuitIdOfVk, verifyInference, type LocalVerification } from './verify.js';

/** What `ZkinferClient.verify` checks against: the caller's own input and pinned circuit (docs/security.md). */
export interface VerifyOptions {
  /** Your input tensors by tensor name (flattened real numbers). */
  tensors?: Record<string, number[]>;
  /** Your input object (used when it is keyed by tensor name); default: the input this client submitted. */
  input?: unknown;
  /** The circuit id you trust; default: the circuit id this client submitted with. */
  circuitId?: string;
  /** A verification key you trust (pins the circuit to sha256 of it). */
  vk?: unknown;
  /** The circuit's description from a source you trust (e.g. a local circuit dir), instead of the server's. */
  circuit?: Pick<CircuitView, 'id' | 'name' | 'inputs' | 'outputs' | 'public_layout'>;
}

export interface ClientOptions {
  /** Base URL of the validator API, e.g. http://127.0.0.1:8600 */
  url: string;
  /** Sign submissions with this sr25519 key (hotkey allow-listed or holding a validator permit). */
  signer?: RequestSigner;
  /** Or authenticate with an API key. */
  apiKey?: string;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
  /** Give up on any one request after this long (default 60 s); submit/get/wait also take a signal (docs/api.md). */
  timeoutMs?: number;
}

/** Per-call options of a single request. */
export interface RequestOptions {
  /** Abort the request with this signal. */
  signal?: AbortSignal;
  /** Give up after this long (default: the client's `timeoutMs`). */
  timeoutMs?: number;
}

/** Largest response body the client reads (64 MiB): far above any view, circuit or vk the API serves; past it a ProtocolError (docs/api.md). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const CircuitListSchema = z.object({ circuits: z.array(CircuitViewSchema) });
const InferenceListSchema = z.object({ inferences: z.array(InferenceViewSchema) });

export interface SubmitParams {
  /** Model name (e.g. `staking-lstm`) or circuit id. */
  model?: string;
  circuitId?: string;
  input: unknown;
}

export interface WaitOptions {
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  /** `sse` (default) streams progress; `poll` asks every `pollMs`. */
  mode?: 'sse' | 'poll';
  pollMs?: number;
  onProgress?: (e: ProgressEventView) => void;
  signal?: AbortSignal;
}

const TERMINAL = new Set(['verified', 'failed']);

/** Client of a zkinfer validator's external API: submit, wait, fetch circuits, verify locally. Node ≥ 20 and browsers. */
export class ZkinferClient {
  readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly circuitCache = new Map<string, Promise<CircuitView>>();
  private readonly vkCache = new Map<string, Promise<unknown>>();
  /** What this client itself submitted, by inference id: the input and the circuit id it asked for (docs/security.md). */
  private readonly submitted = new Map<string, { input: unknown; circuitId?: string }>();

  constructor(private readonly opts: ClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.fetch = opts.fetch ?? ((...a) => globalThis.fetch(...a));
  }

  private authHeaders(): Record<string, string> {
    if (this.opts.apiKey) return { 'x-api-key': this.opts.apiKey };
    if (this.opts.signer) return signedHeaders(this.opts.signer);
    return {};
  }

  private async request<T>(path: string, schema: z.ZodType<T> | undefined, init: RequestInit = {}, o: RequestOptions = {}): Promise<T> {
    const timeoutMs = o.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? anySignal(o.signal, timeout) : timeout;
    const what = `${init.method ?? 'GET'} ${path}`;
    const aborted = (): RequestTimeoutError => new RequestTimeoutError(what, timeout.aborted ? timeoutMs : undefined);
    let res: Response;
    try {
      // never follow a redirect: credentials (x-api-key, signed headers) must not reach another host (docs/security.md)
      res = await this.fetch(`${this.url}${path}`, { ...init, signal, redirect: 'manual' });
    } catch (cause) {
      if (signal.aborted) throw aborted();
      throw new ValidatorUnreachableError(this.url, cause);
    }
    this.refuseRedirect(res, path);
    let text: string;
    try {
      text = await readCapped(res, what);
    } catch (e) {
      if (signal.aborted) throw aborted();
      if (e instanceof ProtocolError) throw e;
      throw new ValidatorUnreachableError(this.url, e);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!res.ok) {
      const err = ErrorBodySchema.safeParse(body);
      if (err.success) {
        const e = err.data.error;
        throw new ApiRequestError(res.status, printable(e.code), printable(e.message), { ...(e.hint ? { hint: printable(e.hint) } : {}), ...(e.field ? { field: e.field } : {}), details: e });
      }
      throw new ApiRequestError(res.status, 'HTTP_ERROR', printable(typeof body === 'string' ? body.slice(0, 200) : res.statusText));
    }
    if (!schema) return body as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ProtocolError(`unexpected response from ${path}: ${printable(parsed.error.issues[0]?.message ?? 'invalid')}`);
    return parsed.data;
  }

  /** A redirect (fetch with `redirect: 'manual'`) is refused: the API never redirects, and following one would send credentials elsewhere. */
  private refuseRedirect(res: Response, path: string): void {
    if (res.type !== 'opaqueredirect' && !(res.status >= 300 && res.status < 400)) return;
    void res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    let where = 'another location';
    if (location) {
      try {
        const to = new URL(location, `${this.url}${path}`);
        where = to.origin === new URL(this.url).origin ? `${to.pathname} on the same host` : `another origin (${to.origin})`;
      } catch {
        where = 'an unparsable location';
      }
    }
    throw new ProtocolError(printable(`the validator answered ${path} with a redirect to ${where}; redirects are not followed, so credentials are sent to ${this.url} only`));
  }

  /** POST /v1/inferences → the new inference's id. */
  async submit(p: SubmitParams, o: RequestOptions = {}): Promise<SubmitResponse> {
    const body = { ...(p.model !== undefined ? { model: p.model } : {}), ...(p.circuitId !== undefined ? { circuit_id: p.circuitId } : {}), input: p.input };
    const r = await this.request('/v1/inferences', SubmitResponseSchema, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.authHeaders() },
      body: JSON.stringify(body),
    }, o);
    this.submitted.set(r.id, { input: structuredClone(p.input), ...(p.circuitId !== undefined ? { circuitId: p.circuitId } : {}) });
    return r;
  }

  /** GET /v1/inferences/:id — a view of another inference than the one asked for is a ProtocolError (docs/security.md). */
  async get(id: string, o: RequestOptions = {}): Promise<InferenceView> {
    const r = await this.request(`/v1/inferences/${encodeURIComponent(id)}`, InferenceViewSchema, {}, o);
    if (r.id !== id) throw new ProtocolError(printable(`asked for inference ${id}, the validator answered with inference ${r.id.slice(0, 80)}`));
    return r;
  }

  /** Wait until the inference is verified or failed (SSE, falling back to polling), and return it. */
  async wait(id: string, o: WaitOptions = {}): Promise<InferenceView> {
    const timeoutMs = o.timeoutMs ?? 120_000;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    const onOuterAbort = (): void => ctrl.abort();
    o.signal?.addEventListener('abort', onOuterAbort);
    try {
      if ((o.mode ?? 'sse') === 'sse') {
        try {
          const path = `/v1/inferences/${encodeURIComponent(id)}/events`;
          const res = await this.fetch(`${this.url}${path}`, { headers: { accept: 'text/event-stream' }, signal: ctrl.signal, redirect: 'manual' });
          this.refuseRedirect(res, path);
          if (res.status === 404) return await this.get(id, { signal: ctrl.signal }); // raises the API's 404
          if (res.ok && res.body) {
            for await (const ev of readSse(res.body, ctrl.signal)) {
              if (ev.event !== 'progress') continue;
              const p = ProgressEventSchema.safeParse(JSON.parse(ev.data));
              if (!p.success) continue;
              o.onProgress?.(p.data);
              if (TERMINAL.has(p.data.status)) return await this.get(id, { signal: ctrl.signal });
            }
          }
        } catch (err) {
          if (ctrl.signal.aborted) throw new WaitTimeoutError(id, timeoutMs);
          if (err instanceof ApiRequestError || err instanceof ProtocolError) throw err;
          // stream broke: fall through to polling
        }
      }
      let last = '';
      for (;;) {
        if (ctrl.signal.aborted) throw new WaitTimeoutError(id, timeoutMs);
        let r: InferenceView;
        try {
          r = await this.get(id, { signal: ctrl.signal });
        } catch (err) {
          if (ctrl.signal.aborted) throw new WaitTimeoutError(id, timeoutMs);
          throw err;
        }
        if (r.status !== last) {
          last = r.status;
          o.onProgress?.({ id, status: r.status, at: Date.now(), ...(r.miner_uid !== undefined ? { miner_uid: r.miner_uid } : {}) });
        }
        if (TERMINAL.has(r.status)) return r;
        await new Promise<void>((resolve) => {
          // one listener per wait, removed when the wait ends either way (not one more per poll on the signal)
          const done = (): void => { clearTimeout(t); ctrl.signal.removeEventListener('abort', done); resolve(); };
          const t = setTimeout(done, o.pollMs ?? 500);
          ctrl.signal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Submit and wait. */
  async infer(p: SubmitParams, o: WaitOptions = {}): Promise<InferenceView> {
    const { id } = await this.submit(p, { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: o.timeoutMs ?? 120_000 });
    return this.wait(id, o);
  }

  /** GET /v1/circuits */
  async circuits(): Promise<CircuitView[]> {
    return (await this.request('/v1/circuits', CircuitListSchema)).circuits;
  }

  /** GET /v1/circuits/:id (id or model name), cached. */
  circuit(idOrName: string): Promise<CircuitView> {
    let c = this.circuitCache.get(idOrName);
    if (!c) {
      c = this.request(`/v1/circuits/${encodeURIComponent(idOrName)}`, CircuitViewSchema);
      c.catch(() => this.circuitCache.delete(idOrName));
      this.circuitCache.set(idOrName, c);
    }
    return c;
  }

  /** GET /v1/circuits/:id/vk, cached. (verify() checks it hashes to the circuit id.) */
  vk(circuitId: string): Promise<unknown> {
    let v = this.vkCache.get(circuitId);
    if (!v) {
      v = this.request(`/v1/circuits/${encodeURIComponent(circuitId)}/vk`, undefined);
      v.catch(() => this.vkCache.delete(circuitId));
      this.vkCache.set(circuitId, v);
    }
    return v;
  }

  /**
   * GET /v1/network; with `since` (unix ms) its history holds only the points after that time, with `points` at most
   * that many of them (2..720), evenly spaced, the oldest and the newest included.
   */
  async network(o: { since?: number | undefined; points?: number | undefined } = {}): Promise<NetworkViewWire> {
    const q = new URLSearchParams();
    if (o.since !== undefined) q.set('since', String(Math.floor(o.since)));
    if (o.points !== undefined) q.set('points', String(Math.floor(o.points)));
    const qs = q.toString();
    return this.request(qs ? `/v1/network?${qs}` : '/v1/network', NetworkViewSchema);
  }

  /** GET /v1/competitions/:task/leaderboard: the validator's latest leaderboard of a competition (docs/competitions.md). */
  async leaderboard(task: string): Promise<Leaderboard> {
    return this.request(`/v1/competitions/${encodeURIComponent(task)}/leaderboard`, LeaderboardSchema);
  }

  /** GET /v1/proof-of-weights?limit=N: the validator's proof-of-weights records, newest first (docs/api.md). */
  async proofOfWeights(limit = 50): Promise<PowRecord[]> {
    return (await this.request(`/v1/proof-of-weights?limit=${Math.floor(limit)}`, PowRecordListSchema)).records;
  }

  /** Recent inferences, newest first. */
  async list(limit = 20, source?: string): Promise<InferenceView[]> {
    const q = new URLSearchParams({ limit: String(limit), ...(source ? { source } : {}) });
    return (await this.request(`/v1/inferences?${q.toString()}`, InferenceListSchema)).inferences;
  }

  /**
   * Verify an inference locally with snarkjs against YOUR input and a circuit YOU pin — never against what the
   * server echoes: the input is `tensors`, else `input` (or the input this client submitted) when it is keyed by
   * tensor name; the circuit is `vk` (a key you trust), else `circuitId`, else the circuit id you submitted with.
   * What could not be checked is listed in `unchecked` (docs/security.md).
   */
  async verify(inference: InferenceView, opts: VerifyOptions = {}): Promise<LocalVerification> {
    // what this client submitted under this id: get()/wait() refuse a view whose id is not the one asked for
    const mine = this.submitted.get(inference.id);
    const pinnedCircuitId = opts.vk !== undefined ? await circuitIdOfVk(opts.vk) : (opts.circuitId ?? mine?.circuitId);
    const circuit = opts.circuit ?? (await this.circuit(inference.circuit_id));
    const vk = opts.vk ?? (await this.vk(circuit.id));
    const own = opts.input !== undefined ? opts.input : mine?.input;
    const tensors = opts.tensors ?? (own !== undefined ? tensorsOf(own, circuit) : undefined);
    return verifyInference(inference, circuit, vk, { ...(tensors ? { tensors } : {}), ...(pinnedCircuitId !== undefined ? { pinnedCircuitId } : {}) });
  }
}

/** Aborted when either is (AbortSignal.any where the runtime has it: Node ≥ 20.3, current browsers). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const ctrl = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) ctrl.abort(s.reason);
    else s.addEventListener('abort', () => ctrl.abort(s.reason), { once: true });
  }
  return ctrl.signal;
}

/** The response body as text, read in chunks and refused past MAX_RESPONSE_BYTES (a declared content-length past it is refused before reading). */
async function readCapped(res: Response, what: string): Promise<string> {
  const tooBig = (): ProtocolError => new ProtocolError(`the response to ${what} is larger than ${MAX_RESPONSE_BYTES} bytes`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) {
    void res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) throw tooBig();
      chunks.push(value);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** When the input object is keyed by the circuit's input tensor names (nested arrays), its flattened tensors. */
export function tensorsOf(input: unknown, circuit: Pick<CircuitView, 'inputs'>): Record<string, number[]> | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const obj = input as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== circuit.inputs.length || !circuit.inputs.every((t) => keys.includes(t.name))) return undefined;
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : typeof v === 'number' ? [v] : [Number.NaN]);
  const out: Record<string, number[]> = {};
  for (const t of circuit.inputs) {
    const f = flat(obj[t.name]);
    if (f.some((x) => Number.isNaN(x))) return undefined;
    out[t.name] = f;
  }
  return out;
}
