// The zkML commands as a user types them, with output paths they cannot write, a verify that cannot run, a batch
// with a file that is no proof, an unknown --dim and an input file saved with a byte-order mark: each a typed error
// with exit 2 (no stack trace), or, for the BOM, a normal run (docs/zkml-compile.md "Output directory",
// docs/zkml-prove.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { repoRoot, testCache, zkinfer, zkinferArgv } from './prove-fixtures.js';

const work = join(testCache, `cli-io-${process.pid}`);
const D = join(work, 'tiny');
const env = { ZKINFER_CACHE_DIR: join(testCache, 'user-cache') };
const proof = join(work, 'proof.json');

/** A typed CLI error: exit 2, `error: …` on stderr, no JS stack. */
function typedError(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /^error: /m);
  assert.doesNotMatch(r.stderr, /\n\s+at |node:internal|Node\.js v/, 'no stack trace');
}

before(() => {
  mkdirSync(work, { recursive: true });
  const b = new OnnxBuilder('tiny');
  b.input('x', [1, 2]);
  const m = b.node('MatMul', ['x', b.init('W', [2, 2], [0.5, -0.25, 0.75, 1])], ['m']);
  b.node('Relu', [m], ['y']);
  b.output('y', [1, 2]);
  writeFileSync(join(work, 'tiny.onnx'), b.toBytes());
  const s = new OnnxBuilder('sym');
  s.input('x', ['N', 2]);
  s.node('Relu', ['x'], ['y']);
  s.output('y', ['N', 2]);
  writeFileSync(join(work, 'sym.onnx'), s.toBytes());
  writeFileSync(join(work, 'in.json'), JSON.stringify({ input_data: [[0.5, -0.3]] }));
  const c = zkinfer(['compile', join(work, 'tiny.onnx'), '--out', D, '--precision', 'fast'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  const p = zkinfer(['prove', D, '--input', join(work, 'in.json'), '--out', proof], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
});
after(async () => { rmSync(work, { recursive: true, force: true }); await releaseSnarkjsCurve(); });

test('compile/prove/export-verifier: an --out that cannot be written is a typed error, exit 2, naming the path', () => {
  typedError(zkinfer(['compile', join(work, 'tiny.onnx'), '--out', join(proof, 'sub')], env), /cannot write .*proof\.json\/sub: .*proof\.json is a file, not a directory \(ENOTDIR\)/);
  typedError(zkinfer(['compile', join(work, 'tiny.onnx'), '--out', proof], env), /cannot write .*proof\.json: it is a file, not a directory \(ENOTDIR\)/);
  typedError(zkinfer(['prove', D, '--input', join(work, 'in.json'), '--out', work], env), new RegExp(`cannot write ${work}: it is a directory \\(EISDIR\\)`));
  typedError(zkinfer(['prove', D, '--input', join(work, 'in.json'), '--out', join(work, 'nowhere', 'p.json')], env), /folder .*nowhere does not exist \(ENOENT\)/);
  typedError(zkinfer(['export-verifier', D, '--out', work], env), new RegExp(`cannot write ${work}: it is a directory \\(EISDIR\\)[^]*Verifier\\.sol`));
});

test('--out under /proc: compile returns at once (no endless recursive mkdir), prove says it cannot write there', { skip: !existsSync('/proc/self') }, () => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, zkinferArgv(['compile', join(work, 'tiny.onnx'), '--out', '/proc/zk']), { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });
  typedError({ code: r.status, stdout: r.stdout, stderr: r.stderr }, /cannot write \/proc\/zk: /);
  assert.ok(Date.now() - t0 < 30_000);
  typedError(zkinfer(['prove', D, '--input', join(work, 'in.json'), '--out', '/proc/x.json'], env), /cannot write \/proc\/x\.json: /);
});

test('verify --json prints a JSON error on stdout when it cannot verify (exit 2)', () => {
  const r = zkinfer(['verify', D, join(work, 'missing.json'), '--json'], env);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const j = JSON.parse(r.stdout) as { valid: boolean; error: { code: string; message: string } };
  assert.equal(j.valid, false);
  assert.equal(j.error.code, 'PROOF_FORMAT');
  assert.match(j.error.message, /cannot read .*missing\.json/);
});

test('verify batch: a file that is no proof makes the batch exit 2, as it does alone; an invalid proof exits 1', () => {
  const garbage = join(work, 'garbage.json');
  writeFileSync(garbage, 'not json at all');
  assert.equal(zkinfer(['verify', D, garbage], env).code, 2);
  const b = zkinfer(['verify', D, proof, garbage], env);
  assert.equal(b.code, 2, b.stdout + b.stderr);
  assert.match(b.stdout, /valid {4}.*proof\.json/);
  assert.match(b.stdout, /garbage\.json: proof file is not valid JSON/);
  const tampered = JSON.parse(readFileSync(proof, 'utf8')) as { public_signals: string[] };
  tampered.public_signals[0] = (BigInt(tampered.public_signals[0]!) + 1n).toString();
  writeFileSync(join(work, 'tampered.json'), JSON.stringify(tampered));
  assert.equal(zkinfer(['verify', D, proof, join(work, 'tampered.json')], env).code, 1);
});

test('compile --dim with a name the model does not have is a typed error listing its symbolic dimensions', () => {
  typedError(zkinfer(['compile', join(work, 'sym.onnx'), '--out', join(work, 'sym'), '--dim', 'batchsize=4'], env), /--dim "batchsize": .*sym\.onnx has no such symbolic dimension; its symbolic dimensions are "N"/);
  typedError(zkinfer(['compile', join(work, 'tiny.onnx'), '--out', join(work, 't2'), '--dim', 'Q=3'], env), /it has no symbolic dimensions/);
  assert.ok(!existsSync(join(work, 'sym')) && !existsSync(join(work, 't2')));
});

test('an input file with a UTF-8 byte-order mark (Windows Notepad) proves and verifies', () => {
  const bom = join(work, 'in-bom.json');
  writeFileSync(bom, '\uFEFF' + JSON.stringify({ input_data: [[0.5, -0.3]] }));
  const p = zkinfer(['prove', D, '--input', bom, '--out', join(work, 'proof-bom.json')], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const v = zkinfer(['verify', D, join(work, 'proof-bom.json'), '--input', bom], env);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});
