// The native one-shot `zkinfer prove` (native/src/cli_prove.cpp; docs/network.md "CLI start-up", round 21), run as a
// user's shell runs `zkinfer prove`: bin/zkinfer.js executed, its sh launcher choosing the native program. Its first
// run of a circuit is Node's (no plan yet), which writes the plan; from then on the native program proves, and its
// PROOF.json and lines are the Node command's (the proof itself aside: fresh randomness), for several inputs and a
// recipient, and its proofs verify. Every case it does not prove — a bad input, a changed artifact, no witness tape, a
// damaged plan, an unwritable --out — runs Node, with the Node command's own exit code and error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { sha256Hex } from '../../src/zkml/format/circuit-id-node.js';
import { repoRoot, testCache, zkinfer } from './prove-fixtures.js';

const BIN = join(repoRoot, 'bin', 'zkinfer.js');
const skip = existsSync(join(repoRoot, 'native', 'build', 'Release', 'zkinfer-prove')) ? false : 'the native `zkinfer prove` is not built (npm ci builds it)';
const work = join(testCache, 'native-prove-cli');
const env = { ZKINFER_CACHE_DIR: testCache };

interface Run { code: number | null; stdout: string; stderr: string; native: boolean }
/**
 * `zkinfer ARGS` through the launcher; `native`: the native program proved (its trace line), else Node ran (the native
 * program's trace says why, or with ZKINFER_NATIVE_CLI=0 the launcher started Node itself: no trace).
 */
function launcher(args: string[], extra: Record<string, string> = {}): Run {
  const r = spawnSync(BIN, args, { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env, ZKINFER_NATIVE_CLI_TRACE: '1', ...extra } });
  const trace = r.stderr.split('\n').filter((l) => l.startsWith('zkinfer: native prove: '));
  assert.equal(trace.length, extra.ZKINFER_NATIVE_CLI === '0' ? 0 : 1, `trace lines: ${r.stderr}`);
  if (trace.length === 0) return { code: r.status, stdout: r.stdout, stderr: r.stderr, native: false };
  const native = trace[0] === 'zkinfer: native prove: proved without Node';
  if (!native) assert.match(trace[0]!, /; running Node$/);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('zkinfer: native prove: ')).join('\n'), native };
}

/** a (float [1,4]), b (float [1,3]) → y = a·W + b, d = relu(a·V − b): two inputs, two outputs, negative values. */
function model(): Uint8Array {
  const o = new OnnxBuilder('twoin');
  o.input('a', [1, 4]);
  o.input('b', [1, 3]);
  const m = o.node('MatMul', ['a', o.init('W', [4, 3], [0.5, -0.25, 0.75, 1, -1.5, 0.125, 0.3, 0.6, -0.9, -0.2, 0.1, 0.05])], ['m']);
  o.node('Add', [m, 'b'], ['y']);
  o.node('Sub', [o.node('MatMul', ['a', o.init('V', [4, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5])], ['a3']), 'b'], ['d0']);
  o.node('Relu', ['d0'], ['d']);
  o.output('y', [1, 3]);
  o.output('d', [1, 3]);
  return o.toBytes();
}

/** Where the children's (ZKINFER_CACHE_DIR=testCache) plan of the circuit in `dir` lives: named by metadata.json's sha256. */
const planOf = (dir: string) => join(testCache, 'prove-plan', `${sha256Hex(readFileSync(join(dir, 'metadata.json')))}.v1`);
const withoutProof = (text: string) => { const f = JSON.parse(text) as Record<string, unknown>; delete f.proof; return f; };
const TIMING = /^prover native {2}witness \d+\.\d ms {2}prove \d+\.\d ms {2}total \d+ ms$/;

test('after one Node run of a circuit the native program proves it, with the Node command\'s file and lines', { skip }, () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'twoin.onnx'), model());
  const dir = join(work, 'art');
  const c = zkinfer(['compile', join(work, 'twoin.onnx'), '--out', dir, '--scale', '8'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  const plan = planOf(dir);
  rmSync(plan, { force: true });

  const inputs = [
    [[0.5, -1.25, 2, 0.0625], [1, -0.5, 0.25]],
    [[-3.5, 0, 1 / 512, -1 / 512], [0, 0, 0]], // halves of the last fractional bit: rounded as Math.round does
    [[3 / 1024, -3 / 1024, 7.99, -7.99], [-2, 3.14159, -0.001]],
  ];
  inputs.forEach((data, i) => writeFileSync(join(work, `in${i}.json`), JSON.stringify({ input_data: data })));
  const args = (i: number, out: string, more: string[] = []) => ['prove', dir, '--input', join(work, `in${i}.json`), '--out', join(work, out), ...more];

  const first = launcher(args(0, 'node0.json'));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.native, false, 'no plan yet: Node proves');
  assert.ok(existsSync(plan), 'the Node command wrote the plan');

  for (let i = 0; i < inputs.length; i++) {
    const viaNode = launcher(args(i, `node${i}.json`), { ZKINFER_NATIVE_CLI: '0' });
    assert.equal(viaNode.code, 0, viaNode.stderr);
    const nat = launcher(args(i, `native${i}.json`));
    assert.equal(nat.code, 0, nat.stderr);
    assert.equal(nat.native, true, `input ${i}: the native program proves`);
    const text = readFileSync(join(work, `native${i}.json`), 'utf8');
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 1) + '\n', 'formatted as JSON.stringify(file, null, 1)');
    assert.deepEqual(withoutProof(text), withoutProof(readFileSync(join(work, `node${i}.json`), 'utf8')), `input ${i}: the same outputs, public signals, id, labels`);
    const [nodeLines, nativeLines] = [viaNode.stdout, nat.stdout].map((s) => s.replace(/node\d\.json|native\d\.json/, 'P').trimEnd().split('\n'));
    assert.deepEqual(nativeLines!.slice(0, -1), nodeLines!.slice(0, -1));
    assert.match(nativeLines!.at(-1)!, TIMING);
    const v = zkinfer(['verify', dir, join(work, `native${i}.json`), '--input', join(work, `in${i}.json`)], env);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  }

  // a recipient binds the proof (docs/eth.md): the same public signals as Node's, valid for it, invalid for another
  const to = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', other = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
  const nat = launcher(args(0, 'native-r.json', ['--recipient', to]));
  assert.equal(nat.native, true);
  const viaNode = launcher(args(0, 'node-r.json', ['--recipient', to]), { ZKINFER_NATIVE_CLI: '0' });
  assert.equal(viaNode.code, 0, viaNode.stderr);
  assert.deepEqual(withoutProof(readFileSync(join(work, 'native-r.json'), 'utf8')), withoutProof(readFileSync(join(work, 'node-r.json'), 'utf8')));
  const verify = (r: string) => zkinfer(['verify', dir, join(work, 'native-r.json'), '--input', join(work, 'in0.json'), '--recipient', r], env).code;
  assert.equal(verify(to), 0);
  assert.equal(verify(other), 1);
});

test('what the native program does not prove runs Node, with the Node command\'s exit code and error', { skip }, () => {
  const dir = join(work, 'art');
  assert.ok(existsSync(join(dir, 'metadata.json')), 'the test above compiled the circuit');
  const plan = planOf(dir);
  const input = (name: string, text: string) => { writeFileSync(join(work, name), text); return join(work, name); };
  const good = input('good.json', JSON.stringify({ input_data: [[0.5, -1, 2, 0], [1, 2, 3]] }));
  const prove = (circuit: string, inPath: string, out: string, extra: Record<string, string> = {}) => launcher(['prove', circuit, '--input', inPath, '--out', out], extra);
  assert.equal(prove(dir, good, join(work, 'ok.json')).native, true);

  const cases: Array<[string, string, string, RegExp]> = [
    ['an input outside the range', input('big.json', JSON.stringify({ input_data: [[1e6, 0, 0, 0], [0, 0, 0]] })), join(work, 'x.json'), /outside the circuit's range/],
    ['an input that rounds onto the range limit', input('edge.json', JSON.stringify({ input_data: [[0, 0, -7.999, 0], [0, 0, 0]] })), join(work, 'x.json'), /outside the circuit's range/],
    ['an input file that is not JSON', input('bad.json', '{"input_data": [[1, 2'), join(work, 'x.json'), /is not valid JSON/],
    ['too few values', input('short.json', JSON.stringify({ input_data: [[1, 2, 3], [1, 2, 3]] })), join(work, 'x.json'), /needs 4 values/],
    ['--out a directory', good, work, /it is a directory \(EISDIR\)/],
  ];
  for (const [what, inPath, out, error] of cases) {
    rmSync(join(work, 'x.json'), { force: true });
    const nat = prove(dir, inPath, out), viaNode = prove(dir, inPath, out, { ZKINFER_NATIVE_CLI: '0' });
    assert.equal(nat.native, false, what);
    assert.notEqual(nat.code, 0, what);
    assert.deepEqual([nat.code, nat.stderr, nat.stdout], [viaNode.code, viaNode.stderr, viaNode.stdout], what);
    assert.match(nat.stderr, error, what);
    assert.equal(existsSync(join(work, 'x.json')), false, `${what}: nothing written`);
  }

  // a copy of the circuit with vk.json changed: the plan of its (unchanged) metadata.json is found, the hash is not
  // metadata.json's, so Node runs and refuses the artifacts
  const copy = join(work, 'art-copy');
  rmSync(copy, { recursive: true, force: true });
  cpSync(dir, copy, { recursive: true });
  writeFileSync(join(copy, 'vk.json'), readFileSync(join(copy, 'vk.json'), 'utf8') + ' ');
  rmSync(join(work, 'x.json'), { force: true });
  const tampered = prove(copy, good, join(work, 'x.json'));
  assert.equal(tampered.native, false);
  assert.notEqual(tampered.code, 0);
  assert.match(tampered.stderr, /vk\.json has sha256 [0-9a-f]{64}, but metadata\.json records/);
  assert.equal(existsSync(join(work, 'x.json')), false);

  // no witness tape (a cleared cache): Node proves and records it again; then the native program proves
  const md = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { files: { program: string } };
  rmSync(join(testCache, 'witness-tape', `${md.files.program}.v1`), { force: true });
  const noTape = prove(dir, good, join(work, 'x.json'));
  assert.deepEqual([noTape.code, noTape.native], [0, false], noTape.stderr);
  assert.equal(prove(dir, good, join(work, 'x.json')).native, true);

  // a damaged plan is not used, and the Node run that follows replaces it
  writeFileSync(plan, 'zkinfer-prove-plan 1\nid nonsense\nend\n');
  const damaged = prove(dir, good, join(work, 'x.json'));
  assert.deepEqual([damaged.code, damaged.native], [0, false], damaged.stderr);
  assert.equal(prove(dir, good, join(work, 'x.json')).native, true);
});
