import { z } from 'zod';

/** A custom query's input transform: how each run's input is made from the template's base `input`. */
export const InputTransformSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed') }).describe('send `input` unchanged'),
  z.strictObject({ kind: z.literal('jitter'), sigma: z.number().positive() }).describe('add Gaussian noise (std sigma) to every number'),
  z.strictObject({ kind: z.literal('uniform'), min: z.number(), max: z.number() }).describe('replace every number by a uniform sample in [min, max]'),
  z.strictObject({ kind: z.literal('module'), path: z.string(), export: z.string().default('default') }).describe('call an ES module function (input, run) => input'),
]);
export type InputTransform = z.infer<typeof InputTransformSchema>;

/** A validator's named query template (issue: "validator flexibility"). */
export const CustomQuerySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and -'),
  /** Circuit id or model name. */
  circuit: z.string().min(1),
  /** Base input (the circuit's input object). */
  input: z.record(z.string(), z.unknown()),
  transform: InputTransformSchema.default({ kind: 'fixed' }),
  /** Run every `everyS` seconds (first run right away). */
  everyS: z.number().positive(),
  /** Stop after this many runs (default: forever). */
  runs: z.number().int().positive().optional(),
});
export type CustomQuery = z.infer<typeof CustomQuerySchema>;

export const RateLimitSchema = z.strictObject({ burst: z.number().int().positive(), perSecond: z.number().positive() });

/** The `api` section of a validator's config. */
export const ApiConfigSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8600),
  /** Largest accepted request body / WebSocket message (bytes); larger → 413. */
  bodyLimitBytes: z.number().int().positive().default(64 * 1024),
  /** Seconds a request (headers and body) may take to arrive; slower ones get 408 and are closed. */
  requestTimeoutS: z.number().int().positive().default(30),
  auth: z
    .strictObject({
      mode: z.enum(['signed', 'open']).default('signed'),
      allow: z.array(z.string()).default([]),
      /** Also admit any hotkey holding a validator permit on this netuid. */
      permitNetuid: z.number().int().min(0).optional(),
      apiKeys: z.array(z.strictObject({ name: z.string().min(1), key: z.string().min(16) })).default([]),
      signatureWindowS: z.number().int().positive().default(300),
    })
    .default({ mode: 'signed', allow: [], apiKeys: [], signatureWindowS: 300 }),
  /** Per-caller token bucket on submissions. */
  rateLimit: RateLimitSchema.default({ burst: 20, perSecond: 2 }),
  /** Refuse (503) new submissions while this many are waiting. */
  maxPending: z.number().int().positive().default(1000),
  /** Refuse (503) a new SSE feed while this many are open (reads are public: each holds a connection). */
  maxStreams: z.number().int().positive().default(1000),
  /** weights_version → circuit id or model name for JSON-RPC proof_of_weights. */
  proofOfWeights: z.record(z.string(), z.string()).default({}),
  customQueries: z.array(CustomQuerySchema).default([]),
  /**
   * Shared state for API replicas (docs/api.md, "Replicas"): rate-limit buckets and seen signatures in this
   * Redis (redis://HOST:6379/0, rediss:// for TLS). Default: in this process's memory.
   */
  redis: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
  /**
   * With `redis`, the external request queue and its results live there too (docs/scale-out.md, "API
   * replicas"): each replica takes up to `concurrency` requests at a time for its validator; a replica that
   * stops renewing a request's lock for `lockMs` (it died) loses it to another replica.
   */
  redisQueue: z
    .strictObject({
      concurrency: z.number().int().positive().max(1000).default(4),
      lockMs: z.number().int().min(500).max(600_000).default(10_000),
      /** How long finished requests (results) stay readable, in seconds. */
      keepS: z.number().int().positive().default(7 * 24 * 3600),
    })
    .default({ concurrency: 4, lockMs: 10_000, keepS: 7 * 24 * 3600 }),
  /** Seconds between network overview samples kept for the dashboard charts. */
  historyIntervalS: z.number().positive().default(12),
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
export type ApiConfigInput = z.input<typeof ApiConfigSchema>;
