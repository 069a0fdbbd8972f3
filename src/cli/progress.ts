/**
 * Plain progress lines for long CLI steps off a terminal (docs/network.md, "Progress output"): at each stage's
 * start and end and at most every few seconds in between, so a non-interactive run never stays silent for
 * minutes. Compile stages use the zkML reporter (src/zkml/progress.ts).
 */

export type ProgressFn = (stage: string, done: number, total: number) => void;

export interface ProgressReporter {
  onProgress: ProgressFn;
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
  };
}
