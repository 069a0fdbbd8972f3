// The compile progress reporter: a redrawn bar per stage on a terminal, throttled log lines otherwise, and a stage's
// time counted from its first report even when other stages report in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressReporter } from '../../src/zkml/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => { chunks.push(s); return true; }, text: () => chunks.join('') } as unknown as NodeJS.WriteStream & { text: () => string };
}

test('on a terminal: one bar per stage, redrawn in place, ended by a newline', () => {
  const out = fakeStream(true);
  const p = progressReporter(out);
  p('constraints', 0, 4); p('constraints', 2, 4); p('constraints', 4, 4);
  p('setup', 0, 2);
  p.end();
  const text = out.text();
  assert.match(text, /\r  constraints +\[#{15}\.{15}\]  50%/);
  assert.match(text, /\r  constraints +\[#{30}\] 100%.*\n/);
  assert.match(text, /\r  setup +\[\.{30}\]   0%.*\n$/);
});

test('on a log: only stage ends (and, for long stages, a line every few seconds)', () => {
  const out = fakeStream(false);
  const p = progressReporter(out, { everyMs: 0 });
  p('import', 0, 1); p('import', 1, 1);
  p('zkey', 0, 2); p('direct zkey', 3, 7); p('zkey', 2, 2);
  const lines = out.text().trim().split('\n');
  assert.deepEqual(lines.map((l) => l.trim().split(' ')[0]), ['import', 'zkey']);
  assert.match(lines[1]!, /zkey 2\/2 done in \d+\.\d s/);
  assert.ok(!out.text().includes('\r'));
});
