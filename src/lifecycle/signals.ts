/**
 * Process lifecycle of the long-running commands (docs/network.md, "Stopping"): a signal during start-up ends
 * the process at once; once started, the first SIGINT, SIGTERM or SIGHUP starts a graceful stop; a second one,
 * or a stop that takes longer than the grace period, exits at once.
 */

export const SHUTDOWN_GRACE_MS = 10_000;

/** The signals that stop a command: Ctrl-C, `kill`, and the terminal closing. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ShutdownOptions {
  /** How long the graceful stop may take before the process exits anyway (default 10 s). */
  graceMs?: number;
  log?: (line: string) => void;
}

export interface Shutdown {
  /**
   * The command has started: from now on the first signal starts a graceful stop. Resolves with that signal;
   * the handlers stay installed, so a second signal exits with 130 (the shell's Ctrl-C code) and a stop still
   * running after `graceMs` exits with 1.
   */
  ready(): Promise<NodeJS.Signals>;
}

/**
 * Take over the stop signals at the start of a command. Until `ready()`, a signal exits at once with 130 through
 * `process.exit`, so exit handlers run (a data folder's lock is released: docs/network.md, "One process per data
 * folder") where the signal's default action would leave the lock behind.
 */
export function handleSignals(opts: ShutdownOptions = {}): Shutdown {
  const graceMs = opts.graceMs ?? SHUTDOWN_GRACE_MS;
  const log = opts.log ?? ((l: string) => console.error(l));
  let started: ((signal: NodeJS.Signals) => void) | undefined;
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    // After a hang-up the terminal is gone: what the stop still prints has nowhere to go, and must not end it.
    if (signal === 'SIGHUP') for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
    if (!started) {
      log(`${signal} during start-up: exiting now`);
      process.exit(130);
    }
    if (received > 1) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    log(`${signal}: stopping (press Ctrl-C again to force)…`);
    setTimeout(() => {
      log(`still stopping after ${graceMs / 1000} s: exiting now`);
      process.exit(1);
    }, graceMs).unref();
    started(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return { ready: () => new Promise((resolve) => { started = resolve; }) };
}
