import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';
import { UnavailableError } from '../errors.js';
import { buildOpenApi } from '../openapi.js';
import type { ApiContext } from '../server.js';
import { parseOrBadRequest } from '../input-schema.js';
import { chunksBody } from '../json-chunks.js';
import { NetworkQuerySchema, type NetworkViewWire } from '../wire.js';

const END = Buffer.from('}');

/** /healthz, /metrics, /openapi.json, /v1/network, /v1/custom-queries. */
export function registerSystemRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', async () => ({ ok: true, version: VERSION, circuits: ctx.circuits.list().length }));

  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()));

  let openapi: unknown;
  app.get('/openapi.json', async () => (openapi ??= buildOpenApi()));

  // The answer is serialized once per sample (docs/api.md, "Dashboard"): on a 256-uid subnet its 720 history points
  // are ≈ 9 MB of JSON, ≈ 0.1 s of the event loop to serialize, and reads are public. `?since=` returns only the points
  // after that time (what the dashboard asks for once it has the rest): the answer's head, made once per sample, then
  // each point's bytes, made when it was sampled, written as they are — any `?since=` costs no serialization, and no
  // answer allocates its 9 MB again (a fresh 9 MB costs ≈ 30 ms of page faults on the 2-core test VM). `?points=N`
  // sends at most N of them, evenly spaced (the dashboard's first load: its charts are 420 px wide).
  let cached: { version: number; head: Buffer; body?: Buffer } | undefined;
  app.get('/v1/network', async (req, reply) => {
    if (!ctx.history) throw new UnavailableError('this API has no view of the network', { hint: 'start the API from a validator (zkinfer validator --api-port)' });
    const { since, points } = parseOrBadRequest(NetworkQuerySchema, req.query, 'query');
    const history = ctx.history;
    const o = await history.current();
    if (!o) throw new UnavailableError('network state not available yet (chain unreachable?)');
    if (cached?.version !== history.version) {
      const view: Omit<NetworkViewWire, 'history'> = {
        netuid: o.netuid,
        block: o.block,
        verified: o.verified,
        failed: o.failed,
        miners: o.miners.map((m) => ({
          uid: m.uid,
          hotkey: m.hotkey,
          score: m.score,
          weight: m.weight,
          incentive: m.incentive,
          verified: m.verified,
          failed: m.failed,
          ...(m.latencyP50Ms !== undefined ? { latency_p50_ms: m.latencyP50Ms } : {}),
          ...(m.latencyP95Ms !== undefined ? { latency_p95_ms: m.latencyP95Ms } : {}),
        })),
        ...(o.latencyP50Ms !== undefined ? { latency_p50_ms: o.latencyP50Ms } : {}),
        ...(o.latencyP95Ms !== undefined ? { latency_p95_ms: o.latencyP95Ms } : {}),
      };
      // the answer without its history, open for it (history is the last key)
      const head = Buffer.from(`${JSON.stringify(view).slice(0, -1)},"history":`);
      cached = { version: history.version, head };
    }
    reply.type('application/json; charset=utf-8');
    if (since !== undefined || points !== undefined) return reply.send(chunksBody([cached.head, ...history.jsonSince(since ?? -Infinity, points), END]));
    // the whole answer, joined once per sample for the readers that ask for it (the dashboard asks with ?points=)
    cached.body ??= Buffer.concat([cached.head, ...history.jsonSince(-Infinity), END]);
    return reply.send(cached.body);
  });

  app.get('/v1/custom-queries', async () => ({ custom_queries: ctx.customQueries.describe() }));
}
