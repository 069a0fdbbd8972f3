import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { z } from 'zod';
import { BITTENSOR_SDK_VERSION_INT } from './sdk-version.js';
import { ChainConnectionError } from '../chain/errors.js';
import { BlacklistedError, NotVerifiedError, ProtocolError, SynapseParsingError, UnknownSynapseError } from './errors.js';
import { NonceGuard } from './nonce.js';
import { PriorityGate } from './priority-gate.js';
import { signText, verifyText } from './signing.js';
import type { SynapseSpec, TerminalInfo } from './synapses.js';
import { parsePyJson, pyToJs, stringifyPyJson, type PyValue } from './py-json.js';
import { bodyHash, headerSafe, parseHeaders, terminalToJson, timeNs, toHeaders, type ParsedHeaders } from './wire.js';
import { trackConnections, type HttpDrain } from '../lifecycle/http-drain.js';
import { listenError } from '../lifecycle/errors.js';

/**
 * How long past its own timeout a request may keep its priority slot, counted from when it took the slot (body
 * reading included), before its connection is closed and the slot freed (docs/network.md, "Servers survive bad
 * input").
 */
export const SLOT_GRACE_MS = 1000;

/** Who is calling, from the verified headers. */
export interface Caller {
  hotkey: string;
  ip: string;
  port: number;
  uuid: string;
  version?: number;
}

export interface ForwardContext {
  caller: Caller;
  timeoutS: number;
  /** Aborted when the caller disconnects or the timeout passes. */
  signal: AbortSignal;
}

/** How one synapse type is served: the Python axon's attach(forward_fn, blacklist_fn, priority_fn). */
export interface SynapseRoute<S extends SynapseSpec = SynapseSpec> {
  spec: S;
  /** A reason string to refuse the caller with 403, or undefined to allow. */
  blacklist?: (caller: Caller) => string | undefined | Promise<string | undefined>;
  /** Higher is served first (e.g. caller stake). */
  priority?: (caller: Caller) => number;
  /** Whether this route waits in the priority gate (cheap routes like capacities need not). */
  gated?: boolean;
  /** Fill the synapse's output fields; throw a ProtocolError for a specific status. */
  forward: (synapse: z.infer<S['schema']>, ctx: ForwardContext) => Promise<Partial<z.infer<S['schema']>>>;
}

export interface AxonOptions {
  /** The axon's hotkey: requests must be signed for it. */
  hotkey: KeyringPair;
  /** Bind address (tests and devnet use 127.0.0.1). */
  host?: string;
  port?: number;
  /** Maximum request body in bytes (413 above). */
  bodyLimit?: number;
  /** Requests may not ask for a longer timeout than this (seconds). */
  maxTimeoutS?: number;
  /** Concurrent forwards (priority stage) and how many may wait. */
  concurrency?: number;
  maxQueue?: number;
  /** Log lines (errors of forward functions). */
  log?: (line: string) => void;
}

interface RequestState {
  route: SynapseRoute;
  headers: ParsedHeaders;
  caller: Caller;
  start: number;
  release?: () => void;
  abort: AbortController;
  /** performance.now() by which the forward must be done: the request's timeout after it took its slot. */
  deadline?: number;
  /** Closes the connection and frees the slot once the deadline + SLOT_GRACE_MS passes. */
  guard?: NodeJS.Timeout;
}

const STATE = Symbol('zkinferAxonState');
/** The synapse name of a request path, for log lines. */
const synapseOf = (url: string): string => (url.split('?')[0] ?? '').slice(1) || '/';
/** The body as Python's json.loads reads it (exact ints, key order): what the body hash is computed over. */
const PY_BODY = Symbol('zkinferAxonPyBody');
type WithState = FastifyRequest & { [STATE]?: RequestState; [PY_BODY]?: PyValue };

/**
 * An axon: a fastify HTTP server speaking the Bittensor v10 wire protocol. Checks run in the Python axon's
 * order — unknown route 404 → header parse 400 → blacklist 403 → verify (signature, nonce) 401 → priority
 * 503/408 → body parse/size 400/413 → body-hash mismatch 400 → forward. Unlike the Python axon, unsigned
 * requests are refused.
 */
export class Axon {
  readonly uuid = randomUUID();
  private readonly app: FastifyInstance;
  private readonly routes = new Map<string, SynapseRoute>();
  private readonly nonces: NonceGuard;
  readonly gate: PriorityGate;
  private readonly maxTimeoutS: number;
  private readonly log: (line: string) => void;
  private boundPort = 0;
  private closing: Promise<void> | undefined;
  /** Requests holding a slot and its guard timer, until finish(). */
  private readonly guarded = new Set<WithState>();
  private readonly drain: HttpDrain;

  constructor(private readonly opts: AxonOptions) {
    this.maxTimeoutS = opts.maxTimeoutS ?? 300;
    this.nonces = new NonceGuard(this.maxTimeoutS);
    this.gate = new PriorityGate(opts.concurrency ?? 4, opts.maxQueue ?? 64);
    this.log = opts.log ?? (() => undefined);
    this.app = Fastify({
      bodyLimit: opts.bodyLimit ?? 4 * 1024 * 1024, logger: false, return503OnClosing: true,
      // A backstop for requests that never finish arriving (docs/network.md, "Servers survive bad input"): a body
      // may wait unread in the priority queue for up to the request's timeout and then take as long again to
      // arrive, so the limit is twice the longest timeout, plus a margin. Each request's own guard (SLOT_GRACE_MS)
      // and `connection: close` on refusals close such connections much sooner.
      requestTimeout: (2 * this.maxTimeoutS + 10) * 1000,
    });
    this.drain = trackConnections(this.app.server);
    this.app.addHook('preClose', (done) => { this.drain.closeUnfinished(); done(); });
    // The raw body is parsed as Python's json does (docs/network.md, "Body hash"); handlers see its JS view.
    this.app.removeContentTypeParser('application/json');
    this.app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      try {
        const py = parsePyJson(body as string);
        (req as WithState)[PY_BODY] = py;
        done(null, pyToJs(py));
      } catch (e) {
        done(new SynapseParsingError(`Improperly formatted request body: ${(e as Error).message}`, { hint: 'send the synapse as JSON (Python json.dumps of Synapse.model_dump())' }), undefined);
      }
    });
    this.app.addHook('onRequest', (req, reply) => this.preprocess(req as WithState, reply));
    this.app.addHook('onResponse', async (req) => this.finish(req as WithState));
    this.app.addHook('onRequestAbort', async (req) => this.finish(req as WithState));
    this.app.setNotFoundHandler((req, reply) => {
      const name = (req.url.split('?')[0] ?? '').split('/')[1] ?? '';
      return this.sendError(reply, new UnknownSynapseError(name, [...this.routes.keys()]), undefined);
    });
    this.app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      const state = (req as WithState)[STATE];
      if (err instanceof ProtocolError) return this.sendError(reply, err, state);
      if (err instanceof ChainConnectionError) {
        // expected while the chain node is down (docs/network.md "Chain outages"): one line, 503, no stack
        this.log(`axon: ${synapseOf(req.url)}: ${err.name}: ${err.message}`);
        return this.sendError(reply, new ProtocolError(503, 'CHAIN_UNAVAILABLE', `Service unavailable: ${err.message}`), state);
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) this.log(`axon: internal error: ${err.stack ?? err.message}`);
      const message =
        status === 413 ? `Request body is larger than ${opts.bodyLimit ?? 4 * 1024 * 1024} bytes` : status === 500 ? 'Internal Server Error' : err.message;
      return this.sendError(reply, new ProtocolError(status, err.code ?? 'HTTP_ERROR', message), state);
    });
  }

  /** Serve a synapse type at POST /<name>. */
  attach<S extends SynapseSpec>(route: SynapseRoute<S>): this {
    this.routes.set(route.spec.name, route as unknown as SynapseRoute);
    this.app.post(`/${route.spec.name}`, (req, reply) => this.handle(req as WithState, reply));
    return this;
  }

  get hotkey(): string {
    return this.opts.hotkey.address;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<number> {
    const host = this.opts.host ?? '127.0.0.1';
    const port = this.opts.port ?? 0;
    await this.app.listen({ host, port }).catch((err: unknown) => { throw listenError(err, host, port, 'another process listens there: pass another --port'); });
    const addr = this.app.server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : 0;
    return this.boundPort;
  }

  /**
   * Graceful stop: stop accepting, let requests in flight finish. A request whose connection is gone (kill(), or a
   * caller that left while its forward ran) is finished here: its guard would otherwise hold the process up to its
   * timeout + SLOT_GRACE_MS after the stop.
   */
  async stop(): Promise<void> {
    this.closing ??= this.app.close().then(() => { for (const req of this.guarded) this.finish(req); });
    await this.closing;
  }

  /** Abrupt stop, as if the process died: every open connection is destroyed at once. */
  async kill(): Promise<void> {
    this.app.server.closeAllConnections();
    await this.stop();
  }

  /** Stages up to priority, before the body is read. */
  private async preprocess(req: WithState, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const path = req.url.split('?')[0] ?? '';
    const name = path.split('/')[1] ?? '';
    const route = this.routes.get(name);
    if (!route || req.method !== 'POST' || path !== `/${name}`) return; // → 404 handler
    let headers: ParsedHeaders;
    try {
      headers = parseHeaders(req.headers as Record<string, string>);
    } catch (e) {
      return this.sendError(reply, new SynapseParsingError(`Improperly formatted request. Could not parse headers into synapse of type ${name}: ${(e as Error).message}`), undefined);
    }
    const d = headers.dendrite;
    const caller: Caller = {
      hotkey: d.hotkey ?? '',
      ip: req.socket.remoteAddress ?? '',
      port: req.socket.remotePort ?? 0,
      uuid: d.uuid ?? '',
      ...(d.version !== undefined ? { version: d.version } : {}),
    };
    const state: RequestState = { route, headers, caller, start: performance.now(), abort: new AbortController() };
    req[STATE] = state;
    try {
      if (!d.hotkey) throw new SynapseParsingError('missing header bt_header_dendrite_hotkey');
      const reason = route.blacklist ? await route.blacklist(caller) : undefined;
      if (reason !== undefined) throw new BlacklistedError(reason);
      this.verify(headers);
      const timeoutS = Math.min(headers.timeout ?? 12, this.maxTimeoutS);
      if (route.gated !== false) state.release = await this.gate.acquire(route.priority ? route.priority(caller) : 0, timeoutS * 1000);
      // From here the request's timeout runs, reading its body included: a caller that stops sending cannot keep
      // its slot past it (docs/network.md, "Servers survive bad input").
      state.deadline = performance.now() + timeoutS * 1000;
      state.guard = setTimeout(() => this.expire(req), timeoutS * 1000 + SLOT_GRACE_MS);
      this.guarded.add(req);
      if (req.raw.destroyed) this.finish(req);
      return undefined;
    } catch (e) {
      if (e instanceof ProtocolError) return this.sendError(reply, e, state);
      throw e;
    }
  }

  /** Signature and nonce (axon.default_verify), stricter: a signature is required. */
  private verify(h: ParsedHeaders): void {
    const d = h.dendrite;
    if (d.nonce === undefined) throw new NotVerifiedError('Missing Nonce');
    if (!d.signature) throw new NotVerifiedError('Missing signature: unsigned requests are refused');
    if (!d.uuid) throw new NotVerifiedError('Missing uuid');
    const timeoutS = h.timeout ?? 12;
    if (timeoutS > this.maxTimeoutS) throw new NotVerifiedError(`timeout ${timeoutS}s exceeds the axon maximum ${this.maxTimeoutS}s`);
    const key = `${d.hotkey}:${d.uuid}`;
    const now = timeNs();
    const nonceErr = this.nonces.check(key, d.nonce, timeoutS, now);
    if (nonceErr) throw new NotVerifiedError(nonceErr);
    const message = `${d.nonce}.${d.hotkey}.${this.hotkey}.${d.uuid}.${h.computedBodyHash ?? ''}`;
    if (!verifyText(message, d.signature, d.hotkey!)) throw new NotVerifiedError(`Signature mismatch with ${message} and ${d.signature}`);
    this.nonces.record(key, d.nonce, now);
  }

  private async handle(req: WithState, reply: FastifyReply): Promise<void> {
    const state = req[STATE];
    if (!state) throw new Error('axon: request reached a route without preprocessing');
    const { route, headers } = state;
    const parsed = route.spec.schema.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SynapseParsingError(`Improperly formatted body for ${route.spec.name}: ${issues}`);
    }
    const synapse = parsed.data as Record<string, unknown>;
    // Python hashes str() of each field of Class(**json.loads(body)): the body's own value, else the default.
    const sent = pyFields(req[PY_BODY], route.spec);
    const parsedHash = bodyHash(sent, route.spec.hashFields);
    if (parsedHash !== (headers.computedBodyHash ?? '')) {
      throw new SynapseParsingError(`Hash mismatch between header body hash ${headers.computedBodyHash ?? ''} and parsed body hash ${parsedHash}`);
    }
    const timeoutS = Math.min(headers.timeout ?? 12, this.maxTimeoutS);
    const timer = setTimeout(() => state.abort.abort(new Error('timeout')), Math.max(0, (state.deadline ?? performance.now() + timeoutS * 1000) - performance.now()));
    // The response's close, not the request's: Node closes an IncomingMessage as soon as its body is read.
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) state.abort.abort(new Error('caller disconnected')); });
    let out: Record<string, unknown>;
    try {
      out = (await route.forward(synapse as never, { caller: state.caller, timeoutS, signal: state.abort.signal })) as Record<string, unknown>;
    } finally {
      clearTimeout(timer);
    }
    const axon = this.axonTerminal(headers, 200, 'Success', state);
    const body: Record<string, unknown> = {
      name: route.spec.name,
      timeout: timeoutS,
      total_size: 0,
      header_size: 0,
      dendrite: terminalToJson(this.dendriteTerminal(headers, state)),
      axon: terminalToJson(axon),
      computed_body_hash: headers.computedBodyHash ?? '',
      ...route.spec.defaults,
      ...synapseFields(synapse, sent, route.spec),
      ...out,
    };
    const text = stringifyPyJson(body);
    const h = toHeaders({
      name: route.spec.name,
      timeout: timeoutS,
      axon,
      dendrite: this.dendriteTerminal(headers, state),
      requiredFields: route.spec.requiredFields,
      bodyHash: bodyHash(body, route.spec.hashFields),
      totalSize: Buffer.byteLength(text),
    });
    reply.code(200).headers(h).type('application/json').send(text);
  }

  private axonTerminal(h: ParsedHeaders, status: number, message: string, state: RequestState | undefined): TerminalInfo {
    const nonce = timeNs();
    const t: TerminalInfo = {
      status_code: status,
      status_message: headerSafe(message),
      ip: h.axon.ip ?? this.opts.host ?? '127.0.0.1',
      port: this.boundPort,
      version: BITTENSOR_SDK_VERSION_INT,
      nonce,
      uuid: this.uuid,
      hotkey: this.hotkey,
    };
    if (state) t.process_time = (performance.now() - state.start) / 1000;
    // Python's axon signs "{axon_nonce}.{dendrite_hotkey}.{axon_hotkey}.{axon_uuid}" in preprocess.
    t.signature = signText(this.opts.hotkey, `${nonce}.${h.dendrite.hotkey ?? ''}.${this.hotkey}.${this.uuid}`);
    return t;
  }

  private dendriteTerminal(h: ParsedHeaders, state: RequestState | undefined): TerminalInfo {
    return { ...h.dendrite, ...(state ? { ip: state.caller.ip, port: state.caller.port } : {}) };
  }

  private sendError(reply: FastifyReply, err: ProtocolError, state: RequestState | undefined): FastifyReply {
    if (reply.sent) return reply;
    // Refused before its body arrived (blacklist, signature, priority, unknown route): do not wait for the rest of
    // it on a kept-alive connection; Node closes the connection once this answer is out.
    if (!reply.request.raw.complete) void reply.header('connection', 'close');
    const h = state?.headers;
    const name = state?.route.spec.name ?? 'Synapse';
    const axon: TerminalInfo = h ? this.axonTerminal(h, err.status, err.message, state) : { status_code: err.status, status_message: headerSafe(err.message) };
    const headers = toHeaders({
      name,
      timeout: h?.timeout ?? 12,
      axon,
      ...(h && state ? { dendrite: this.dendriteTerminal(h, state) } : {}),
      bodyHash: h?.computedBodyHash ?? '',
    });
    return reply.code(err.status).headers(headers).type('application/json').send(JSON.stringify({ message: err.message }));
  }

  private finish(req: WithState): void {
    const state = req[STATE];
    if (!state) return;
    clearTimeout(state.guard);
    this.guarded.delete(req);
    state.release?.();
    delete state.release;
  }

  /** The request outlived its timeout + SLOT_GRACE_MS (a stalled body, or a forward that ignores its signal). */
  private expire(req: WithState): void {
    const state = req[STATE];
    if (!state) return;
    state.abort.abort(new Error('timeout'));
    this.finish(req);
    req.raw.socket.destroy();
  }
}

/** The synapse's own fields as the caller sent them (Python values: exact ints, key order), else the defaults. */
function pyFields(body: PyValue | undefined, spec: SynapseSpec): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, d] of Object.entries(spec.defaults)) out.set(k, body instanceof Map && body.has(k) ? body.get(k) : d);
  return out;
}

/** The synapse's own fields (not the base Synapse fields) to echo: as sent where the schema accepted them. */
function synapseFields(synapse: Record<string, unknown>, sent: Map<string, unknown>, spec: SynapseSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec.defaults)) if (synapse[k] !== undefined) out[k] = sent.get(k) ?? synapse[k];
  return out;
}
