// Wire details that must match the Python bittensor SDK (issue #17 item 6). Expected strings are what CPython
// 3.11's repr() prints for the same values (str.isprintable rules, dict insertion order, -0.0, big ints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { BITTENSOR_SDK_VERSION_INT } from '../../src/protocol/sdk-version.js';
import { versionAsInt } from '../../src/protocol/wire.js';
import { pythonRepr, pythonStr } from '../../src/protocol/python-str.js';
import { SYNAPSES } from '../../src/protocol/synapses.js';

test('python repr: non-printable characters are escaped as CPython does (\\x, \\u, \\U)', () => {
  assert.equal(pythonRepr('\x80'), "'\\x80'");
  assert.equal(pythonRepr('a\u00a0b'), "'a\\xa0b'");
  assert.equal(pythonRepr('\u00ad'), "'\\xad'");
  assert.equal(pythonRepr('\u2028'), "'\\u2028'");
  assert.equal(pythonRepr('\u200b'), "'\\u200b'");
  assert.equal(pythonRepr('\ue000'), "'\\ue000'");
  assert.equal(pythonRepr('\u{e0001}'), "'\\U000e0001'");
  assert.equal(pythonRepr('\x1f\x7f'), "'\\x1f\\x7f'");
  assert.equal(pythonRepr('é ✓ 漢 😀'), "'é ✓ 漢 😀'", 'printable non-ASCII stays as is');
});

test('python repr: -0.0, ints beyond 2^53 as bigint, and dicts in insertion order (Map) even with digit-like keys', () => {
  assert.equal(pythonRepr(-0), '-0.0');
  assert.equal(pythonStr([0, -0, 1.5]), '[0, -0.0, 1.5]');
  assert.equal(pythonRepr(2n ** 64n), '18446744073709551616');
  // A plain JS object moves integer-like keys first; a Map keeps the order Python's dict has.
  assert.equal(pythonRepr(new Map<string, unknown>([['b', 1], ['10', 2], ['a', new Map([['2', 'x'], ['1', 'y']])]])), "{'b': 1, '10': 2, 'a': {'2': 'x', '1': 'y'}}");
});

test('terminals carry the Bittensor SDK version integer (≥ 7.2.0, so Python axons apply the nonce window)', async () => {
  assert.equal(versionAsInt('10.2.0'), 10002000);
  assert.equal(versionAsInt('7.2.0'), 7002000);
  assert.equal(BITTENSOR_SDK_VERSION_INT, 10002000);
  await cryptoWaitReady();
  const key = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const d = new Dendrite(key);
  const req = d.prepare({ ip: '127.0.0.1', port: 1, hotkey: key.address }, SYNAPSES.QueryZkProof, { query_input: { model_id: 'm', public_inputs: {} } }, 5);
  assert.equal(req.headers['bt_header_dendrite_version'], '10002000');
  assert.ok(Number(req.headers['bt_header_dendrite_version']) >= 7002000);
  assert.equal(JSON.parse(req.body).dendrite.version, 10002000);
  d.close();
});
