import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, UnavailableError } from '../errors.js';
import { parseOrBadRequest } from '../input-schema.js';
import { STATUS_RANK, TERMINAL_STATUSES, type ProgressEvent } from '../service.js';
import type { ApiContext } from '../server.js';
import { submitInference } from '../submit.js';
import { inferenceView, progressView } from '../views.js';
import { SubmitBodySchema, type SubmitResponse } from '../wire.js';

const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  source: z.string().max(80).optional(),
});

/** POST /v1/inferences, GET /v1/inferences[/:id[/events]]. */
export function registerInferenceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/v1/inferences', async (req, reply) => {
    const caller = await ctx.admit(req.headers, req.ip);
    const body = parseOrBadRequest(SubmitBodySchema, req.body ?? {}, 'body');
    const { id, entry } = await submitInference(ctx, { circuit: (body.circuit_id ?? body.model)!, input: body.input, source: 'external', caller });
    ctx.metrics.submissions.inc({ outcome: 'accepted' });
    const res: SubmitResponse = {
      id,
      status: 'queued',
      circuit_id: entry.metadata.id,
      links: { self: `/v1/inferences/${id}`, events: `/v1/inferences/${id}/events` },
    };
    return reply.code(202).header('location', res.links.self).send(res);
  });

  app.get('/v1/inferences', async (req) => {
    const q = parseOrBadRequest(ListQuerySchema, req.query, 'query');
    const list = await ctx.inferences.list({ limit: q.limit, ...(q.source ? { source: q.source } : {}) });
    return { inferences: list.map((r) => inferenceView(r, ctx.circuits.resolve(r.circuitId))) };
  });

  app.get<{ Params: { id: string } }>('/v1/inferences/:id', async (req) => {
    const r = await ctx.inferences.get(req.params.id);
    if (!r) throw new NotFoundError(`no inference ${req.params.id.slice(0, 80)}`, { hint: 'use the id returned by POST /v1/inferences' });
    return inferenceView(r, ctx.circuits.resolve(r.circuitId));
  });

  /** Server-sent events: one `progress` event per status change, ending with the final one. */
  app.get<{ Params: { id: string } }>('/v1/inferences/:id/events', async (req, reply) => {
    const id = req.params.id;
    const first = await ctx.inferences.get(id);
    if (!first) throw new NotFoundError(`no inference ${id.slice(0, 80)}`, { hint: 'use the id returned by POST /v1/inferences' });
    // Reads are public: without a bound, anyone could hold feeds open until the process runs out of file
    // descriptors. Checked with no await before the feed is counted, so concurrent requests cannot overshoot.
    if (ctx.streams.size >= ctx.config.maxStreams) {
      throw new UnavailableError(`${ctx.config.maxStreams} event streams are open; not opening more right now`, { hint: 'poll GET /v1/inferences/:id instead' });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let open = true;
    let unsubscribe = (): void => undefined;
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), 15_000);
    const end = (): void => {
      if (!open) return;
      open = false;
      clearInterval(keepalive);
      unsubscribe();
      ctx.metrics.streams -= 1;
      ctx.streams.delete(end);
      res.end();
    };
    ctx.metrics.streams += 1;
    ctx.streams.add(end);
    let last = -1;
    const send = (e: ProgressEvent): void => {
      if (!open || STATUS_RANK[e.status] <= last) return;
      last = STATUS_RANK[e.status];
      res.write(`event: progress\ndata: ${JSON.stringify(progressView(e))}\n\n`);
      if (TERMINAL_STATUSES.has(e.status)) end();
    };
    unsubscribe = ctx.inferences.subscribe(id, send);
    // A client gone while the inference was read above (a Redis round trip) closed before this listener: end at
    // once, or its subscription and keepalive would stay for good (docs/api.md, "HTTP API").
    res.on('close', end);
    if (res.destroyed) return end();
    // The state now (events before the subscription are not replayed), re-read after subscribing.
    const now = (await ctx.inferences.get(id)) ?? first;
    send({ id, status: now.status, at: Date.now(), ...(now.minerUid !== undefined ? { minerUid: now.minerUid } : {}), ...(now.error ? { detail: now.error } : {}) });
  });
}
