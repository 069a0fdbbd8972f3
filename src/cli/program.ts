import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ZkinferError } from '../errors/base.js';
import { VERSION } from '../version.js';
import { CACHE_DIR_ENV, STATE_DIR_ENV } from '../paths.js';
import { createdStdio } from './sync-output.js';

/**
 * The `zkinfer` program (global options, error handling, exit) with the commands `register` adds: all of them
 * (main.ts), or only `prove` in the one-file prove bundle (prove-entry.ts, docs/network.md "CLI start-up").
 */
export function buildProgram(register: (program: Command) => void): Command {
  const program = new Command('zkinfer')
    .description('Verifiable AI inference: compile models to zk circuits, prove, verify, and run the network')
    .version(VERSION)
    .option('--cache-dir <dir>', `cache folder for compiled circuits, keys, solc output (env ${CACHE_DIR_ENV}, default ~/.cache/zkinfer)`)
    .option('--state-dir <dir>', `state folder for devnet chains and validator databases (env ${STATE_DIR_ENV}, default ~/.local/state/zkinfer)`)
    .showHelpAfterError()
    // before the commands are added, which inherit it: a subcommand's usage error then reaches main() as a
    // CommanderError instead of commander's own process.exit(1)
    .exitOverride();
  program.hook('preAction', () => {
    const { cacheDir, stateDir } = program.opts<{ cacheDir?: string; stateDir?: string }>();
    if (cacheDir !== undefined) process.env[CACHE_DIR_ENV] = resolve(cacheDir);
    if (stateDir !== undefined) process.env[STATE_DIR_ENV] = resolve(stateDir);
  });
  register(program);
  return program;
}

/** CLI entry: run the program and turn typed errors into a readable message and exit code 2. */
export async function main(argv: string[], register: (program: Command) => void): Promise<void> {
  const program = buildProgram(register);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // a usage error (unknown or missing option, missing argument) is a bad flag like any other: exit 2, never the
      // 1 that `verify` and `verify-weights` mean as "invalid" (docs/network.md "CLI errors"); --help/--version keep 0
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof ZkinferError) {
      console.error(`error: ${err.describe()}`);
      process.exitCode = 2;
      return;
    }
    reportUnexpected(err);
  }
}

/** Env var that makes the CLI print an unexpected error's whole stack (docs/network.md "CLI errors"). */
export const DEBUG_ENV = 'ZKINFER_DEBUG';

/**
 * One line for an error zkinfer did not raise on purpose (a bug, or a library's error): its class and message, first
 * line only and cut at 300 characters; a SyntaxError's or ZodError's message is not shown at all, as it can quote the
 * data it failed on (a keyfile, a response). No stack: rethrown, Node would print it with the source line the error was
 * raised at, and for JSON.parse that line is the whole JSON text (docs/network.md "CLI errors"). Exit code 1.
 */
export function describeUnexpected(err: unknown): string {
  if (!(err instanceof Error)) return `unexpected ${typeof err} thrown`;
  if (err.name === 'SyntaxError' || err.name === 'ZodError') {
    const pos = /at position (\d+)/.exec(err.message)?.[1];
    return `${err.name}: invalid data${pos !== undefined ? ` at position ${pos}` : ''} (message withheld: it may quote the data)`;
  }
  const line = err.message.split('\n', 1)[0] ?? '';
  return `${err.name}: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`;
}

function reportUnexpected(err: unknown): void {
  process.exitCode = 1;
  if (process.env[DEBUG_ENV] === '1') {
    console.error(err); // the stack and cause, on request only: no source line is printed for a caught error
    return;
  }
  console.error(`error: ${describeUnexpected(err)}\n  → this is a bug or an unexpected failure; ${DEBUG_ENV}=1 prints its stack`);
}

/**
 * Process entry (bin/zkinfer.js): run the command, then exit. A failed command exits at once with its
 * code; after a successful one, a handle left open by a library (a worker thread, a keep-alive socket)
 * may not keep the process alive for more than a second (docs/network.md, "Stopping").
 */
export async function runCli(argv: string[], register: (program: Command) => void): Promise<void> {
  await main(argv, register);
  if (process.exitCode !== undefined && process.exitCode !== 0) process.exit();
  setTimeout(() => process.exit(), 1000).unref();
}

/**
 * Entry of a one-shot command bundle (prove-entry.ts): run the command, flush stdout and stderr, and exit at once —
 * the memory the command still holds (the native proving key) is the operating system's to reclaim, not freed piece
 * by piece at teardown (docs/network.md "CLI start-up"). Only the streams something created are flushed: the
 * command's own lines went out synchronously (sync-output.ts), and creating a stream just to flush it costs ≈ 10 ms.
 */
export async function runOneShot(argv: string[], register: (program: Command) => void): Promise<void> {
  await main(argv, register);
  const flushed = (s: NodeJS.WriteStream) => new Promise<void>((res) => { s.write('', () => res()); });
  await Promise.all(createdStdio().map(flushed));
  process.exit();
}
