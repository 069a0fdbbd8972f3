// Property-based fuzzing (fast-check) of the parsers at zkinfer's trust boundaries (docs/security.md): whatever
// an untrusted party sends, each parser returns a value or throws zkinfer's typed error — never a crash,
// a RangeError or a hang. Findings are kept below as regression cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZkinferError } from '../../src/errors/base.js';
import { parseProofFile } from '../../src/zkml/format/proof-file.js';
import { bindInputs, checkCanonicalSignals, checkLayout, decodeOutputs, type CircuitFormat } from '../../src/zkml/format/layout.js';
import { CircuitMetadataSchema } from '../../src/zkml/format/metadata.js';
import { parseInputData, quantizeInputs } from '../../src/zkml/witness/inputs.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { parseHeaders } from '../../src/protocol/wire.js';
import { FIXTURE_META } from '../zkml/prove-fixtures.js';

const RUNS = { numRuns: 300 };
const typedOnly = (f: () => unknown): void => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ZkinferError, `untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
};

const affine = { ...FIXTURE_META['affine']!, id: 'a'.repeat(64) } as unknown as CircuitFormat & Parameters<typeof quantizeInputs>[0];
const validProof = {
  circuit_id: 'a'.repeat(64),
  proof: { pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['1', '2', '1'], protocol: 'groth16', curve: 'bn128' },
  public_signals: ['1', '2', '3', '4', '5'],
  outputs: [[1], [2]],
  security: 'INSECURE-DEV',
};

test('fuzz: proof files (any JSON, any text, mutated valid files) parse or fail with FormatError', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.constant(JSON.stringify(validProof))), (v) => typedOnly(() => parseProofFile(v))), RUNS);
  const mutated = fc.record({ path: fc.constantFrom('circuit_id', 'proof', 'public_signals', 'outputs', 'security', 'prover'), value: fc.jsonValue() });
  fc.assert(fc.property(mutated, ({ path, value }) => typedOnly(() => parseProofFile({ ...validProof, [path]: value }))), RUNS);
});

test('fuzz: public signals (any strings) are canonical or refused with FormatError; binding/decoding never crash', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String)), { maxLength: 8 }), (signals) => {
    typedOnly(() => checkCanonicalSignals(signals));
    typedOnly(() => {
      checkCanonicalSignals(signals);
      bindInputs(affine, signals, [['1', '2', '3']]);
      decodeOutputs(affine, signals);
    });
  }), RUNS);
});

test('fuzz: metadata layouts (any numbers) are accepted or refused with FormatError, never a RangeError', () => {
  const slot = (name: string) => fc.record({ name: fc.constant(name), offset: fc.integer({ min: -5, max: 2 ** 40 }), length: fc.integer({ min: -2, max: 2 ** 40 }) });
  const layout = fc.record({ outputs: fc.tuple(slot('lin'), slot('prod')), inputs: fc.tuple(slot('x')), total: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.integer({ min: 0, max: 2 ** 45 }), fc.double()) });
  fc.assert(fc.property(layout, fc.option(fc.integer({ min: 0, max: 10 })), (publicLayout, nPublic) => typedOnly(() => checkLayout({ ...affine, publicLayout }, nPublic ?? undefined))), RUNS);
  // finding (kept): a huge `total` once made checkLayout allocate a 2^45-byte array (RangeError)
  assert.throws(() => checkLayout({ ...affine, publicLayout: { ...affine.publicLayout, total: 2 ** 45 } }), ZkinferError);
  fc.assert(fc.property(fc.jsonValue(), (v) => { CircuitMetadataSchema.safeParse(v); }), RUNS);
});

test('fuzz: prover/verifier input files parse and quantize or fail with a typed error', () => {
  const data = fc.oneof(fc.jsonValue(), fc.record({ input_data: fc.array(fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 5 }), { maxLength: 3 }) }));
  fc.assert(fc.property(data, (v) => typedOnly(() => quantizeInputs(affine, parseInputData(v)))), RUNS);
  // finding (kept): a finite value near -1.8e308 scaled to -Infinity and BigInt() threw a RangeError
  assert.throws(() => quantizeInputs(affine, { input_data: [[-7.022238808055922e305, 0, 0]] }), ZkinferError);
});

test('fuzz: ONNX import of arbitrary bytes fails with a typed error', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => typedOnly(() => importOnnx(bytes, 'fuzz'))), RUNS);
});

test('fuzz: Bittensor wire headers parse or throw an Error the axon answers with 400', () => {
  const key = fc.constantFrom('bt_header_dendrite_nonce', 'bt_header_dendrite_version', 'bt_header_dendrite_port', 'bt_header_axon_status_code', 'bt_header_dendrite_process_time', 'bt_header_input_obj_x', 'timeout', 'name', 'computed_body_hash', 'other');
  fc.assert(fc.property(fc.dictionary(key, fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }))), (h) => {
    try {
      parseHeaders(h);
    } catch (e) {
      assert.ok(e instanceof Error && e.message.length > 0);
    }
  }), RUNS);
});
