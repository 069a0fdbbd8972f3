// Plain progress lines for non-terminal output (docs/network.md, "Progress output").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineProgress } from '../../src/cli/progress.js';

test('lineProgress: a line at each stage start and end, at most one per interval in between', () => {
  const lines: string[] = [];
  let now = 0;
  const p = lineProgress((l) => lines.push(l), 5000, () => now);
  p.onProgress('setup', 0, 100);
  for (let i = 1; i < 100; i++) { now += 100; p.onProgress('setup', i, 100); } // 9.9 s of updates
  now += 100;
  p.onProgress('setup', 100, 100);
  p.onProgress('prove', 0, 1);
  assert.deepEqual(lines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')), ['setup 0/100', 'setup 50/100', 'setup 100/100', 'prove 0/1']);
  assert.match(lines[2]!, /\(100%\)\s+10 s$/);
});
