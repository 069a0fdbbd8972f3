import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.js';
import { resolveCircuit } from '../submit.js';
import { circuitView } from '../views.js';

/** GET /v1/circuits, /v1/circuits/:id, /v1/circuits/:id/vk, /v1/circuits/:id/verifier.sol (id or model name). */
export function registerCircuitRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/circuits', async () => ({ circuits: ctx.circuits.list().map(circuitView) }));

  app.get<{ Params: { id: string } }>('/v1/circuits/:id', async (req) => circuitView(resolveCircuit(ctx.circuits, req.params.id)));

  app.get<{ Params: { id: string } }>('/v1/circuits/:id/vk', async (req, reply) => {
    const e = resolveCircuit(ctx.circuits, req.params.id);
    return reply.header('x-circuit-id', e.metadata.id).send(await e.vk());
  });

  app.get<{ Params: { id: string } }>('/v1/circuits/:id/verifier.sol', async (req, reply) => {
    const e = resolveCircuit(ctx.circuits, req.params.id);
    const sol = await e.verifierSol();
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `inline; filename="${e.metadata.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-verifier.sol"`)
      .header('x-circuit-id', e.metadata.id)
      .send(sol);
  });
}
