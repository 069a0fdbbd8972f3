import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';
import { UnavailableError } from '../errors.js';
import { buildOpenApi } from '../openapi.js';
import type { ApiContext } from '../server.js';
import type { NetworkViewWire } from '../wire.js';

/** /healthz, /metrics, /openapi.json, /v1/network, /v1/custom-queries. */
export function registerSystemRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', async () => ({ ok: true, version: VERSION, circuits: ctx.circuits.list().length }));

  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()));

  let openapi: unknown;
  app.get('/openapi.json', async () => (openapi ??= buildOpenApi()));

  app.get('/v1/network', async () => {
    if (!ctx.history) throw new UnavailableError('this API has no view of the network', { hint: 'start the API from a validator (zkinfer validator --api-port)' });
    const o = await ctx.history.current();
    if (!o) throw new UnavailableError('network state not available yet (chain unreachable?)');
    const view: NetworkViewWire = {
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
      history: ctx.history.list(),
    };
    return view;
  });

  app.get('/v1/custom-queries', async () => ({ custom_queries: ctx.customQueries.describe() }));
}
