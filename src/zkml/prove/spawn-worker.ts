import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';

// required on first use: a process that proves in its own thread (`zkinfer prove`) never loads node:worker_threads
// and the stream modules it pulls in (docs/network.md "CLI start-up")
const workerThreads = (): typeof import('node:worker_threads') => createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');

/**
 * Start a worker thread on a module that sits beside `fromUrl` as `<name>.js` (compiled, dist/) or
 * `<name>.ts` (sources under tsx, where the worker first registers tsx's ESM hooks itself).
 */
export function spawnModuleWorker(fromUrl: string, name: string, workerData: unknown): Worker {
  const js = new URL(`./${name}.js`, fromUrl);
  const { Worker } = workerThreads();
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(`./${name}.ts`, fromUrl);
  const tsxApi = pathToFileURL(createRequire(fromUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); });`, { eval: true, workerData });
}
