import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { POW_LIST_MAX } from '../../validator/pow-records.js';
import { NotFoundError } from '../errors.js';
import { chunksBody } from '../json-chunks.js';
import { parseOrBadRequest } from '../input-schema.js';

const QuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(POW_LIST_MAX).default(20) });

/** Where the records come from (the validator's ProofOfWeights; undefined when it does not run proof of weights). */
export interface PowRecordSource { listJson(limit: number): Buffer[] }

/**
 * GET /v1/proof-of-weights?limit=N (1..POW_LIST_MAX) — the validator's proof-of-weights records, newest first (docs/api.md):
 * epoch, block, validator hotkey, uids, proven scores, weights set, proof and public signals.
 */
export function registerProofOfWeightsRoutes(app: FastifyInstance, source: PowRecordSource | undefined): void {
  app.get('/v1/proof-of-weights', async (req, reply) => {
    const q = parseOrBadRequest(QuerySchema, req.query, 'query');
    if (!source) throw new NotFoundError('this validator does not run proof of weights', { hint: 'start it with --proof-of-weights DIR (the scoring-ema circuit)' });
    return reply.type('application/json; charset=utf-8').send(chunksBody(source.listJson(q.limit)));
  });
}
