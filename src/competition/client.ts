/** Read a validator's leaderboard over its API (docs/competitions.md). */
import { InvalidInputError, ZkinferError } from '../errors/base.js';
import { LeaderboardSchema, type Leaderboard } from './leaderboard.js';

export async function fetchLeaderboard(baseUrl: string, task: string): Promise<Leaderboard> {
  let url: URL;
  try {
    url = new URL(`/v1/competitions/${encodeURIComponent(task)}/leaderboard`, baseUrl);
  } catch {
    throw new InvalidInputError(`--validator "${baseUrl}" is not a URL`, { hint: 'e.g. http://127.0.0.1:8600' });
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw new ZkinferError('VALIDATOR_UNREACHABLE', `cannot reach ${url.origin}: ${(cause as Error).message}`, { hint: 'is the validator running with --api-port and --competition?', cause });
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string; hint?: string } } | undefined;
  if (!res.ok) throw new ZkinferError('LEADERBOARD_UNAVAILABLE', `${url}: ${res.status} ${body?.error?.message ?? res.statusText}`, { hint: body?.error?.hint ?? 'check the task name (zkinfer competition list)' });
  const r = LeaderboardSchema.safeParse(body);
  if (!r.success) throw new ZkinferError('LEADERBOARD_INVALID', `${url} did not answer a leaderboard: ${r.error.issues[0]?.message ?? ''}`);
  return r.data;
}
