/**
 * Progress of long CLI steps (docs/network.md, "Progress output"): a live bar per stage on a terminal,
 * and plain lines on a pipe or a log file (at each stage's start and end and at most every few seconds in
 * between), so a non-interactive run never stays silent for minutes.
 */

export type ProgressFn = (stage: string, done: number, total: number) => void;

export interface ProgressReporter {
  onProgress: ProgressFn;
  stop(): void;
}

/** Plain progress lines: one per stage start/end, and one every `everyMs` while a stage runs. */
export function lineProgress(write: (line: string) => void, everyMs = 5000, now: () => number = Date.now): ProgressReporter {
  const last = new Map<string, { at: number; done: number }>();
  const started = now();
  return {
    onProgress: (stage, done, total) => {
      const prev = last.get(stage);
      const t = now();
      const finished = done >= total;
      if (prev && prev.done === done) return;
      if (prev && !finished && t - prev.at < everyMs) return;
      last.set(stage, { at: t, done });
      const pct = total > 0 ? ` (${Math.floor((100 * Math.min(done, total)) / total)}%)` : '';
      write(`  ${stage} ${done}/${total}${pct}  ${((t - started) / 1000).toFixed(0)} s`);
    },
    stop: () => undefined,
  };
}

/** A bar per stage on a terminal stream, plain lines otherwise. */
export async function progressReporter(stream: NodeJS.WriteStream = process.stderr): Promise<ProgressReporter> {
  if (stream.isTTY !== true) return lineProgress((l) => stream.write(`${l}\n`));
  const { default: cliProgress } = await import('cli-progress');
  const bars = new cliProgress.MultiBar({ format: ' {stage} [{bar}] {percentage}% {value}/{total}', hideCursor: true, clearOnComplete: false, stream }, cliProgress.Presets.shades_classic);
  const byStage = new Map<string, ReturnType<typeof bars.create>>();
  return {
    onProgress: (stage, done, total) => {
      let b = byStage.get(stage);
      if (!b) {
        b = bars.create(Math.max(1, total), 0, { stage: stage.padEnd(14) });
        byStage.set(stage, b);
      }
      b.setTotal(Math.max(1, total));
      b.update(done, { stage: stage.padEnd(14) });
    },
    stop: () => bars.stop(),
  };
}
