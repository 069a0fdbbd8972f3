import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { listenError } from '../lifecycle/errors.js';
import type { ApiConfigInput } from './config.js';
import type { ApiServer } from './server.js';
import type { ValidatorApiOptions } from './validator-api.js';

export interface ApiFlags {
  apiPort?: string;
  apiHost?: string;
  apiConfig?: string;
  apiOpen?: boolean;
  apiKey?: string[];
  redis?: string;
  apiAllow?: string[];
}

/** The validator's API flags (for `zkinfer validator` and `zkinfer devnet up`). */
export function addApiOptions(c: Command): Command {
  return c
    .option('--api-port <port>', 'serve the external API and dashboard on this port (0 = any free port)')
    .option('--api-host <addr>', 'address the API listens on', '127.0.0.1')
    .option('--api-config <file>', 'JSON file: the API section (auth allow-list / permitNetuid / apiKeys, rateLimit, maxPending, customQueries, proofOfWeights)')
    .option('--api-open', 'accept unsigned submissions (rate-limited per IP) — for a local devnet only')
    .option('--api-key <name=key>', 'accept this API key (repeatable)', (v: string, acc: string[] = []) => [...acc, v], [] as string[])
    .option('--redis <url>', 'share the API\'s rate limits and replay set with other replicas through this Redis (redis://HOST:6379/0)')
    .option('--api-allow <ss58>', 'admit signed queries from this hotkey (repeatable); validator-permit holders of the subnet are admitted by default', (v: string, acc: string[] = []) => [...acc, v], [] as string[]);
}

/** The API config from the flags and the optional --api-config file (zod-checked, errors name the field). */
export async function apiConfigFromFlags(f: ApiFlags, defaults: { permitNetuid?: number } = {}): Promise<ApiConfigInput> {
  let file: Record<string, unknown> = {};
  if (f.apiConfig) {
    try {
      file = JSON.parse(await readFile(f.apiConfig, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new InvalidInputError(`cannot read --api-config ${f.apiConfig} as JSON`, { cause, hint: 'see docs/api.md for the format' });
    }
  }
  const port = Number(f.apiPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidInputError(`--api-port must be 0..65535, got ${f.apiPort}`);
  const keys = (f.apiKey ?? []).map((kv) => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new InvalidInputError(`--api-key must be name=key, got "${kv.slice(0, 20)}…"`);
    return { name: kv.slice(0, i), key: kv.slice(i + 1) };
  });
  const auth = { ...((file['auth'] as Record<string, unknown> | undefined) ?? {}) };
  if (f.apiOpen) auth['mode'] = 'open';
  if (keys.length) auth['apiKeys'] = [...((auth['apiKeys'] as unknown[] | undefined) ?? []), ...keys];
  if (f.apiAllow?.length) auth['allow'] = [...((auth['allow'] as unknown[] | undefined) ?? []), ...f.apiAllow];
  // Without a config saying otherwise, the subnet's own validator-permit holders may query (docs/api.md).
  if (auth['permitNetuid'] === undefined && defaults.permitNetuid !== undefined) auth['permitNetuid'] = defaults.permitNetuid;
  const merged = { ...file, port, host: f.apiHost ?? (file['host'] as string | undefined) ?? '127.0.0.1', auth, ...(f.redis ? { redis: f.redis } : {}) };
  const { ApiConfigSchema } = await import('./config.js');
  const parsed = ApiConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InvalidInputError(`API config: ${i.path.join('.') || '(root)'}: ${i.message}`, { hint: 'see docs/api.md for the format' });
  }
  // an allow-list entry that is no SS58 address admitted nobody, silently (docs/api.md "Authentication and limits")
  const { isSs58 } = await import('../protocol/signing.js');
  const bad = parsed.data.auth.allow.find((a) => !isSs58(a));
  if (bad !== undefined) throw new InvalidInputError(`--api-allow / auth.allow: "${bad}" is not an SS58 hotkey address`, { hint: 'e.g. 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' });
  return parsed.data;
}

/** Start the validator's API when --api-port was given; prints where the dashboard is. */
export async function startApiFromFlags(f: ApiFlags, deps: Omit<ValidatorApiOptions, 'config'>): Promise<ApiServer | undefined> {
  if (f.apiPort === undefined) return undefined;
  return startApi(await apiConfigFromFlags(f, { permitNetuid: deps.netuid }), deps);
}

/** Start the validator's API with a config already read (apiConfigFromFlags); prints where the dashboard is. */
export async function startApi(config: ApiConfigInput, deps: Omit<ValidatorApiOptions, 'config'>): Promise<ApiServer> {
  const { createValidatorApi } = await import('./validator-api.js');
  const api = await createValidatorApi({ ...deps, config });
  let url: string;
  try {
    url = await api.listen();
  } catch (cause) {
    await api.close().catch(() => undefined);
    throw listenError(cause, String(config.host), Number(config.port), 'pass --api-port with a free port (0 = any free port), or another --api-host');
  }
  console.log(`validator API and dashboard on ${url}/ (OpenAPI: ${url}/openapi.json)`);
  return api;
}
