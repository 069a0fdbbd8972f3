// The prove path's schemas (metadata.json, PROOF.json, input.json, witness.json, the native prover's answer, the
// attestor's proof) give the same verdicts as before their move to zod/mini (docs/network.md "CLI start-up", round 11):
// every input of a corpus of mutations of valid files (each key deleted, each value replaced by null, a string, a
// negative, a fraction, an empty array or object, an extra key at every level) against test/fixtures/schema-verdicts.json,
// which was written by this same test (ZKINFER_WRITE_VERDICTS=1) on main's classic-zod schemas (commit 73d6516): the
// accepted data, or the issues' code, path and message and the error text the typed errors build from them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAttestProof } from '../../src/eth/attest.js';
import { CircuitMetadataSchema, PublicLayoutSchema, TensorSpecSchema } from '../../src/zkml/format/metadata.js';
import { Groth16ProofSchema, parseProofFile, ProofFileSchema } from '../../src/zkml/format/proof-file.js';
import { RawProofSchema } from '../../src/zkml/prove/native/index.js';
import { InputDataSchema, parseInputData } from '../../src/zkml/witness/inputs.js';
import { programFromJson } from '../../src/zkml/witness/program-file.js';
import { repoRoot } from '../fixtures/onnx/paths.js';

// from the repository root: the JSON is not compiled into dist/, where npm test runs this file
const FIXTURE = join(repoRoot(), 'test/fixtures/schema-verdicts.json');
const hex = 'ab'.repeat(32), fe = '123456789';
const tensor = { name: 'x', signal: 'in', shape: [1, 4], scaleBits: 12, rangeBits: 40 };
const metadata = {
  id: hex, name: 'm', modelSha256: hex, zkinferVersion: '0.1.0', createdAt: '2026-12-05T00:00:00Z', security: 'INSECURE-DEV',
  ptau: { sha256: hex, power: 12, source: 'local' }, constraints: 100, ops: [{ node: 'n', op: 'Gemm', constraints: 100 }],
  inputs: [tensor], outputs: [{ ...tensor, name: 'y', signal: 'out' }],
  publicLayout: { version: 2, outputs: [{ name: 'y', offset: 0, length: 4 }], inputs: [{ name: 'x', offset: 0, length: 4 }], packed: { offset: 4, words: 1 }, recipient: 5, total: 6 },
  error: { maxAbs: 0.1, meanAbs: 0.01, samples: 8, perOutput: [{ name: 'y', maxAbs: 0.1, meanAbs: 0.01 }] },
  precision: 'balanced', tableVariant: 0, files: { r1cs: hex, program: hex, zkey: hex, vk: hex },
};
const proof = { pi_a: [fe, fe, '1'], pi_b: [[fe, fe], [fe, fe], ['1', '0']], pi_c: [fe, fe, '1'], protocol: 'groth16', curve: 'bn128' };
const proofFile = { circuit_id: hex, proof, public_signals: [fe, '0'], outputs: [[0.5, -1]], security: 'ceremony', prover: 'native' };
const rawProof = { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, publicSignals: [fe] };
const program = { format: 'zkinfer-witness-program', version: 1, layout: 6, nIn: 1, nSignals: 2, tables: [], gadgets: [{ kind: 'add', node: 'n', extra: 1 }], outputs: [] };

/** `v` and its mutations, each once. */
function mutations(v: unknown): unknown[] {
  const out: unknown[] = [v, null, [], 'x', {}];
  const at = (path: (string | number)[], f: (parent: Record<string | number, unknown>, key: string | number) => void): unknown => {
    const copy = structuredClone(v) as Record<string | number, unknown>;
    let p = copy;
    for (const k of path.slice(0, -1)) p = p[k] as Record<string | number, unknown>;
    f(p, path.at(-1)!);
    return copy;
  };
  const walk = (x: unknown, path: (string | number)[]) => {
    if (x === null || typeof x !== 'object') return;
    if (!Array.isArray(x)) out.push(path.length ? at([...path, '__extra'], (p, k) => { p[k] = 1; }) : { ...(v as object), __extra: 1 });
    for (const [k, c] of Object.entries(x)) {
      const key = Array.isArray(x) ? Number(k) : k, sub = [...path, key];
      if (!Array.isArray(x)) out.push(at(sub, (p, kk) => { delete p[kk]; }));
      for (const r of [null, 'x', -1, 1.5, 2 ** 60, [], {}, '', 'ceremony', 'fast', true]) out.push(at(sub, (p, kk) => { p[kk] = r; }));
      walk(c, sub);
    }
  };
  walk(v, []);
  return out;
}

interface Safe { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: { code: string; path: PropertyKey[]; message: string }[]; message: string } } }
/** Accepted data ('the input' when it is the input as it was), or the issues; `withText` (a few cases): also the ZodError's own text, which the native prover's error prints. */
const verdict = (s: Safe, v: unknown, withText = false) => {
  const r = s.safeParse(v);
  if (r.success) return { data: JSON.stringify(r.data) === JSON.stringify(v) ? 'the input' : r.data };
  return { issues: r.error.issues.map((i) => ({ code: i.code, path: i.path.map(String), message: i.message })), ...(withText ? { text: r.error.message } : {}) };
};
const thrown = (v: unknown, f: (v: unknown) => unknown) => { try { const d = f(v); return { data: JSON.stringify(d) === JSON.stringify(v) ? 'the input' : d }; } catch (e) { return { error: String(e) }; } };

function corpus(): Record<string, unknown[]> {
  return {
    metadata: mutations(metadata).map((v) => verdict(CircuitMetadataSchema, v)),
    metadataWasm: mutations({ r1cs: hex, wasm: hex, zkey: hex, vk: hex }).map((files) => verdict(CircuitMetadataSchema, { ...metadata, files })),
    metadataBoth: [verdict(CircuitMetadataSchema, { ...metadata, files: { ...metadata.files, wasm: hex } }), verdict(CircuitMetadataSchema, { ...metadata, files: { r1cs: hex, zkey: hex, vk: hex } })],
    tensor: mutations(tensor).map((v) => verdict(TensorSpecSchema, v)),
    layout: mutations(metadata.publicLayout).map((v) => verdict(PublicLayoutSchema, v)),
    groth16: mutations(proof).map((v) => verdict(Groth16ProofSchema, v)),
    proofFile: mutations(proofFile).map((v) => verdict(ProofFileSchema, v)),
    parseProofFile: [...mutations(proofFile), '{', JSON.stringify(proofFile)].map((v) => thrown(v, parseProofFile)),
    attest: mutations(proofFile).concat([{ ...proofFile, public_signals: [] }]).map((v) => thrown(v, parseAttestProof)),
    rawProof: mutations(rawProof).map((v, i) => verdict(RawProofSchema, v, i < 12)),
    inputs: mutations({ input_data: [[0.5, -2], [3]] }).map((v) => verdict(InputDataSchema, v)),
    parseInputData: mutations({ input_data: [[0.5, -2]] }).map((v) => thrown(v, parseInputData)),
    program: mutations(program).map((v) => thrown(v, (x) => programFromJson(JSON.stringify(x)))),
  };
}

test('the prove path\'s schemas accept and reject the same inputs, with the same data and messages, as main\'s classic-zod schemas', () => {
  const now = JSON.parse(JSON.stringify(corpus())) as Record<string, unknown[]>;
  if (process.env.ZKINFER_WRITE_VERDICTS === '1') writeFileSync(FIXTURE, `{\n${Object.entries(now).map(([k, v]) => `${JSON.stringify(k)}: [\n${v.map((c) => JSON.stringify(c)).join(',\n')}\n]`).join(',\n')}\n}\n`);
  const want = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown[]>;
  assert.deepEqual(Object.keys(now), Object.keys(want));
  for (const k of Object.keys(want)) {
    assert.equal(now[k]!.length, want[k]!.length, k);
    for (let i = 0; i < want[k]!.length; i++) assert.deepEqual(now[k]![i], want[k]![i], `${k} case ${i}`);
  }
  // the corpus has both verdicts for each schema
  for (const k of Object.keys(want)) {
    const ok = want[k]!.filter((c) => 'data' in (c as object)).length;
    if (k !== 'metadataBoth') assert.ok(ok > 0 && ok < want[k]!.length, `${k}: ${ok} of ${want[k]!.length} accepted`);
  }
});
