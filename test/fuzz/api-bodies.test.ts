// Fuzzing the validator API's HTTP bodies (docs/security.md): any body gets 202 or a 4xx with a typed error
// code (never a 500), and the server keeps serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startApi, type Harness } from '../api/harness.js';

let h: Harness;
before(async () => { h = await startApi(); });
after(async () => { await h.close(); });

test('fuzz: POST /v1/inferences with arbitrary JSON answers 202 or a typed 4xx, never 5xx', async () => {
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record({ model: fc.oneof(fc.constant('affine'), fc.string()), input: fc.jsonValue() }),
    fc.record({ model: fc.constant('affine'), input: fc.record({ x: fc.array(fc.oneof(fc.double(), fc.jsonValue()), { maxLength: 4 }) }) }),
  );
  await fc.assert(fc.asyncProperty(body, async (b) => {
    const r = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const j = (await r.json()) as { error?: { code: string } };
    assert.ok(r.status === 202 || (r.status >= 400 && r.status < 500 && typeof j.error?.code === 'string'), `${r.status} ${JSON.stringify(j)}`);
  }), { numRuns: 60 });
  const raw = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "affine", "input": ' });
  assert.equal(raw.status, 400);
});
