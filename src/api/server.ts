import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ApiConfigSchema, type ApiConfig, type ApiConfigInput } from './config.js';
import { ZkinferError } from '../errors/base.js';
import { ApiError, RateLimitedError } from './errors.js';
import { Authenticator } from './auth/authenticate.js';
import { TokenBuckets, type RateLimiter } from './auth/rate-limit.js';
import { openSharedState } from './shared-state.js';
import { SignatureVerifier } from './auth/signature.js';
import { NetworkHistory } from './history.js';
import type { HistoryStore } from './history-store.js';
import { ApiMetrics } from './metrics.js';
import type { CircuitCatalog, InferenceService, NetworkView, PermitSource } from './service.js';
import { registerInferenceRoutes } from './routes/inferences.js';
import { registerCircuitRoutes } from './routes/circuits.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { attachRpc } from './routes/rpc.js';
import { registerCompetitionRoutes } from './routes/competitions.js';
import { CompetitionBoards } from '../competition/boards.js';
import { CustomQueryRunner } from './custom-queries.js';
import { trackConnections } from '../lifecycle/http-drain.js';

export interface ApiServerDeps {
  inferences: InferenceService;
  circuits: CircuitCatalog;
  /** Scores, weights and chain state for the dashboard; without it /v1/network answers 503. */
  network?: NetworkView;
  /** Keeps the dashboard history across restarts (history-store.ts); without it history starts empty. */
  historyStore?: HistoryStore;
  /** Admit hotkeys holding a validator permit (see auth/permits.ts). */
  permits?: PermitSource;
  config?: ApiConfigInput;
  /** Directory of the built dashboard (index.html + assets); default web/dist of the package. */
  dashboardDir?: string;
  logger?: boolean;
  /** Competitions this validator runs (GET /v1/competitions…, docs/competitions.md). */
  competitions?: CompetitionBoards;
}

/** Everything a route needs. */
export interface ApiContext {
  config: ApiConfig;
  inferences: InferenceService;
  circuits: CircuitCatalog;
  network: NetworkView | undefined;
  history: NetworkHistory | undefined;
  metrics: ApiMetrics;
  customQueries: CustomQueryRunner;
  /** Authenticate and rate-limit a submission: returns the caller or throws 401/403/429. */
  admit(headers: FastifyRequest['headers'], ip: string): Promise<string>;
  /** Authenticate only (WebSocket connect). */
  authenticate(headers: FastifyRequest['headers'], ip: string): Promise<string>;
  /** Take a rate-limit token for the caller or throw 429. */
  limit(caller: string): Promise<void>;
  /** Enders of open SSE streams (ended when the server closes). */
  streams: Set<() => void>;
}

export interface ApiServer {
  app: FastifyInstance;
  context: ApiContext;
  /** Listen on config.host:config.port (port 0 = any free port); resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Longest path parameter (ids, model and competition names) the router takes; longer → 414. */
const MAX_PARAM_LENGTH = 100;

/** Headers of every answer: no MIME sniffing, never framed; anything but the dashboard may load nothing (docs/api.md, "Dashboard"). */
function hardened(reply: FastifyReply): FastifyReply {
  if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  return reply.header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY');
}

/** Body of any error response: `{error: {code, message, hint?, field?}}`. */
function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  if (err instanceof RateLimitedError) void reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterS))));
  return reply.code(err.status).type('application/json').send(err.toBody());
}

/** Build the validator's external API (not yet listening). */
export async function createApiServer(deps: ApiServerDeps): Promise<ApiServer> {
  const config = ApiConfigSchema.parse(deps.config ?? {});
  const metrics = new ApiMetrics();
  /** Every error answer, also the router's own (an undecodable path, a path parameter over maxParamLength). */
  const onError = (err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof ApiError) return sendError(reply, err);
    if (err instanceof ZkinferError && (err.code === 'INVALID_INPUT' || err.code === 'UNKNOWN_CIRCUIT')) {
      // raised by the validator's queue for requests it cannot serve
      const status = err.code === 'INVALID_INPUT' ? 400 : 404;
      return reply.code(status).send({ error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const code = e.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : e.statusCode === 414 ? 'URI_TOO_LONG' : e.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      const hint = e.statusCode === 413 ? `requests are limited to ${config.bodyLimitBytes} bytes` : e.statusCode === 415 ? 'send Content-Type: application/json' : undefined;
      // the router's message quotes the whole path (any length): name the limit instead
      const message = e.statusCode === 414 ? `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` : e.message ?? 'bad request';
      if (e.statusCode === 413) metrics.submissions.inc({ outcome: 'rejected_413' });
      return reply.code(e.statusCode).send({ error: { code, message, ...(hint ? { hint } : {}) } });
    }
    req.log.error(err);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error', hint: 'see the validator log' } });
  };
  const app = Fastify({
    // the router's errors bypass the hooks
    frameworkErrors: (err, req, reply) => onError(err, req, hardened(reply)), routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    logger: deps.logger ?? false, bodyLimit: config.bodyLimitBytes, trustProxy: false,
    // A request that does not finish arriving gets 408 and its connection is closed (docs/network.md, "Servers
    // survive bad input"); Node checks open requests every connectionsCheckingInterval, and applies the longer of
    // headersTimeout (default 60 s) and requestTimeout to a request whose headers are in, so both are set.
    requestTimeout: config.requestTimeoutS * 1000,
    http: { headersTimeout: Math.min(60_000, config.requestTimeoutS * 1000), connectionsCheckingInterval: Math.min(5000, config.requestTimeoutS * 500) },
  });
  // On close, half-sent requests and idle connections are dropped, so a client cannot hold up a stop (docs/network.md, "Stopping").
  const drain = trackConnections(app.server);
  app.addHook('preClose', (done) => { drain.closeUnfinished(); done(); });
  const shared = config.redis ? await openSharedState(config.redis, config.rateLimit) : undefined;
  const signatures = await SignatureVerifier.create(config.auth.signatureWindowS, shared?.replay);
  const auth = new Authenticator(config.auth, signatures, deps.permits);
  const buckets: RateLimiter = shared?.buckets ?? new TokenBuckets(config.rateLimit);
  const history = deps.network ? new NetworkHistory(deps.network, config.historyIntervalS, undefined, deps.historyStore) : undefined;

  const limit = async (caller: string): Promise<void> => {
    const wait = await buckets.take(caller);
    if (wait > 0) {
      metrics.submissions.inc({ outcome: 'rejected_429' });
      throw new RateLimitedError(Math.round(wait * 100) / 100);
    }
  };
  const authenticate = async (headers: FastifyRequest['headers'], ip: string): Promise<string> => {
    try {
      return await auth.authenticate(headers, ip);
    } catch (err) {
      if (err instanceof ApiError) metrics.submissions.inc({ outcome: `rejected_${err.status}` });
      throw err;
    }
  };
  const context: ApiContext = {
    config,
    inferences: deps.inferences,
    circuits: deps.circuits,
    network: deps.network,
    history,
    metrics,
    customQueries: new CustomQueryRunner(config.customQueries, { circuits: deps.circuits, inferences: deps.inferences, metrics }),
    authenticate,
    limit,
    streams: new Set(),
    admit: async (headers, ip) => {
      const caller = await authenticate(headers, ip);
      await limit(caller);
      return caller;
    },
  };

  app.setErrorHandler(onError);
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}`, hint: 'GET /openapi.json lists the API' } }),
  );
  app.addHook('onSend', async (_req, reply, payload) => {
    hardened(reply);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.requests.inc({ route: req.routeOptions.url ?? 'unknown', method: req.method, status: reply.statusCode });
  });

  registerInferenceRoutes(app, context);
  registerCircuitRoutes(app, context);
  registerSystemRoutes(app, context);
  registerCompetitionRoutes(app, deps.competitions ?? new CompetitionBoards([]));
  registerDashboardRoutes(app, deps.dashboardDir);
  const rpc = attachRpc(app, context);

  let started = false;
  return {
    app,
    context,
    async listen() {
      const url = await app.listen({ host: config.host, port: config.port });
      if (!started) {
        started = true;
        history?.start();
        context.customQueries.start();
      }
      return url.replace('[::1]', '127.0.0.1');
    },
    async close() {
      history?.stop();
      context.customQueries.stop();
      rpc.close();
      for (const end of [...context.streams]) end();
      await app.close();
      await shared?.close();
    },
  };
}
