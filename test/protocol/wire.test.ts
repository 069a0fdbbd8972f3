import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { sr25519Verify, decodeAddress, cryptoWaitReady } from '@polkadot/util-crypto';
import { hexToU8a } from '@polkadot/util';
import { bodyHash, EMPTY_BODY_HASH, parseHeaders, sha3Hex, signedMessage, toHeaders } from '../../src/protocol/wire.js';
import { stringifyPyJson } from '../../src/protocol/py-json.js';
import { pythonFloat, pythonStr } from '../../src/protocol/python-str.js';
import { signText, verifyText } from '../../src/protocol/signing.js';
import { NonceGuard } from '../../src/protocol/nonce.js';
import { SYNAPSES } from '../../src/protocol/synapses.js';

// Vectors computed with CPython 3 (hashlib.sha3_256, str(), json.dumps, base64).
test('body hash: sha3_256 of concatenated sha3_256(str(field)) matches Python', () => {
  assert.equal(sha3Hex(''), EMPTY_BODY_HASH);
  assert.equal(bodyHash({}, []), EMPTY_BODY_HASH);
  assert.equal(bodyHash({ q: {} }, SYNAPSES.QueryZkProof.hashFields), EMPTY_BODY_HASH);
  assert.equal(sha3Hex(pythonStr('hello')), '3338be694f50c5f338814986cdf0686453a888b84f424d792af4b9202398f392');
  const dict = { model_id: 'abc', public_inputs: { x: [1, 2.5, -0.1] } };
  assert.equal(pythonStr(dict), "{'model_id': 'abc', 'public_inputs': {'x': [1, 2.5, -0.1]}}");
  assert.equal(sha3Hex(pythonStr(dict)), '4662fb281a0f7b939dc9f4f80ce5de65bed2df65158ec840bd786628ded1c6ef');
  assert.equal(pythonStr([1, 'a', null, true]), "[1, 'a', None, True]");
  assert.equal(sha3Hex(pythonStr([1, 'a', null, true])), '4beee588c02498eec62ff27ec199774fd3fee5e16d200c79325e5278ff129c3c');
  assert.equal(pythonFloat(12), '12.0');
  assert.equal(pythonFloat(1e-5), '1e-05');
  assert.equal(pythonFloat(1e16), '1e+16');
  assert.equal(pythonFloat(0.1 + 0.2), '0.30000000000000004');
  assert.equal(bodyHash({ a: 'hello', b: dict }, ['a', 'b']), '2b4fac5be7225b398f46e81de14c6eb4237913cec4b9f0361e6e3f83c6cafe4b');
});

test('signature: sr25519 over "{nonce}.{dendrite}.{axon}.{uuid}.{body_hash}" verifies with @polkadot/util-crypto', async () => {
  await cryptoWaitReady();
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = k.addFromUri('//Alice');
  const bob = k.addFromUri('//Bob');
  const msg = signedMessage({ nonce: 1732694400123456789n, dendriteHotkey: alice.address, axonHotkey: bob.address, uuid: '5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a', bodyHash: EMPTY_BODY_HASH });
  assert.equal(msg, '1732694400123456789.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
  // A fixed vector (sr25519 signatures are randomised, so this one was produced once and stored).
  const vector = '0x3071d02145bc17c6dc304e070fcbd60ed26f426a1f59ca5a257c2c7e17adbd3ae18c15896b7599b8c4331f2e12fb1d97a54a7eeed69717becc6ab8b8399b028f';
  assert.ok(sr25519Verify(new TextEncoder().encode(msg), hexToU8a(vector), decodeAddress(alice.address)));
  assert.ok(verifyText(msg, vector, alice.address));
  assert.ok(!verifyText(msg.replace('1732694400123456789', '1732694400123456790'), vector, alice.address));
  assert.ok(!verifyText(msg, vector, bob.address));
  const fresh = signText(alice, msg);
  assert.match(fresh, /^0x[0-9a-f]{128}$/);
  assert.ok(sr25519Verify(new TextEncoder().encode(msg), hexToU8a(fresh), alice.publicKey));
  assert.ok(!verifyText(msg, '0xdeadbeef', alice.address));
});

test('headers: Python to_headers encoding and parse round trip', () => {
  const h = toHeaders({
    name: 'ProofOfWeightsSynapse',
    timeout: 12,
    axon: { ip: '127.0.0.1', port: 8091, hotkey: 'AX' },
    dendrite: { ip: '10.0.0.1', version: 10002000, nonce: 1732694400123456789n, uuid: 'u', hotkey: 'DH', signature: '0xab' },
    requiredFields: SYNAPSES.ProofOfWeightsSynapse.requiredFields,
    bodyHash: EMPTY_BODY_HASH,
  });
  assert.equal(h['name'], 'ProofOfWeightsSynapse');
  assert.equal(h['timeout'], '12.0');
  assert.equal(h['bt_header_dendrite_nonce'], '1732694400123456789');
  assert.equal(h['bt_header_dendrite_version'], '10002000');
  assert.equal(h['bt_header_axon_port'], '8091');
  assert.equal(h['bt_header_input_obj_verification_key_hash'], 'IiI=');
  assert.equal(h['bt_header_input_obj_inputs'], 'e30=');
  assert.equal(h['computed_body_hash'], EMPTY_BODY_HASH);
  assert.equal(h['bt_header_axon_status_code'], undefined);
  const p = parseHeaders(h);
  assert.equal(p.dendrite.nonce, 1732694400123456789n);
  assert.equal(p.timeout, 12);
  assert.equal(p.axon.port, 8091);
  assert.deepEqual(p.inputObj['inputs'], {});
  assert.throws(() => parseHeaders({ ...h, bt_header_dendrite_nonce: '12abc' }));
  assert.throws(() => parseHeaders({ ...h, timeout: 'soon' }));
  assert.equal(stringifyPyJson({ n: 1732694400123456789n, s: 'x' }), '{"n":1732694400123456789,"s":"x"}');
});

test('nonce rules: first newer than now-(4s+timeout), then strictly increasing', () => {
  const g = new NonceGuard(60);
  const now = 2_000_000_000_000_000_000n;
  assert.match(g.check('k:u', now - 17_000_000_000n, 12, now) ?? '', /too old/);
  assert.equal(g.check('k:u', now - 15_000_000_000n, 12, now), undefined);
  g.record('k:u', now - 15_000_000_000n, now);
  assert.match(g.check('k:u', now - 15_000_000_000n, 12, now) ?? '', /newer one/);
  assert.equal(g.check('k:u', now - 14_999_999_999n, 12, now), undefined);
  assert.equal(g.check('k:other', now - 1n, 12, now), undefined);
});
