// Auditing competition submissions (docs/competitions.md, "Auditing a submission"): a circuit whose outputs are
// left unconstrained proves any output for the validator's own inputs and passes every check on the vk and
// metadata — the audit (recompile the submitted model, check the proving key is a setup of that R1CS) refuses it;
// the honest compile of the same model passes. The validator audits in a process of its own with a time limit
// (audit-process.ts), which the helper below goes through: a submission whose recompile never ends is rejected at
// the limit while the calling thread keeps running.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { auditSubmission } from '../../src/competition/audit.js';
import { auditInChild } from '../../src/competition/audit-process.js';
import { AuditVerdicts, auditContext } from '../../src/competition/audit-verdicts.js';
import { submissionProblem } from '../../src/competition/evaluate.js';
import { writeBaseline } from '../../src/competition/submit.js';
import { getCompetitionTask } from '../../src/competition/tasks.js';
import { stakingLinearOnnx } from '../../src/competition/tasks/staking.js';
import { loadArtifacts, type LoadedArtifacts } from '../../src/zkml/artifacts/index.js';
import { circuitIdOfVk } from '../../src/zkml/artifacts/canonical.js';
import { compile, lowerModelFile } from '../../src/zkml/compile.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { BN254_R } from '../../src/zkml/fixed-point.js';
import { ConstraintStore } from '../../src/zkml/r1cs/store.js';
import { wtnsBytes, writeR1csFile } from '../../src/zkml/r1cs/write.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { devPtauPathOf, setupCircuit } from '../../src/zkml/setup/index.js';
import { readCompileSource, type CompileSource } from '../../src/zkml/source.js';
import { testCache } from '../zkml/prove-fixtures.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { SEQ_LEN } from '../../src/models/staking/schema.js';
import { N_FEATURES } from '../../src/models/staking/features.js';

const task = getCompetitionTask('staking-duration');
const work = join(testCache, 'competition-audit');
let honest: LoadedArtifacts;
let source: CompileSource;
let ptau: Uint8Array;

before(async () => {
  const base = join(work, 'baseline');
  const b = writeBaseline(task, base);
  const art = join(work, 'art');
  if (!existsSync(join(art, 'source', 'compile.json'))) await compile(b.onnx, { outDir: art, name: task.name, calibration: b.calibration, cacheDir: testCache });
  honest = await loadArtifacts(art);
  source = (await readCompileSource(art))!;
  ptau = readFileSync(devPtauPathOf(honest.metadata.ptau.source)!);
});
after(releaseSnarkjsCurve);

const audit = (o: { id?: string; zkey?: Uint8Array; source?: CompileSource; metadata?: LoadedArtifacts['metadata'] } = {}, limits: { timeoutS?: number; memoryMiB?: number; signal?: AbortSignal } = {}) => auditInChild({
  committedId: o.id ?? honest.metadata.id, metadata: o.metadata ?? honest.metadata, source: o.source ?? source,
  zkey: o.zkey ?? readFileSync(honest.paths.zkey), minerPtau: ptau,
}, limits);

test('the honest compile of the baseline passes the audit (its key is a setup of the recompiled R1CS, vk = commitment)', async () => {
  assert.equal(await audit(), undefined);
  assert.equal(source.options.name, task.name);
  assert.equal(source.options.calibration, true);
});

test('a circuit with unconstrained outputs proves a forged output, passes the vk/metadata checks, and is refused by the audit', async () => {
  const mal = join(work, 'malicious');
  mkdirSync(mal, { recursive: true });
  // The honest program's constraints, minus every constraint that mentions an output wire (1..nOutputs).
  const low = await lowerModelFile(join(work, 'art', 'source', 'model.onnx'), { name: task.name, calibration: join(work, 'art', 'source', 'calibration.json') });
  const item = task.competition.draw(5, 1)[0]!;
  const ints = item.input.map((v) => BigInt(Math.round(v * 2 ** low.scale)));
  const circ = emitProgram(low.low.program, { inputs: ints, constraints: true });
  const kept = new ConstraintStore();
  const isOut = (w: number) => w >= 1 && w <= circ.nOutputs;
  let dropped = 0;
  circ.constraints.forEach(([a, b, c]) => {
    if ([a, b, c].some((r) => r.some(([w]) => isOut(w)))) { dropped++; return; }
    kept.push(new Map(a), new Map(b), new Map(c));
  });
  assert.ok(dropped > 0 && kept.length > 0);
  await writeR1csFile(join(mal, 'circuit.r1cs'), { ...circ, constraints: kept });
  const setup = await setupCircuit({ r1csPath: join(mal, 'circuit.r1cs'), outDir: mal, cacheDir: testCache });
  const vk = JSON.parse(readFileSync(setup.vkPath, 'utf8')) as Record<string, unknown>;
  const zkey = readFileSync(setup.zkeyPath);

  // It is really malicious: the honest witness with a forged output (+1000 in real units) proves and verifies.
  const forged = [...circ.witness!];
  forged[1] = (forged[1]! + 1000n * 2n ** BigInt(honest.metadata.outputs[0]!.scaleBits)) % BN254_R;
  const { proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtnsBytes(forged));
  assert.equal(await snarkjs.groth16.verify(vk, publicSignals, proof), true);
  assert.notEqual(publicSignals[0], circ.witness![1]!.toString());

  // The vk and metadata checks a validator did before the audit all pass.
  const id = circuitIdOfVk(vk);
  const metadata = { ...honest.metadata, id };
  assert.equal(submissionProblem(task, id, metadata, vk, true), undefined);
  // The audit refuses it: its key is not a setup of the circuit compiled from the submitted model.
  assert.match(await audit({ id, zkey, metadata }) ?? '', /not a Groth16 setup of the circuit zkinfer compiles/);
});

test('the audit refuses a source that is not the circuit\'s model, a tampered interface, a key for another commitment, a wrong dev ptau', async () => {
  const other: CompileSource = { ...source, model: stakingLinearOnnx(new Array(40).fill(0), 3) };
  assert.match(await audit({ source: other }) ?? '', /not a Groth16 setup|public layout are not those/);
  const tampered = { ...honest.metadata, outputs: honest.metadata.outputs.map((o) => ({ ...o, scaleBits: o.scaleBits + 1 })) };
  assert.match(await audit({ metadata: tampered }) ?? '', /inputs\/outputs\/public layout are not those/);
  assert.match(await audit({ id: 'ab'.repeat(32) }) ?? '', /is not the committed circuit/);
  assert.match(await auditSubmission({ committedId: honest.metadata.id, metadata: honest.metadata, source, zkey: readFileSync(honest.paths.zkey), minerPtau: new Uint8Array(8) }) ?? '', /not the one metadata.ptau names/);
  assert.match(await auditSubmission({ committedId: honest.metadata.id, metadata: { ...honest.metadata, security: 'ceremony' }, source, zkey: readFileSync(honest.paths.zkey) }) ?? '', /--competition-ptau/);
  const broken: CompileSource = { ...source, model: new Uint8Array([1, 2, 3]) };
  assert.match(await audit({ source: broken }) ?? '', /does not compile/);
});

/** A model of a few hundred bytes whose recompile takes minutes at 2,000 rows here (15 s at 500): its 40 inputs
 * expanded to `rows` rows of one channel, a Relu, a BatchNormalization, one ReduceSum over every element. The last two
 * are one affine map, probed column by column (one output reads every element), and each probe runs both over the
 * whole input (a BatchNormalization of zeros is its offset, not zeros): quadratic in it (docs/zkml-compile.md
 * "Quantizing large layers"). */
function slowModel(rows: number): Uint8Array {
  const b = new OnnxBuilder('slow');
  b.input('input', [SEQ_LEN, 1, N_FEATURES]);
  const n = SEQ_LEN * N_FEATURES;
  const flat = b.node('Reshape', ['input', b.initInt64('s1', [2], [1, n])], ['flat']);
  const wide = b.node('Expand', [flat, b.initInt64('s2', [2], [rows, n])], ['wide']);
  const image = b.node('Reshape', [wide, b.initInt64('s3', [4], [1, 1, rows, n])], ['image']);
  const r = b.node('Relu', [image], ['r']);
  const bn = b.node('BatchNormalization', [r, b.init('s', [1], [1.5]), b.init('bb', [1], [0.25]), b.init('m', [1], [0.1]), b.init('v', [1], [2])], ['bn']);
  b.output(b.node('ReduceSum', [bn, b.initInt64('ax', [4], [0, 1, 2, 3])], ['y'], { keepdims: 1 }), [1, 1, 1, 1]);
  return b.toBytes();
}

test('a submission whose recompile outlasts the time limit is rejected at the limit while the calling thread keeps running; stopping ends an audit at once', async () => {
  const slow: CompileSource = { ...source, model: slowModel(2000) };
  let ticks = 0;
  const tick = setInterval(() => ticks++, 20);
  try {
    const t0 = Date.now();
    assert.match(await audit({ source: slow }, { timeoutS: 1 }) ?? '', /did not finish within 1 s/);
    assert.ok(Date.now() - t0 < 15_000, 'the audit was cut at its limit, not run to the end (minutes)');
    assert.ok(ticks >= 10, `this thread kept running during the audit (${ticks} ticks of 20 ms in ${Date.now() - t0} ms)`);
  } finally {
    clearInterval(tick);
  }
  const stop = new AbortController();
  setTimeout(() => stop.abort(new Error('validator stopping')), 200);
  await assert.rejects(audit({ source: slow }, { signal: stop.signal }), /validator stopping/);
});

/** A 500-byte model of three constants expanded to 2^24 − 1 elements each (within the per-tensor and total bounds): 384 MiB of typed arrays. */
function bigConstantsModel(): Uint8Array {
  const b = new OnnxBuilder('big');
  b.input('input', [SEQ_LEN, 1, N_FEATURES]);
  let t = b.node('ReduceSum', ['input', b.initInt64('ax', [3], [0, 1, 2])], ['s'], { keepdims: 0 });
  for (let i = 0; i < 3; i++) {
    const e = b.node('Expand', [b.init(`c${i}`, [1], [1]), b.initInt64(`n${i}`, [1], [2 ** 24 - 1])], [`e${i}`]);
    t = b.node('Add', [t, b.node('Slice', [e, b.initInt64(`s${i}`, [1], [0]), b.initInt64(`t${i}`, [1], [1])], [`f${i}`])], [`a${i}`]);
  }
  b.output(t, [1]);
  return b.toBytes();
}

test('an audit is capped in memory: typed arrays count, not only the V8 heap; the honest audit fits a small cap', async () => {
  // V8's --max-old-space-size alone leaves ArrayBuffers unbounded: this source recompiled past 900 MiB under it
  assert.match(await audit({ source: { ...source, model: bigConstantsModel() } }, { memoryMiB: 256 }) ?? '', /^recompiling the submitted model ran out of the memory this validator gives an audit/);
  assert.equal(await audit({}, { memoryMiB: 256 }), undefined);
});

test('a rival that commits an honest circuit id with a junk source is rejected alone: the honest miner is still audited and passes', async () => {
  const { evaluateCompetition } = await import('../../src/competition/evaluate.js');
  const { sourceToWire } = await import('../../src/zkml/source.js');
  const md = honest.metadata;
  const artifacts = {
    metadata: JSON.stringify(md), verification_key: JSON.stringify(honest.vk), source: sourceToWire(source),
    zkey: readFileSync(honest.paths.zkey).toString('base64'), ptau: Buffer.from(ptau).toString('base64'),
  };
  const sent = { '5Rival': { ...artifacts, source: sourceToWire({ ...source, model: new Uint8Array([1, 2, 3]) }) }, '5Honest': artifacts };
  const asked: string[] = [];
  // the rival commits first, so it is audited first (it poisoned the honest miner's verdict before the fix)
  const chain = {
    currentBlock: async () => 10,
    commitments: async () => [
      { hotkey: '5Rival', block: 1, data: `zkc1:${task.name}:${md.id}` },
      { hotkey: '5Honest', block: 2, data: `zkc1:${task.name}:${md.id}` },
    ],
    metagraph: async () => ({ hotkeys: ['5Honest', '5Rival'], axons: [{ ip: '127.0.0.1', port: 1 }, { ip: '127.0.0.1', port: 2 }] }),
  };
  const dendrite = {
    call: async (t: { hotkey: keyof typeof sent }, spec: { name: string }, f: { include_source?: boolean }) => {
      if (spec.name !== 'CompetitionArtifacts') return { status: 503, message: 'no hidden inputs in this test', elapsedS: 0.01 };
      asked.push(`${t.hotkey} source=${f.include_source}`);
      const a = sent[t.hotkey];
      return { status: 200, message: 'ok', elapsedS: 0.01, synapse: f.include_source ? a : { metadata: a.metadata, verification_key: a.verification_key } };
    },
  };
  const board = await evaluateCompetition({ task, chain, netuid: 1, dendrite, allowInsecureDev: true, count: 2, audits: new AuditVerdicts(), window: { start: 0, end: 100 } } as unknown as Parameters<typeof evaluateCompetition>[0]);
  const byKey = Object.fromEntries(board.entries.map((e) => [e.hotkey, e]));
  assert.equal(byKey['5Rival']!.status, 'rejected');
  assert.match(byKey['5Rival']!.reason ?? '', /^audit: /);
  assert.notEqual(byKey['5Honest']!.status, 'rejected', `the honest miner's own source is audited: ${byKey['5Honest']!.reason}`);
  assert.deepEqual(asked, ['5Rival source=true', '5Honest source=true']);
});

test('a pass is saved for the circuit and the metadata audited: a restart does not audit again; other metadata for the id is audited again and refused', async () => {
  const { evaluateCompetition } = await import('../../src/competition/evaluate.js');
  const { sourceToWire } = await import('../../src/zkml/source.js');
  const md = honest.metadata;
  const artifacts = (metadata: typeof md) => ({
    metadata: JSON.stringify(metadata), verification_key: JSON.stringify(honest.vk), source: sourceToWire(source),
    zkey: readFileSync(honest.paths.zkey).toString('base64'), ptau: Buffer.from(ptau).toString('base64'),
  });
  let served = artifacts(md);
  const asked: string[] = [];
  const chain = {
    currentBlock: async () => 10,
    commitments: async () => [{ hotkey: '5Miner', block: 1, data: `zkc1:${task.name}:${md.id}` }],
    metagraph: async () => ({ hotkeys: ['5Miner'], axons: [{ ip: '127.0.0.1', port: 1 }] }),
  };
  const dendrite = {
    call: async (_t: unknown, spec: { name: string }, f: { include_source?: boolean }) => {
      if (spec.name !== 'CompetitionArtifacts') return { status: 503, message: 'no hidden inputs in this test', elapsedS: 0.01 };
      asked.push(`source=${f.include_source}`);
      return { status: 200, message: 'ok', elapsedS: 0.01, synapse: f.include_source ? served : { metadata: served.metadata, verification_key: served.verification_key } };
    },
  };
  const evaluate = async (audits: AuditVerdicts) => {
    asked.length = 0;
    const board = await evaluateCompetition({ task, chain, netuid: 1, dendrite, allowInsecureDev: true, count: 2, audits, window: { start: 0, end: 100 } } as unknown as Parameters<typeof evaluateCompetition>[0]);
    return board.entries[0]!;
  };
  const file = join(work, 'verdicts', 'audit-passes.json');
  rmSync(file, { force: true });
  const context = auditContext();

  const first = await evaluate(new AuditVerdicts({ file, context }));
  assert.notEqual(first.status, 'rejected', first.reason);
  assert.deepEqual(asked, ['source=true'], 'audited once');
  // a restarted validator (the same file and context): not audited again
  const restarted = new AuditVerdicts({ file, context });
  const again = await evaluate(restarted);
  assert.notEqual(again.status, 'rejected', again.reason);
  assert.deepEqual(asked, ['source=false'], 'the saved pass stands: no source asked for');
  // the same id served with other metadata (its output scale: every decoded output halved) is audited, and refused
  served = artifacts({ ...md, outputs: [{ ...md.outputs[0]!, scaleBits: md.outputs[0]!.scaleBits + 1 }] });
  const swapped = await evaluate(restarted);
  assert.deepEqual(asked, ['source=false', 'source=true'], 'asked again with its source');
  assert.equal(swapped.status, 'rejected');
  assert.match(swapped.reason ?? '', /^audit: metadata inputs\/outputs\/public layout are not those of the circuit compiled from the submitted model/);
  // another zkinfer or another ceremony ptau: the saved passes do not hold
  assert.equal(new AuditVerdicts({ file, context }).hasPass(md.id), true);
  assert.equal(new AuditVerdicts({ file, context: `${context} (other)` }).hasPass(md.id), false);
});
