// A real redis-server (Debian's package) on a free loopback port in a temp dir, for the fleet and API-replica
// tests. No mock: without the binary the tests are skipped with a reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/** Path of redis-server on PATH, or undefined. */
export function redisServerBinary(): string | undefined {
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    const p = join(d, 'redis-server');
    if (d && existsSync(p)) return p;
  }
  return undefined;
}

/** `skip` option for node:test: the reason when redis-server is missing. */
export const skipWithoutRedis: string | false = redisServerBinary() ? false : 'redis-server is not installed (apt-get install redis-server); the fleet needs a real Redis';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface RedisHandle {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Start redis-server bound to 127.0.0.1, no persistence, in a temp dir; resolves once it answers PING. */
export async function startRedis(extra: string[] = []): Promise<RedisHandle> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'zkinfer-redis-'));
  const port = await freePort();
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (e) {
      if (i > 100 || proc.exitCode !== null) throw new Error(`redis-server did not start on port ${port}: ${(e as Error).message}`);
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    url, port, process: proc,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
