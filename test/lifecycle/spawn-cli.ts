// Spawning the real `zkinfer` CLI as a child process (from source under tsx, or compiled under dist/),
// as a user types it: tests of process lifecycle, locks, prompts and the README tour use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The program a user runs: bin/zkinfer.js, which runs the one-file bundles that `npm test` builds after tsc (or the
 * compiled modules when they are missing or older, src/cli/bundle.ts); from the sources under tsx, the CLI's own
 * modules through helpers/cli-entry.ts.
 */
const ENTRY = import.meta.url.endsWith('.ts')
  ? fileURLToPath(new URL('../eth/helpers/cli-entry.ts', import.meta.url))
  : fileURLToPath(new URL('../../../bin/zkinfer.js', import.meta.url));
/** `--import tsx` names a package, resolved from the cwd: pin it to this checkout's so any cwd works. */
const pinLoader = (a: string): string => (a === 'tsx' || a === '--import=tsx' ? a.replace('tsx', import.meta.resolve('tsx')) : a);
/** node arguments that run the CLI entry (tsx when the tests run from source), from any working directory. */
export const CLI_NODE_ARGS = [...process.execArgv.filter((a) => !a.startsWith('--test')).map(pinLoader), ENTRY];

export interface Running {
  proc: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves when stdout+stderr match `re` (rejects if the process exits first or after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (signal name when killed) and how long after the call it came. */
  exited(ms?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

export function startCli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Running {
  const proc = spawn(process.execPath, [...CLI_NODE_ARGS, ...args], {
    env: { ...process.env, ...opts.env }, cwd: opts.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const waiters = new Set<() => void>();
  const poke = (): void => { for (const w of waiters) w(); };
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); poke(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); poke(); });
  return {
    proc,
    out: () => out,
    err: () => err,
    waitFor(re, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = re.exec(out + err);
          if (m) { done(); resolve(m); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${re}:\n${out}\n${err}`)); }, ms);
        const done = (): void => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        void exit.then(() => setImmediate(() => { if (waiters.has(check)) { done(); reject(new Error(`exited before ${re}:\n${out}\n${err}`)); } }));
        check();
      });
    },
    async exited(ms = 30_000) {
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([exit, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${out}\n${err}`)), ms); })]);
      clearTimeout(timer);
      return { ...r, afterMs: Date.now() - t0 };
    },
  };
}

/** Run `node argv…` to its end, collecting stdout and stderr, without blocking this process (it may serve the child). */
export function runNode(argv: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { env: { ...process.env, ...opts.env }, ...(opts.cwd ? { cwd: opts.cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
