// When bin/zkinfer.js runs a bundle (src/cli/bundle.ts bundleFresh, docs/network.md "CLI start-up"): only when it and
// its runner are no older than the last tsc run that wrote anything. tsc builds incrementally and re-emits only what
// changed, so that run is dated by its build-info file, dist/.tsbuildinfo, and only without one by dist/src/cli/main.js.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { bundleFresh } from '../../src/cli/bundle.js';

const root = mkdtempSync(join(tmpdir(), 'zkinfer-bundle-fresh-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Write `rel` under the temp package root with a modification time of `t` seconds. */
function at(rel: string, t: number): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, t, t);
}

test('a bundle is fresh only when it and its runner are no older than tsc\'s build info, or main.js without one', () => {
  const T = 1_800_000_000;
  at('dist/src/cli/main.js', T);
  at('dist/bundle/prove.cjs', T + 10);
  at('dist/bundle/run.cjs', T + 10);
  assert.equal(bundleFresh('prove', root), true, 'no build info: dated by main.js');
  assert.equal(bundleFresh('cli', root), false, 'a missing bundle is never fresh');

  at('dist/.tsbuildinfo', T + 20); // an incremental tsc run re-emitted some module, not main.js
  assert.equal(bundleFresh('prove', root), false, 'older than the last tsc run: may hold older code');
  at('dist/bundle/prove.cjs', T + 30);
  assert.equal(bundleFresh('prove', root), false, 'the runner is older too');
  at('dist/bundle/run.cjs', T + 30);
  assert.equal(bundleFresh('prove', root), true);
  at('dist/src/cli/main.js', T + 40);
  assert.equal(bundleFresh('prove', root), true, 'with build info, main.js does not date the tsc run');
});
