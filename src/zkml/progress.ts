/**
 * Progress reporting for long zkML stages (docs/zkml-compile.md, "Progress"): on a terminal one redrawn bar per
 * stage, otherwise log lines — at most one per stage per `everyMs` plus the start and the end. A stage that ends
 * within a second prints only its end line on a log.
 */
export interface ProgressReporter {
  (stage: string, done: number, total: number): void;
  /** End any bar in progress (before printing other lines). */
  end(): void;
}

export function progressReporter(out: NodeJS.WriteStream = process.stderr, opts: { everyMs?: number } = {}): ProgressReporter {
  const tty = Boolean(out.isTTY);
  const every = opts.everyMs ?? 2000;
  let current: string | undefined, start = 0, lastLine = 0, barOpen = false;
  const firstSeen = new Map<string, number>(); // a stage's time counts from its first report (stages may nest)
  const end = () => { if (barOpen) { out.write('\n'); barOpen = false; } };
  const report = ((stage: string, done: number, total: number) => {
    const now = Date.now();
    if (!firstSeen.has(stage)) firstSeen.set(stage, now);
    if (stage !== current) { end(); current = stage; start = firstSeen.get(stage)!; lastLine = 0; }
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const secs = ((now - start) / 1000).toFixed(1);
    const finished = done >= total;
    if (tty) {
      const width = 30, fill = Math.round(frac * width);
      out.write(`\r  ${stage.padEnd(22)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${secs} s`);
      barOpen = true;
      if (finished) end();
      return;
    }
    if (finished || (now - start > 1000 && now - lastLine >= every)) {
      out.write(`  ${stage} ${done}/${total}${finished ? ` done in ${secs} s` : ` (${(frac * 100).toFixed(0)}%, ${secs} s)`}\n`);
      lastLine = now;
    }
  }) as ProgressReporter;
  report.end = end;
  return report;
}
