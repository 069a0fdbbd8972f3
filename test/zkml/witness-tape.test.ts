// The witness tape (src/zkml/witness/tape-*.ts, native/src/witness.cpp, docs/zkml-compile.md "Witness tape"): the
// tape's witness equals the exact emulator's walk wire for wire — in JS and in the addon — on the staking LSTM and on
// small programs of every gadget kind (the direct-backend fixtures), an input the circuit rejects gives the walk's
// typed error, the tape is cached per witness program, and a malformed tape is a typed WitnessTapeError.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { loadNativeAddon } from '../../src/zkml/prove/native/addon.js';
import type { FixedProgram } from '../../src/zkml/quantize/program.js';
import { DIRECT_LAYOUT_VERSION } from '../../src/zkml/r1cs/emit.js';
import { WitnessEngine } from '../../src/zkml/witness/calculate.js';
import { directWtns } from '../../src/zkml/witness/direct.js';
import { WitnessInputError, WitnessTapeError } from '../../src/zkml/witness/errors.js';
import { programToJson } from '../../src/zkml/witness/program-file.js';
import { recordProgramTape } from '../../src/zkml/witness/tape-cache.js';
import { TAPE_MAX_SIGNALS, programToTape } from '../../src/zkml/witness/tape-compile.js';
import { HEADER_BYTES, OP, readTapeHeader } from '../../src/zkml/witness/tape-format.js';
import { sha256Hex as sha256 } from '../../src/zkml/format/circuit-id-node.js';
import { WitnessTape } from '../../src/zkml/witness/tape-witness.js';
import { lstmModel, rand } from '../fixtures/onnx/models.js';
import { MODELS, OP_MODELS } from '../fixtures/onnx/op-models.js';
import { COVERAGE_MODELS } from '../fixtures/onnx/coverage-models.js';
import { repoRoot } from '../fixtures/onnx/paths.js';

const native = loadNativeAddon()?.witnessTape !== undefined;
const SCALE = 8;
const CASES: Record<string, () => Uint8Array> = {
  ...OP_MODELS,
  ...MODELS,
  ...Object.fromEntries(Object.entries(COVERAGE_MODELS).map(([k, c]) => [`coverage: ${k}`, c.bytes])),
  'LSTM whose Y_h repeats Y': () => lstmModel({ steps: 2, input: 2, hidden: 3, outputs: 2 }),
  'the staking LSTM (models/staking-lstm)': () => readFileSync(join(repoRoot(), 'models/staking-lstm/model.onnx')),
};

const program = (name: string, bytes: Uint8Array): FixedProgram => quantizeGraph(importOnnx(bytes, name), SCALE, undefined).program;
const tapeOf = (p: FixedProgram): WitnessTape => {
  const sha = sha256(Buffer.from(programToJson(p)));
  const bytes = programToTape(p, sha);
  return new WitnessTape(bytes, readTapeHeader(bytes, { layout: DIRECT_LAYOUT_VERSION, programSha: sha }));
};
const ints = (p: FixedProgram, seed: number, spread: number) => rand(seed, p.nIn, spread).map((v) => toFixed(v, SCALE));

/** What the programs exercise: every gadget kind and each branch of the emitters that allocates wires differently. */
const seen = new Set<string>();
function features(p: FixedProgram): void {
  for (const g of p.gadgets) {
    seen.add(g.kind);
    if (g.kind === 'div') seen.add(g.signed ? 'div signed' : 'div unsigned');
    if (g.kind === 'act') { const m = g.n - 1 - (g.table.k + g.sx); seen.add(m <= 0 ? 'act no window test' : m === 1 ? 'act xor window' : 'act isz window'); }
    if ((g.kind === 'rescale' || g.kind === 'relu') && g.d > 0) seen.add(`${g.kind} d>0`);
  }
}

for (const [name, make] of Object.entries(CASES)) {
  test(`tape witness = emulator walk, wire for wire: ${name}`, () => {
    const p = program(name, make());
    features(p);
    const tape = tapeOf(p);
    let compared = 0;
    for (const [seed, spread] of [[11, 1.5], [12, 0.5], [13, 40]] as const) {
      const x = ints(p, seed, spread), recipient = BigInt(seed) * 0x1234567890abcdefn;
      let want: Buffer | undefined;
      try { want = Buffer.from(directWtns(p, x.map(toField), recipient)); } catch (e) { assert.ok(e instanceof WitnessInputError, String(e)); }
      for (const engine of native ? (['js', 'auto'] as const) : (['js'] as const)) {
        const got = tape.wtns(x, recipient, engine);
        if (want === undefined) assert.equal(got, 'rejected', `${engine}: the walk rejects seed ${seed}, so does the tape`);
        else { assert.ok(got instanceof Uint8Array, `${engine}: seed ${seed} accepted`); assert.ok(want.equals(Buffer.from(got)), `${engine}: seed ${seed} same witness`); compared++; }
      }
    }
    assert.ok(compared > 0, 'at least one input inside the circuit\'s ranges');
  });
}

test('the programs above exercise every gadget kind and emitter branch', () => {
  for (const f of ['range', 'mul', 'rescale', 'rescale d>0', 'relu', 'act', 'div', 'div signed', 'div unsigned', 'act xor window', 'act isz window', 'act no window test']) {
    assert.ok(seen.has(f), `no fixture exercises ${f} (seen: ${[...seen].join(', ')})`);
  }
});

const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-tape-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('WitnessEngine: the tape is recorded once into the user cache and reused; a rejected input is the walk\'s typed error', async () => {
  const p = program('mlp', MODELS[Object.keys(MODELS)[0]!]!());
  const file = join(tmp, 'witness.json');
  writeFileSync(file, programToJson(p));
  const cache = join(tmp, 'cache');
  const before = process.env.ZKINFER_CACHE_DIR;
  process.env.ZKINFER_CACHE_DIR = cache;
  try {
    const x = ints(p, 11, 0.5).map((v) => toField(v).toString());
    const want = Buffer.from(directWtns(p, x));
    assert.ok(want.equals(Buffer.from(await new WitnessEngine().wtns(file, { in: x }))));
    const tapes = readdirSync(join(cache, 'witness-tape'));
    assert.equal(tapes.length, 1);
    assert.match(tapes[0]!, new RegExp(`^${sha256(readFileSync(file))}\\.v1$`));
    // a damaged cached tape is recorded again, never run
    const path = join(cache, 'witness-tape', tapes[0]!);
    const good = readFileSync(path);
    const damaged = Buffer.from(good); damaged[damaged.length - 5]! ^= 1;
    writeFileSync(path, damaged);
    assert.ok(want.equals(Buffer.from(await new WitnessEngine().wtns(file, { in: x }))));
    assert.ok(readFileSync(path).equals(good));
    const far = x.map(() => toField(1n << 40n).toString());
    await assert.rejects(new WitnessEngine().wtns(file, { in: far }), (e: unknown) => e instanceof WitnessInputError && /outside its proven range/.test(e.message));
  } finally {
    if (before === undefined) delete process.env.ZKINFER_CACHE_DIR; else process.env.ZKINFER_CACHE_DIR = before;
  }
});

test('compile\'s recordProgramTape leaves the tape the first prove then uses as it is (no second recording)', async () => {
  const p = program('mlp', MODELS[Object.keys(MODELS)[0]!]!());
  const json = programToJson(p);
  const file = join(tmp, 'compiled.json'), cache = join(tmp, 'cache-compile');
  writeFileSync(file, json);
  const before = process.env.ZKINFER_CACHE_DIR;
  process.env.ZKINFER_CACHE_DIR = cache;
  try {
    await recordProgramTape(p, sha256(json));
    const path = join(cache, 'witness-tape', `${sha256(Buffer.from(json))}.v1`);
    assert.ok(readFileSync(path).equals(Buffer.from(programToTape(p, sha256(Buffer.from(json))))));
    writeFileSync(path, readFileSync(path)); // same bytes, known mtime: a re-recording would rewrite the file
    const mtime = statSync(path).mtimeMs;
    const x = ints(p, 11, 0.5).map((v) => toField(v).toString());
    assert.ok(Buffer.from(directWtns(p, x)).equals(Buffer.from(await new WitnessEngine().wtns(file, { in: x }))));
    assert.equal(statSync(path).mtimeMs, mtime);
  } finally {
    if (before === undefined) delete process.env.ZKINFER_CACHE_DIR; else process.env.ZKINFER_CACHE_DIR = before;
  }
});

test('a malformed tape is a typed WitnessTapeError (header, body hash, sizes, program, and ops out of range in JS and in the addon)', () => {
  const p = program('mlp', MODELS[Object.keys(MODELS)[0]!]!());
  const sha = sha256(Buffer.from(programToJson(p)));
  const good = Buffer.from(programToTape(p, sha));
  const expect = { layout: DIRECT_LAYOUT_VERSION, programSha: sha };
  const typed = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof WitnessTapeError && re.test(e.message));
  typed(() => readTapeHeader(good.subarray(0, 20), expect), /shorter than its header/);
  const magic = Buffer.from(good); magic[0] = 0; typed(() => readTapeHeader(magic, expect), /bad magic/);
  const version = Buffer.from(good); version.writeUInt32LE(99, 4); typed(() => readTapeHeader(version, expect), /version 99/);
  typed(() => readTapeHeader(good, { ...expect, layout: DIRECT_LAYOUT_VERSION + 1 }), /wire layout/);
  typed(() => readTapeHeader(good, { ...expect, programSha: '00'.repeat(32) }), /another witness program/);
  typed(() => readTapeHeader(good.subarray(0, good.length - 4), expect), /header says/);
  const huge = Buffer.from(good); huge.writeUInt32LE(2 ** 31, 4 * 4); typed(() => readTapeHeader(huge, expect), /more registers/);
  const flipped = Buffer.from(good); flipped[HEADER_BYTES + 3]! ^= 0x40; typed(() => readTapeHeader(flipped, expect), /does not match its sha256/);
  // a well-hashed tape whose first op writes a register beyond the file: refused by both interpreters, nothing written
  const h = readTapeHeader(good, expect);
  const codeAt = HEADER_BYTES + h.nInt * 16 + h.nField * 32 + h.nTables * 8 * 4;
  assert.equal(good.readUInt32LE(codeAt), OP.WIRE);
  const wild = Buffer.from(good); wild.writeUInt32LE(h.nRegs + 7, codeAt + 8);
  Buffer.from(sha256(wild.subarray(HEADER_BYTES)), 'hex').copy(wild, 20 * 4);
  const tape = new WitnessTape(wild, readTapeHeader(wild, expect));
  const x = ints(p, 11, 0.5);
  typed(() => tape.wtns(x, 0n, 'js'), /register out of range/);
  if (native) typed(() => tape.wtns(x, 0n, 'auto'), /register out of range/);
  const opcode = Buffer.from(good); opcode.writeUInt32LE(250, codeAt);
  Buffer.from(sha256(opcode.subarray(HEADER_BYTES)), 'hex').copy(opcode, 20 * 4);
  const t2 = new WitnessTape(opcode, readTapeHeader(opcode, expect));
  typed(() => t2.wtns(x, 0n, 'js'), /unknown opcode 250/);
  if (native) typed(() => t2.wtns(x, 0n, 'auto'), /unknown opcode 250/);
});

test(`a program over TAPE_MAX_SIGNALS is not recorded: the engine computes its witness with the walk`, async () => {
  const small = program('mlp', MODELS[Object.keys(MODELS)[0]!]!());
  const big: FixedProgram = { ...small, nSignals: TAPE_MAX_SIGNALS + 1 }; // unused signals: the same circuit
  assert.throws(() => programToTape(big, '00'.repeat(32)), (e: unknown) => e instanceof WitnessTapeError && /not recorded/.test(e.message));
  const file = join(tmp, 'big.json'), cache = join(tmp, 'cache-big');
  writeFileSync(file, programToJson(big));
  const before = process.env.ZKINFER_CACHE_DIR;
  process.env.ZKINFER_CACHE_DIR = cache;
  try {
    const x = ints(small, 11, 0.5).map((v) => toField(v).toString());
    assert.ok(Buffer.from(directWtns(small, x)).equals(Buffer.from(await new WitnessEngine().wtns(file, { in: x }))));
    assert.equal(existsSync(join(cache, 'witness-tape')), false);
  } finally {
    if (before === undefined) delete process.env.ZKINFER_CACHE_DIR; else process.env.ZKINFER_CACHE_DIR = before;
  }
});
