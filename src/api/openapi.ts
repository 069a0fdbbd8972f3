import { z } from 'zod';
import { VERSION } from '../version.js';
import { CompetitionSummarySchema } from '../competition/boards.js';
import { LeaderboardSchema } from '../competition/leaderboard.js';
import { ApiConfigSchema } from './config.js';
import {
  CircuitViewSchema,
  ErrorBodySchema,
  InferenceViewSchema,
  NETWORK_POINTS_MAX,
  NetworkViewSchema,
  ProgressEventSchema,
  SubmitBodySchema,
  SubmitResponseSchema,
} from './wire.js';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io }) as Record<string, unknown>;
  return rest;
};
const json = (s: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema: schema(s) } } });
const error = (description: string) => json(ErrorBodySchema, description);
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } };
const signed = [{ sr25519: [] as string[] }, { apiKey: [] as string[] }];

/** The OpenAPI 3.1 document of the external API, generated from the zod wire schemas (src/api/wire.ts). */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'zkinfer validator API',
      version: VERSION,
      description:
        'Submit inputs to a zkinfer validator; a miner proves the inference with Groth16 and the validator verifies it. ' +
        'Submissions are signed with sr25519 (x-timestamp, x-origin-ss58, x-signature over the timestamp, ±300 s, each signature once) or carry x-api-key. ' +
        'WebSocket JSON-RPC 2.0 at /rpc: proof_of_computation {circuit, input}, proof_of_weights {evaluation_data, weights_version}.',
    },
    components: {
      securitySchemes: {
        sr25519: { type: 'apiKey', in: 'header', name: 'x-signature', description: 'sr25519 signature (0x hex) of the x-timestamp text by the x-origin-ss58 hotkey' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: { ApiConfig: schema(ApiConfigSchema, 'input') },
    },
    paths: {
      '/v1/inferences': {
        post: {
          summary: 'Submit an inference (routed to a miner ahead of benchmark traffic)',
          security: signed,
          requestBody: { required: true, content: { 'application/json': { schema: schema(SubmitBodySchema, 'input') } } },
          responses: {
            '202': json(SubmitResponseSchema, 'accepted; poll links.self or stream links.events'),
            '400': error('bad body or input; error.field names the offending field'),
            '401': error('missing, invalid, expired or replayed signature; unknown API key'),
            '403': error('signer neither allow-listed nor holding a validator permit'),
            '404': error('unknown circuit or model'),
            '413': error('body too large'),
            '429': error('rate limited (retry-after header)'),
            '503': error('validator queue full'),
          },
        },
        get: {
          summary: 'Recent inferences, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
            { name: 'source', in: 'query', schema: { type: 'string' }, description: 'external or custom:<name>' },
          ],
          responses: { '200': json(z.object({ inferences: z.array(InferenceViewSchema) }), 'inferences') },
        },
      },
      '/v1/inferences/{id}': {
        get: { summary: 'Status, decoded output, proof, public signals, miner and timings', parameters: [idParam], responses: { '200': json(InferenceViewSchema, 'the inference'), '404': error('unknown id') } },
      },
      '/v1/inferences/{id}/events': {
        get: {
          summary: 'Server-sent events: `progress` per status change, until verified or failed',
          parameters: [idParam],
          responses: { '200': { description: 'text/event-stream of ProgressEvent', content: { 'text/event-stream': { schema: schema(ProgressEventSchema) } } }, '404': error('unknown id'), '503': error('maxStreams event streams already open (poll instead)') },
        },
      },
      '/v1/circuits': { get: { summary: 'Circuits served, with the JSON Schema of their input', responses: { '200': json(z.object({ circuits: z.array(CircuitViewSchema) }), 'circuits') } } },
      '/v1/circuits/{id}': { get: { summary: 'One circuit (id or model name)', parameters: [idParam], responses: { '200': json(CircuitViewSchema, 'circuit'), '404': error('unknown circuit') } } },
      '/v1/circuits/{id}/vk': { get: { summary: 'snarkjs verification key', parameters: [idParam], responses: { '200': { description: 'vk JSON' }, '404': error('unknown circuit') } } },
      '/v1/circuits/{id}/verifier.sol': {
        get: { summary: 'Solidity Groth16 verifier', parameters: [idParam], responses: { '200': { description: 'Solidity source', content: { 'text/plain': {} } }, '404': error('unknown circuit') } },
      },
      '/v1/network': { get: { summary: 'Network overview for the dashboard', parameters: [{ name: 'since', in: 'query', required: false, description: 'unix ms: only the history points after it', schema: { type: 'integer', minimum: 0 } }, { name: 'points', in: 'query', required: false, description: 'at most this many history points, evenly spaced, the oldest and newest included', schema: { type: 'integer', minimum: 2, maximum: NETWORK_POINTS_MAX } }], responses: { '200': json(NetworkViewSchema, 'overview'), '503': error('no network view') } } },
      '/v1/competitions': { get: { summary: 'Competitions this validator runs (docs/competitions.md)', responses: { '200': json(z.object({ competitions: z.array(CompetitionSummarySchema) }), 'tasks, weights, deadlines') } } },
      '/v1/competitions/{name}/leaderboard': {
        get: {
          summary: "A competition's latest leaderboard (best first)",
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } }],
          responses: { '200': json(LeaderboardSchema, 'leaderboard'), '404': error('unknown competition'), '503': error('not evaluated yet') },
        },
      },
      '/v1/custom-queries': { get: { summary: "The validator's custom query templates and their last runs", responses: { '200': { description: 'templates' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'ok' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
