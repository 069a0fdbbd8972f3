// A hostile miner's answers to the dendrite (docs/network.md, "Hostile miners"), from a real HTTP server: a body
// is refused past its allowance in bytes (413, also when only its content-length says so) and past its allowance
// in JSON values (422), before it is decoded into memory many times its size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Dendrite, RESPONSE_EXTRA_VALUES } from '../../src/protocol/dendrite.js';
import { jsonValueCount, parsePyJson, PyJsonError } from '../../src/protocol/py-json.js';
import { proofAnswerBytes, SYNAPSES } from '../../src/protocol/synapses.js';

let server: http.Server;
let target: { ip: string; port: number; hotkey: string };
let dendrite: Dendrite;
/** What the server answers next: a body, or only headers announcing `announce` bytes. */
let answer: { body: string } | { announce: number } = { body: '{}' };

before(async () => {
  await cryptoWaitReady();
  const k = new Keyring({ type: 'sr25519' });
  dendrite = new Dendrite(k.addFromUri('//DendriteHostileValidator'));
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if ('announce' in answer) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.announce) });
        res.write('{'); // and nothing more: the body never comes
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer.body);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  target = { ip: '127.0.0.1', port: (server.address() as AddressInfo).port, hotkey: k.addFromUri('//DendriteHostileMiner').address };
});

after(async () => {
  dendrite.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** An answer that is a valid synapse with a junk field of `n` empty objects (3 bytes of text, a Map each). */
const junk = (n: number): string => `{"query_output":null,"capacities":null,"junk":[${'{},'.repeat(n - 1)}{}]}`;

test('parsePyJson counts every value against maxValues', () => {
  assert.equal(jsonValueCount({ a: [1, { b: null }], c: new Map([['d', 'e']]) }), 7);
  assert.deepEqual(parsePyJson('[[],{},1]', { maxValues: 4 }), [[], new Map(), 1n]);
  assert.throws(() => parsePyJson('[[],{},1]', { maxValues: 3 }), (e: unknown) => e instanceof PyJsonError && /more than 3 JSON values/.test(e.message));
});

test('a proof answer over its byte allowance is a 413, the body unread past it', async () => {
  const allow = { extraBytes: proofAnswerBytes(5) };
  const query = { query_input: { model_id: 'c', public_inputs: { x: [1, 2, 3] } } };
  answer = { body: junk(100) };
  assert.equal((await dendrite.call(target, SYNAPSES.QueryZkProof, query, 5, allow)).status, 200, 'a small answer passes');
  answer = { body: junk(300_000) }; // 900 kB: under the dendrite's 16 MiB, far over a proof answer
  const r = await dendrite.call(target, SYNAPSES.QueryZkProof, query, 5, allow);
  assert.equal(r.status, 413, r.message);
  assert.match(r.message, /^Response larger than \d+ bytes$/);
  // a content-length over the allowance is refused at once, not read until the timeout (408)
  answer = { announce: 10_000_000 };
  const h = await dendrite.call(target, SYNAPSES.QueryZkProof, query, 5, allow);
  assert.equal(h.status, 413, h.message);
});

test('an answer with more JSON values than twice its request plus RESPONSE_EXTRA_VALUES is a 422', async () => {
  // CompetitionArtifacts answers may be MBs (a proving key): bounded in bytes only by the dendrite, in values here
  answer = { body: junk(RESPONSE_EXTRA_VALUES) };
  assert.equal((await dendrite.call(target, SYNAPSES.CompetitionArtifacts, { circuit_id: 'c' }, 5)).status, 200);
  answer = { body: junk(1_000_000) };
  const r = await dendrite.call(target, SYNAPSES.CompetitionArtifacts, { circuit_id: 'c' }, 5);
  assert.equal(r.status, 422, r.message);
  assert.match(r.message, /more than \d+ JSON values/);
});
