import type { ChildProcess, ForkOptions } from 'node:child_process';
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
  const { url, compiled } = moduleBeside(fromUrl, name);
  const { Worker } = workerThreads();
  if (compiled) return new Worker(url, { workerData });
  const tsxApi = pathToFileURL(createRequire(fromUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData });
}

/**
 * Fork a child process on the module beside `fromUrl` (as spawnModuleWorker finds it; under tsx, with `--import tsx`).
 * `memoryMiB` caps the child's memory: its V8 heap (--max-old-space-size) and, on Linux, all its private writable
 * memory, typed arrays and WebAssembly included (RLIMIT_DATA, set by `sh -c 'ulimit -d'` before it execs node).
 */
export function forkModule(fromUrl: string, name: string, options: Omit<ForkOptions, 'execArgv' | 'execPath'>, limits: { memoryMiB?: number } = {}): ChildProcess {
  const { url, compiled } = moduleBeside(fromUrl, name);
  const { fork } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'); // on first use, as workerThreads
  const nodeArgs = [...(compiled ? [] : ['--import', 'tsx']), ...(limits.memoryMiB !== undefined ? [`--max-old-space-size=${limits.memoryMiB}`] : [])];
  if (limits.memoryMiB === undefined || process.platform !== 'linux') return fork(fileURLToPath(url), [], { ...options, execArgv: nodeArgs });
  // fork runs `execPath ...execArgv module`: here sh, which sets the limit and execs node with the IPC channel inherited
  // a hard limit already below it stands (ulimit then fails, and the child runs under that lower limit)
  const script = `ulimit -d ${Math.floor(limits.memoryMiB) * 1024} 2>/dev/null; exec "$0" "$@"`;
  return fork(fileURLToPath(url), [], { ...options, execPath: '/bin/sh', execArgv: ['-c', script, process.execPath, ...nodeArgs] });
}

/** `<name>.js` beside `fromUrl` when it exists (compiled, dist/), else the `<name>.ts` source. */
function moduleBeside(fromUrl: string, name: string): { url: URL; compiled: boolean } {
  const js = new URL(`./${name}.js`, fromUrl);
  return existsSync(fileURLToPath(js)) ? { url: js, compiled: true } : { url: new URL(`./${name}.ts`, fromUrl), compiled: false };
}
