import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { affineArtifacts, endSnarkjs, startApi, startProving, type Harness } from './harness.js';

const KEY = 'cli-test-key-0123456789';
let h: Harness;
let prover: { stop(): Promise<void> };
let dir: string;

before(async () => {
  h = await startApi({ config: { auth: { mode: 'signed', apiKeys: [{ name: 'cli', key: KEY }] } } });
  prover = startProving(h);
  dir = mkdtempSync(join(tmpdir(), 'zkinfer-query-'));
});
after(async () => {
  await prover.stop();
  await h.close();
  await endSnarkjs();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the zkinfer CLI in-process; returns stdout/stderr lines and the exit code it set. */
async function zkinfer(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.exitCode = 0;
  try {
    await main(['node', 'zkinfer', ...args]);
  } finally {
    console.log = log;
    console.error = error;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

test('zkinfer query submits, waits for the proof and verifies it locally', async () => {
  const input = join(dir, 'input.json');
  writeFileSync(input, JSON.stringify({ x: [1.5, -2, 0.25] }));
  const r = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input, '--api-key', KEY);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /output: \{"lin":\[13\.75\],"prod":\[-3\]\}/);
  assert.match(r.out, /proof verified locally ✓ \(vk hash, Groth16, your inputs, output\)/);
  assert.match(r.out, /! not checked: circuit not pinned/);
  assert.match(r.err, /verified/);

  // pinned to a local circuit dir (its vk and layout) or to the right id: nothing left unchecked
  const { dir: circuitDir } = await affineArtifacts();
  const pinned = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input, '--api-key', KEY, '--circuit-dir', circuitDir);
  assert.equal(pinned.code, 0, pinned.err);
  assert.match(pinned.out, /proof verified locally ✓ \(vk hash, pinned circuit, Groth16, your inputs, output\)/);
  assert.doesNotMatch(pinned.out, /not checked/);
  // pinned to another circuit id: refused, exit code 3
  const wrong = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input, '--api-key', KEY, '--circuit-id', 'cd'.repeat(32));
  assert.equal(wrong.code, 3);
  assert.match(wrong.out, /not the circuit you pinned/);

  const j = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input, '--api-key', KEY, '--json', '--poll');
  const parsed = JSON.parse(j.out);
  assert.equal(parsed.inference.status, 'verified');
  assert.equal(parsed.verification.valid, true);
});

test('zkinfer query reports bad input with the field, and refused credentials, with exit code 2', async () => {
  const input = join(dir, 'bad.json');
  writeFileSync(input, JSON.stringify({ x: [1.5, 'x', 0.25] }));
  let r = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input, '--api-key', KEY);
  assert.equal(r.code, 2);
  assert.match(r.err, /400: input\.x\[1\]/);
  r = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', input);
  assert.equal(r.code, 2);
  assert.match(r.err, /401/);
  r = await zkinfer('query', '--validator', h.url, '--input', input);
  assert.equal(r.code, 2);
  assert.match(r.err, /exactly one of --model or --circuit/);
  r = await zkinfer('query', '--validator', h.url, '--model', 'affine', '--input', join(dir, 'missing.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read --input/);
});
