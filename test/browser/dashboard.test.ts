// End-to-end: the dashboard in a real browser (Debian's chromium via playwright-core) against a real network
// on 127.0.0.1 (devnet, 2 miners, validator + API) — see the network overview, submit an inference from the
// form, watch a miner prove it, and see the proof verified in the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { endSnarkjs, startApi } from '../api/harness.js';
import { compileZooModel } from '../../src/models/compiled.js';
import { cacheDir } from '../../src/models/paths.js';
import { zooModelAdapter } from '../../src/api/zoo-models.js';
import { ZOO } from '../../src/models/zoo.js';
import { startNetwork, type TestNetwork } from '../api/network.js';
import { repoRoot } from '../zkml/prove-fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

/** Newest mtime of the files under the dashboard's sources (web/src, web/index.html, src/client, src/api/wire.ts). */
function newestSource(): number {
  const walk = (p: string): number => (statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((f) => walk(join(p, f)))) : statSync(p).mtimeMs);
  return Math.max(...['web/src', 'web/index.html', 'src/client', 'src/api/wire.ts'].map((p) => walk(join(repoRoot, p))));
}

/** web/dist, built with Vite when missing or older than its sources. */
function ensureDashboardBuilt(): string {
  const dist = join(repoRoot, 'web', 'dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestSource()) {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'], { cwd: repoRoot, stdio: 'pipe' });
  }
  return dist;
}

let h: TestNetwork;
let context: BrowserContext;
let profile: string;

before(async () => {
  if (skip) return;
  const dashboardDir = ensureDashboardBuilt();
  h = await startNetwork({ config: { auth: { mode: 'open' } }, dashboardDir });
  profile = mkdtempSync(join(tmpdir(), 'zkinfer-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (skip) return;
  await context?.close();
  await h?.close();
  await endSnarkjs();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('dashboard: submit an inference from the form and see its proof verified in the browser', { skip, timeout: 180_000 }, async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Everything the page loads must come from the validator itself (no CDN).
  const origins = new Set<string>();
  // The network overview's reads: a thinned first load, then only what changed (docs/api.md "Dashboard").
  const networkQueries: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    origins.add(url.origin);
    if (url.pathname === '/v1/network') networkQueries.push(url.search);
  });

  await page.goto(h.url);
  await page.waitForSelector('#circuit option', { state: 'attached' });
  assert.match((await page.textContent('#circuit')) ?? '', /affine/);
  assert.match(await page.inputValue('#input'), /"x"/);
  await page.fill('#input', JSON.stringify({ x: [1.5, -2, 0.25] }));
  await page.click('#submit-button');
  const verdict = page.locator('#submit-result .verify:not(.pending)');
  await verdict.waitFor({ timeout: 120_000 });
  assert.equal(await verdict.getAttribute('data-verified'), 'true', (await verdict.textContent()) ?? '');
  assert.match((await verdict.textContent()) ?? '', /proof verified in your browser/);
  // checked against the input this page submitted (never the server's echo), and the dev key is flagged
  assert.match((await page.textContent('#submit-result .checks')) ?? '', /public inputs are your input: yes/);
  assert.match((await page.textContent('#submit-result .insecure-dev')) ?? '', /INSECURE-DEV circuit/);
  assert.match((await page.textContent('#progress')) ?? '', /verified/);
  assert.match((await page.textContent('#submit-result .output')) ?? '', /13\.75/);

  // The network overview: miners, verified proofs, charts drawn as SVG.
  await page.waitForFunction(() => Number(document.querySelector('#card-verified .value')?.textContent ?? 0) > 0, undefined, { timeout: 60_000 });
  assert.equal(await page.textContent('#card-miners .value'), '2');
  await page.waitForSelector('#chart-proofs svg path', { state: 'attached', timeout: 30_000 });
  await page.waitForSelector('#chart-scores svg rect', { state: 'attached', timeout: 30_000 });
  assert.equal(await page.locator('#miners tbody tr').count(), 2);
  assert.equal(networkQueries[0], '?points=140');
  // (until it holds two points, a refresh is a first load again)
  assert.ok(networkQueries.every((q) => /^\?(points=140|since=\d+)$/.test(q)), networkQueries.join(' '));

  // A bad input is caught in the page against the served input_schema: the field named next to the input, no submit.
  await page.fill('#input', JSON.stringify({ x: [1, 'two', 3] }));
  await page.waitForSelector('#input-issues li[data-field="input.x[1]"]');
  assert.equal(await page.isDisabled('#submit-button'), true);
  assert.equal(await page.getAttribute('#input', 'aria-invalid'), 'true');
  // What the schema cannot say (the circuit's fixed-point range) the server refuses: its answer is shown.
  await page.fill('#input', JSON.stringify({ x: [1e9, 0, 0] }));
  await page.waitForSelector('#submit-button:not([disabled])');
  assert.equal(await page.locator('#input-issues li').count(), 0);
  await page.click('#submit-button');
  await page.waitForSelector('#submit-result .error');
  assert.match((await page.textContent('#submit-result .error')) ?? '', /input\.x\[0\]: out of range/);

  // Proof explorer: the inference is listed; verifying it again happens in the page.
  const id = await page.getAttribute('#submit-result', 'data-id');
  await page.evaluate(() => document.querySelector<HTMLElement>('#explorer')?.scrollIntoView());
  const row = page.locator(`#inferences tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 15_000 });
  await row.locator('button.verify-button').click();
  const explored = page.locator('#explorer-detail .verify:not(.pending)');
  await explored.waitFor({ timeout: 60_000 });
  assert.equal(await explored.getAttribute('data-verified'), 'true');

  assert.deepEqual([...origins].filter((o) => o !== h.url && !o.startsWith('blob:') && o !== 'null'), []);
  // the 400 of the bad input above is expected
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
});

test('dashboard: no other site can frame it, and markup that got into the page could not run script (CSP)', { skip, timeout: 60_000 }, async () => {
  for (const path of ['/', '/v1/circuits', '/nope']) {
    const res = await fetch(`${h.url}${path}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
  }
  // A page of another origin (another port) that frames the dashboard gets an error page in the frame.
  const evil = createServer((_req, res) => res.end(`<!doctype html><p>win a prize</p><iframe src="${h.url}/"></iframe>`));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame!.waitForLoadState();
    assert.equal(await frame!.locator('#submit-form').count(), 0, 'the dashboard rendered inside another site');
    assert.doesNotMatch(frame!.url(), /^http:\/\/127\.0\.0\.1/);

    // On the dashboard itself, an inline handler that reached the DOM does not run: when the page's own listener
    // (registered after it) has seen the event, the inline one would have run first.
    await page.goto(h.url);
    await page.waitForSelector('#circuit option', { state: 'attached' });
    const ran = await page.evaluate(() => new Promise((resolve) => {
      const w = window as { __ran?: boolean };
      document.body.insertAdjacentHTML('beforeend', '<img id="injected" src="data:," onerror="window.__ran=true">');
      document.getElementById('injected')!.addEventListener('error', () => resolve(w.__ran ?? false));
    }));
    assert.equal(ran, false);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    evil.close();
  }
});

// The two zoo circuits that set up in seconds cover both request forms (a staking position; `{input: tensor}`);
// test/api/input-check.test.ts checks every plugin's served schema against the server's.
const ZOO_IN_BROWSER = ['exit-mlp', 'scoring-ema'];

test('dashboard: zoo-model inputs are checked in the page against the served input_schema; the API\'s refusal is still shown', { skip, timeout: 300_000 }, async () => {
  // Real zoo circuits (compiled once, cached), served by an API with its default signed auth.
  const circuits = [];
  for (const m of ZOO.filter((z) => ZOO_IN_BROWSER.includes(z.name))) {
    const { dir, metadata } = await compileZooModel(m.name, { outDir: cacheDir('test-models', 'dashboard', m.name) });
    const model = zooModelAdapter(metadata);
    assert.ok(model, m.name);
    circuits.push({ dir, model });
  }
  const api = await startApi({ circuits, dashboardDir: ensureDashboardBuilt() });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(api.url);
    await page.waitForSelector('#circuit option', { state: 'attached' });
    const names = await page.locator('#circuit option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(names.sort(), [...ZOO_IN_BROWSER].sort());
    for (const name of names) {
      await page.selectOption('#circuit', name);
      // the model's example is valid: no messages, submit enabled
      await page.waitForSelector('#submit-button:not([disabled])');
      assert.equal(await page.locator('#input-issues li').count(), 0, name);
      const example = JSON.parse(await page.inputValue('#input')) as Record<string, unknown>;
      const bad = structuredClone(example);
      if ('days' in bad) {
        (bad['days'] as Array<Record<string, unknown>>)[2]!['apr_pct'] = 150;
        bad['token'] = 'DOGE';
      } else (bad['input'] as unknown[]).pop();
      await page.fill('#input', JSON.stringify(bad));
      const fields = 'days' in bad ? ['input.days[2].apr_pct', 'input.token'] : ['input.input'];
      for (const f of fields) await page.waitForSelector(`#input-issues li[data-field="${f}"]`);
      assert.equal(await page.isDisabled('#submit-button'), true, name);
      await page.fill('#input', '{"input": [');
      await page.waitForSelector('#input-issues li[data-field="input"]');
      assert.match((await page.textContent('#input-issues')) ?? '', /not valid JSON/);
      await page.fill('#input', JSON.stringify(example));
      await page.waitForSelector('#submit-button:not([disabled])');
    }
    // a valid input the server refuses (no API key / signature): the API's error is shown
    await page.click('#submit-button');
    await page.waitForSelector('#submit-result .error');
    assert.match((await page.textContent('#submit-result .error')) ?? '', /401|sign|key|auth/i);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await api.close();
  }
});
