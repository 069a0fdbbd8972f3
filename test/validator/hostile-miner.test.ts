// A hostile miner against a real validator on the in-process devnet (docs/network.md, "Hostile miners"): a miner
// answering each proof query 200 with a large junk body (900 kB of empty JSON objects, under the dendrite's 16 MiB)
// once held the validator's event loop for seconds per answer and grew it by GBs; its answer is now refused past
// a proof answer's size (413), scored as a failure and backed off, while the validator goes on querying. A miner
// answering junk with 200 at once (no query_output) was re-queried in a loop, each answer a request-log row; a 200
// that does not verify now counts toward the backoff too (docs/network.md "Chain outages").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { loadValidatorCircuit } from '../../src/validator/circuits.js';
import { Validator, type QueryResult } from '../../src/validator/validator.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

let devnet: Devnet;
let server: http.Server;
let junkServer: http.Server;
let junkUid: number;
let validatorKey: KeyringPair;
let minerUid: number;
let dir: string;
let circuitId: string;

before(async () => {
  await cryptoWaitReady();
  ({ dir, metadata: { id: circuitId } } = await fixtureArtifacts('affine', 'affine-miner'));
  devnet = await Devnet.open({ fast: true });
  const v = await stakedValidator(devnet, { netuid: 1, coldUri: '//HostileTestCold', validatorUri: '//HostileTestValidator', faucetTao: 1000, stakeTao: 10 });
  validatorKey = v.validator;
  devnet.produceBlock();
  const miner = v.keyring.addFromUri('//HostileTestMiner');
  minerUid = (await devnet.burnedRegister(1, v.cold, miner.address)).uid;
  devnet.produceBlock();
  const junk = v.keyring.addFromUri('//HostileTestJunk');
  junkUid = (await devnet.burnedRegister(1, v.cold, junk.address)).uid;
  junkServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/QueryForCapacities' ? JSON.stringify({ capacities: { [circuitId]: 1 } }) : '{}');
    });
  });
  await new Promise<void>((r) => junkServer.listen(0, '127.0.0.1', r));
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/QueryForCapacities') res.end(JSON.stringify({ capacities: { [circuitId]: 1 } }));
      else res.end(`{"query_output":null,"junk":[${'{},'.repeat(300_000)}{}]}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  devnet.produceBlock();
  await devnet.serveAxon(miner, { netuid: 1, ip: '127.0.0.1', port: (server.address() as AddressInfo).port, version: 1 });
  devnet.produceBlock();
  await devnet.serveAxon(junk, { netuid: 1, ip: '127.0.0.1', port: (junkServer.address() as AddressInfo).port, version: 1 });
});

after(async () => {
  for (const s of [server, junkServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await devnet.close();
  await releaseSnarkjsCurve();
});

test('validator: a proof answer far larger than a proof is a 413, and a junk 200 answer a failure, both scored and backed off', async () => {
  const circuit = await loadValidatorCircuit(dir, { allowInsecureDev: true, timeoutS: 10 });
  const validator = new Validator({ hotkey: validatorKey, chain: devnet, netuid: 1, dbPath: ':memory:', circuits: [circuit], concurrency: 4, seed: 1 });
  const results: QueryResult[] = [];
  validator.on('result', (r) => results.push(r));
  await validator.start();
  try {
    const t0 = Date.now();
    const of = (uid: number) => results.filter((r) => r.uid === uid);
    while (of(minerUid).length < 2 || of(junkUid).length < 2) {
      if (Date.now() - t0 > 30_000) throw new Error(`gave up waiting for two answers of each (${results.length})`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const junk = of(junkUid);
    assert.ok(junk.every((r) => r.status === 200 && !r.verified && r.score === 0 && /^invalid query_output/.test(r.error ?? '')), JSON.stringify(junk[0]));
    assert.ok(validator.failureStreak(junkUid) >= 2, 'a junk 200 answer counts toward the backoff');
    // 1 s, 2 s, 4 s … apart, not a loop of hundreds a second
    assert.ok(junk.length <= 6, `${junk.length} junk answers in ${Date.now() - t0} ms`);
    for (const r of of(minerUid)) {
      assert.equal(r.status, 413, r.error);
      assert.match(r.error ?? '', /^413: Response larger than \d+ bytes$/);
      assert.equal(r.verified, false);
      assert.equal(r.score, 0);
    }
    assert.ok(validator.failureStreak(minerUid) >= 2, 'the miner is backed off like any failing miner');
  } finally {
    await validator.stop();
    validator.close();
  }
});
