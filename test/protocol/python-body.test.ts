// Bodies as the Python Bittensor SDK reads them (issue #17): the axon hashes str() of what json.loads returned
// (bittensor/core/axon.py verify_body_integrity → synapse.py body_hash, opentensor/bittensor bb526e6d), so dicts
// keep their key order even with digit-like keys, ints stay exact past 2^53, and 1.0 stays a float.
// Expected strings and hashes were printed by CPython 3.11.7 on the development machine:
//   str(json.loads(body)), hashlib.sha3_256(...).hexdigest(); the fuzz test re-checks against python3 when present.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { z } from 'zod';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Axon } from '../../src/protocol/axon.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { parsePyJson, pyToJs, stringifyPyJson, PyJsonError } from '../../src/protocol/py-json.js';
import { PyFloat, pythonRepr, pythonStr } from '../../src/protocol/python-str.js';
import { BaseSynapseShape, type SynapseSpec } from '../../src/protocol/synapses.js';
import { bodyHash, sha3Hex } from '../../src/protocol/wire.js';

const BODY =
  `{"b": 1, "10": 2, "1": {"2": "x", "1": 1.0}, "big": 18446744073709551617, "neg": -9007199254740993, "f": 1e16, "g": 1E5, ` +
  `"z": -0.0, "i0": -0, "n": NaN, "inf": -Infinity, "dup": 1, "s": "caf\\u00e9\\u0000\\ud83d\\ude00'", "dup": 2}`;
const BODY_STR = `{'b': 1, '10': 2, '1': {'2': 'x', '1': 1.0}, 'big': 18446744073709551617, 'neg': -9007199254740993, 'f': 1e+16, 'g': 100000.0, 'z': -0.0, 'i0': 0, 'n': nan, 'inf': -inf, 'dup': 2, 's': "café\\x00😀'"}`;

test('parsePyJson + pythonRepr print what CPython prints for str(json.loads(body))', () => {
  const v = parsePyJson(BODY);
  assert.equal(pythonRepr(v), BODY_STR);
  assert.equal(sha3Hex(pythonRepr(v)), '0d17701760ff3a8c6b619e5ec26cada349854f781ca59e21716aa5c07141c44e');
  // JSON.parse, what the axon used before, reorders digit-like keys and rounds the big ints
  assert.notEqual(pythonRepr(JSON.parse(BODY.replace(/NaN|-?Infinity/g, '0'))), BODY_STR.replace(/nan|-inf/g, '0'));
  const js = pyToJs(v) as Record<string, unknown>;
  assert.equal(js['big'], 18446744073709551617n, 'unsafe ints reach handlers as exact bigints');
  assert.equal(js['b'], 1, 'safe ints as numbers');
  assert.equal(js['g'], 100000);
  const proto = pyToJs(parsePyJson('{"__proto__": {"polluted": 1}}')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype, '"__proto__" is an own key, never the prototype');
  assert.deepEqual(Object.keys(proto), ['__proto__']);
});

test('parsePyJson refuses what json.loads refuses, with the offset', () => {
  for (const bad of ['', '{', '{"a" 1}', '[1,]', '{"a":1,}', '01', '1.', '.5', '"\\x"', '"a\nb"', "{'a': 1}", '1 2', 'nan', '+1', '\ufeff{}']) {
    assert.throws(() => parsePyJson(bad), PyJsonError, JSON.stringify(bad));
  }
  // CPython: ValueError "Exceeds the limit (4300 digits) for integer string conversion"
  assert.throws(() => parsePyJson('1'.repeat(4301)), /longer than 4300 digits/);
  assert.equal(parsePyJson('1'.repeat(4300)), BigInt('1'.repeat(4300)));
  assert.throws(() => parsePyJson('['.repeat(600) + ']'.repeat(600)), /nesting deeper/);
});

test('stringifyPyJson writes what json.loads reads back as the values pythonRepr printed', () => {
  const payload = new Map<string, unknown>([['b', 1], ['10', 2], ['big', 2n ** 64n + 1n], ['f', new PyFloat(1)], ['l', [3, 0.5, null, true]]]);
  const text = stringifyPyJson(payload);
  assert.equal(text, '{"b":1,"10":2,"big":18446744073709551617,"f":1.0,"l":[3,0.5,null,true]}');
  assert.equal(pythonRepr(payload), "{'b': 1, '10': 2, 'big': 18446744073709551617, 'f': 1.0, 'l': [3, 0.5, None, True]}");
  assert.equal(pythonRepr(parsePyJson(text)), pythonRepr(payload));
  assert.equal(stringifyPyJson([-0, NaN, -Infinity, 1e21, 1e20, 1e-7]), '[-0.0,NaN,-Infinity,1e+21,100000000000000000000,1e-07]');
  assert.equal(stringifyPyJson({ d: new Date(0), u: undefined, a: [undefined] }), '{"d":"1970-01-01T00:00:00.000Z","a":[null]}', 'toJSON and undefined as JSON.stringify');
});

const STABLE_CHARS = ['\x00', '\x1f', '\x7f', '\x80', '\x9f', '\xa0', '\xad', 'é', '\u0378', '\u200b', '\u2028', '\u3000', '漢', '\ud800', '\udfff', '\ue000', '\ufeff', '\uffff', '😀', '\u{e0001}', '\u{10ffff}', "'", '"', '\\'];
const jsonValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', 'NaN', 'Infinity', '-Infinity', '-0', '-0.0', '1.0', '1e16', '1E5', '1e400', '-2.5E-7', '9007199254740993', '-18446744073709551617'),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (/[.e]/.test(String(d)) ? String(d) : `${d}.0`)),
    // characters whose printability is the same in every Unicode version from 14 (CPython 3.11) on: see docs/network.md
    fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.constantFrom(...STABLE_CHARS)) }).map((s) => JSON.stringify(s)),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(fc.oneof(fc.nat({ max: 20 }).map(String), fc.string({ maxLength: 3 })), tie('v')), { maxLength: 4 }).map((es) => `{${es.map(([k, x]) => `${JSON.stringify(k)}: ${x}`).join(', ')}}`),
  ),
})).v;

const python3 = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' }).status === 0;

test('fuzz: str(json.loads(body)) agrees with CPython for random bodies (python3 on PATH)', { skip: python3 ? false : 'python3 not on PATH' }, () => {
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
  const bodies = fc.sample(jsonValue, { numRuns: 300, seed });
  const script = 'import json,sys\nfor line in sys.stdin:\n    print(json.dumps(str(json.loads(json.loads(line)))))\n';
  const r = spawnSync('python3', ['-c', script], { input: bodies.map((b) => JSON.stringify(b)).join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const expected = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
  bodies.forEach((b, i) => assert.equal(pythonStr(parsePyJson(b)), expected[i], `seed ${seed} (FUZZ_SEED replays): ${b}`));
});

// A synapse with a hashed dict field, as a subnet's Python class with required_hash_fields = ("payload",).
const HashedSchema = z.object({ ...BaseSynapseShape, payload: z.unknown().nullish() });
const Hashed: SynapseSpec = { name: 'HashedPayload', schema: HashedSchema, requiredFields: {}, hashFields: ['payload'], defaults: { payload: null } };
const PAYLOAD_TEXT = '{"b": 1, "10": 2, "big": 18446744073709551617, "f": 1.0, "l": [3, 0.5, null, true]}';
// CPython: sha3(sha3(str(json.loads(PAYLOAD_TEXT)))) — Synapse.body_hash of one hashed field
const PAYLOAD_HASH = '1c2f5593c540f881f21734bd71b2a8dcd65933af23136275bba454f4acced3bf';

let axon: Axon;
let miner: KeyringPair;
let validator: KeyringPair;
let seen: unknown;

before(async () => {
  await cryptoWaitReady();
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  miner = k.addFromUri('//MinerPyBody');
  validator = k.addFromUri('//ValidatorPyBody');
  axon = new Axon({ hotkey: miner });
  axon.attach({
    spec: Hashed,
    forward: async (s) => {
      seen = (s as { payload?: unknown }).payload;
      return {};
    },
  });
  await axon.start();
});

after(async () => axon.stop());

test('axon: a Python-shaped body with digit-like keys and ints > 2^53 passes the body hash and is echoed as sent', async () => {
  const d = new Dendrite(validator);
  const target = { ip: '127.0.0.1', port: axon.port, hotkey: miner.address };
  // The dendrite's own request carries the payload as Python would (Map order, bigint, float 1.0)…
  const payload = parsePyJson(PAYLOAD_TEXT);
  assert.equal(bodyHash({ payload }, ['payload']), PAYLOAD_HASH);
  const req = d.prepare(target, Hashed, { payload }, 10);
  assert.equal(req.headers['computed_body_hash'], PAYLOAD_HASH, 'the hash a Python axon computes for this body');
  // …written the way Python's json.loads reads back: key order and the exact int survive in the body text
  assert.match(req.body, /"payload":\{"b":1,"10":2,"big":18446744073709551617,"f":1\.0,/);
  // the Python dendrite's spacing (json.dumps ", " / ": ") must parse to the same hash on the axon
  const pythonBody = req.body.replace(/"payload":\{.*\}\}$/, `"payload": ${PAYLOAD_TEXT}}`);
  assert.notEqual(pythonBody, req.body);
  const sent = await d.send(target, { ...req, body: pythonBody }, 10);
  assert.equal(sent.kind, 'response');
  if (sent.kind !== 'response') return;
  assert.equal(sent.status, 200, sent.body);
  assert.deepEqual(seen, { b: 1, '10': 2, big: 18446744073709551617n, f: 1, l: [3, 0.5, null, true] }, 'the handler sees exact ints');
  assert.match(sent.body, /"payload":\{"b":1,"10":2,"big":18446744073709551617,"f":1\.0,"l":\[3,0\.5,null,true\]\}/, 'echoed in order, exact');
  assert.equal(sent.headers['computed_body_hash'], PAYLOAD_HASH);
  // the round trip through Dendrite.call as well
  const r = await d.call<{ payload: unknown }>(target, Hashed, { payload }, 10);
  assert.equal(r.status, 200, r.message);
  assert.equal((r.synapse?.payload as { big: unknown }).big, 18446744073709551617n);
  d.close();
});

test('axon: a changed digit-like key order or a rounded big int is a body-hash mismatch (400), and bad JSON is a 400', async () => {
  const d = new Dendrite(validator);
  const target = { ip: '127.0.0.1', port: axon.port, hotkey: miner.address };
  const req = d.prepare(target, Hashed, { payload: parsePyJson(PAYLOAD_TEXT) }, 10);
  for (const tampered of [
    req.body.replace('"b":1,"10":2', '"10":2,"b":1'),
    req.body.replace('18446744073709551617', '18446744073709551616'),
    req.body.replace('"f":1.0', '"f":1'),
  ]) {
    const r = await d.send(target, { ...d.prepare(target, Hashed, { payload: parsePyJson(PAYLOAD_TEXT) }, 10), body: tampered }, 10);
    assert.equal(r.kind === 'response' && r.status, 400);
    assert.match(r.kind === 'response' ? r.body : '', /Hash mismatch/);
  }
  const bad = await d.send(target, { ...d.prepare(target, Hashed, {}, 10), body: `{"payload": ${'1'.repeat(4301)}}` }, 10);
  assert.equal(bad.kind === 'response' && bad.status, 400);
  assert.match(bad.kind === 'response' ? bad.body : '', /Improperly formatted request body: integer longer than 4300 digits/);
  // and the axon keeps serving
  const ok = await d.call(target, Hashed, { payload: parsePyJson(PAYLOAD_TEXT) }, 10);
  assert.equal(ok.status, 200, ok.message);
  d.close();
});
