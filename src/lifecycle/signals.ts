/**
 * Process lifecycle of the long-running commands (docs/network.md, "Stopping"): the first SIGINT or
 * SIGTERM starts a graceful stop; a second one, or a stop that takes longer than the grace period,
 * exits at once.
 */

export const SHUTDOWN_GRACE_MS = 10_000;

export interface ShutdownOptions {
  /** How long the graceful stop may take before the process exits anyway (default 10 s). */
  graceMs?: number;
  log?: (line: string) => void;
}

/**
 * Resolves on the first SIGINT/SIGTERM. The handlers stay installed: a second signal exits with 130
 * (the shell's Ctrl-C code) and a stop still running after `graceMs` exits with 1.
 */
export function untilShutdown(opts: ShutdownOptions = {}): Promise<NodeJS.Signals> {
  const graceMs = opts.graceMs ?? SHUTDOWN_GRACE_MS;
  const log = opts.log ?? ((l: string) => console.error(l));
  return new Promise((resolve) => {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      received += 1;
      if (received > 1) {
        log(`${signal} again: exiting now`);
        process.exit(130);
      }
      log(`${signal}: stopping (press Ctrl-C again to force)…`);
      setTimeout(() => {
        log(`still stopping after ${graceMs / 1000} s: exiting now`);
        process.exit(1);
      }, graceMs).unref();
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
