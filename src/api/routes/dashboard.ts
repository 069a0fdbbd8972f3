import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../errors.js';

/** The package's built dashboard: web/dist (works from src/ under tsx and from dist/src/ compiled). */
export function defaultDashboardDir(): string {
  const up = import.meta.url.includes('/dist/src/') ? '../../../../' : '../../../';
  return fileURLToPath(new URL(`${up}web/dist`, import.meta.url));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

/**
 * What the dashboard may load and run (docs/api.md, "Dashboard"): its own scripts, styles and API only; snarkjs's
 * WebAssembly and its blob: workers; no inline script, plugin, <base> or framing by any page.
 */
export const DASHBOARD_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** GET / and /assets/* from the built dashboard directory (read-only, no directory listing, no traversal). */
export function registerDashboardRoutes(app: FastifyInstance, dir = defaultDashboardDir()): void {
  const serve = async (rel: string, reply: import('fastify').FastifyReply) => {
    const path = normalize(join(dir, rel));
    if (!path.startsWith(dir + sep)) throw new NotFoundError('not found');
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      if (rel === 'index.html') {
        throw new NotFoundError('the dashboard is not built', { hint: 'run `npm run build:web` (writes web/dist)' });
      }
      throw new NotFoundError(`no dashboard file ${rel}`);
    }
    const immutable = rel.startsWith('assets/');
    return reply
      .type(TYPES[extname(path)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('content-security-policy', DASHBOARD_CSP)
      .send(body);
  };
  app.get('/', async (_req, reply) => serve('index.html', reply));
  app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) => serve(`assets/${req.params['*']}`, reply));
  if (!existsSync(dir)) app.log.warn(`dashboard directory ${dir} missing; GET / will answer 404`);
}
