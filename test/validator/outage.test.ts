// Chain outages and failing miners (docs/network.md "Chain outages"), on the in-process devnet:
// - a miner that answers every query 500 (as miners did when their own chain view failed) is backed off
//   exponentially: a handful of queries in seconds, not a tight loop, each still scored as a failure;
// - when the validator's own chain reads fail, it keeps its scores, logs the failure once and recovers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { ChainConnectionError } from '../../src/chain/errors.js';
import type { Chain } from '../../src/chain/types.js';
import { loadValidatorCircuit } from '../../src/validator/circuits.js';
import { backoffMs, DEFAULT_FAILURE_BACKOFF, Validator, type QueryResult } from '../../src/validator/validator.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

let devnet: Devnet;
let server: http.Server;
const hits = new Map<string, number[]>();
let validatorKey: KeyringPair;
let minerUid: number;
let minerHotkey: string;
let idleUid: number;
let idleHotkey: string;
let dir: string;

before(async () => {
  await cryptoWaitReady();
  ({ dir } = await fixtureArtifacts('affine', 'affine-miner'));
  devnet = await Devnet.open({ fast: true });
  const v = await stakedValidator(devnet, { netuid: 1, coldUri: '//OutageTestCold', validatorUri: '//OutageTestValidator', faucetTao: 1000, stakeTao: 10 });
  validatorKey = v.validator;
  devnet.produceBlock();
  const miner = v.keyring.addFromUri('//OutageTestMiner');
  const idle = v.keyring.addFromUri('//OutageTestIdle');
  minerUid = (await devnet.burnedRegister(1, v.cold, miner.address)).uid;
  devnet.produceBlock();
  idleUid = (await devnet.burnedRegister(1, v.cold, idle.address)).uid;
  minerHotkey = miner.address;
  idleHotkey = idle.address;
  // a "miner" answering every synapse 500, as the axon did when its blacklist's metagraph read failed
  server = http.createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, [...(hits.get(path) ?? []), Date.now()]);
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  devnet.produceBlock();
  await devnet.serveAxon(miner, { netuid: 1, ip: '127.0.0.1', port: (server.address() as AddressInfo).port, version: 1 });
});

after(async () => {
  await new Promise((r) => server.close(r));
  await devnet.close();
  await releaseSnarkjsCurve();
});

test('backoff: base·2^(n−1) after the n-th consecutive failure, capped', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 7, 8, 100].map((n) => backoffMs(n)), [0, 1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000]);
  assert.equal(DEFAULT_FAILURE_BACKOFF.capMs, 60_000);
});

test('validator: a miner answering 500 is backed off (bounded queries), and a chain outage keeps scores', async () => {
  let down = false;
  let reads = 0;
  const chain = new Proxy(devnet, {
    get(t, p) {
      if (p === 'metagraph' || p === 'hyperparameters') {
        return async (netuid: number) => {
          reads++;
          if (down) throw new ChainConnectionError('cannot reach the devnet node at http://127.0.0.1:1 (test outage)');
          return p === 'metagraph' ? t.metagraph(netuid) : t.hyperparameters(netuid);
        };
      }
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  }) as unknown as Chain;
  const circuit = await loadValidatorCircuit(dir, { allowInsecureDev: true, timeoutS: 10 });
  const lines: string[] = [];
  const validator = new Validator({ hotkey: validatorKey, chain, netuid: 1, dbPath: ':memory:', circuits: [circuit], concurrency: 4, seed: 1, log: (l) => lines.push(l) });
  // a score earned before (the idle uid serves no axon, so it is never queried)
  validator.store.putScore(idleUid, idleHotkey, 0.25, 'verified');
  const results: QueryResult[] = [];
  validator.on('result', (r) => results.push(r));
  await validator.start();
  try {
    const path = '/QueryZkProof';
    const until = async (what: string, f: () => boolean, ms = 20_000) => {
      const t0 = Date.now();
      while (!f()) {
        if (Date.now() - t0 > ms) throw new Error(`gave up waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until('the first query', () => (hits.get(path)?.length ?? 0) > 0);
    const first = hits.get(path)![0]!;
    await new Promise((r) => setTimeout(r, 3_500));
    const inWindow = hits.get(path)!.filter((t) => t - first <= 3_500).length;
    // 1 s, 2 s backoff: queries at about 0, 1 and 3 s; a tight loop made hundreds
    assert.ok(inWindow >= 2 && inWindow <= 5, `${inWindow} queries in 3.5 s`);
    assert.ok(validator.failureStreak(minerUid) >= 2);
    assert.ok(results.every((r) => r.uid === minerUid && !r.verified && r.status === 500 && r.score === 0), 'each answer is still scored as a failure');
    assert.equal(lines.filter((l) => l.startsWith(`validator: uid ${minerUid} failed 2 queries in a row (last 500); backing off`)).length, 1, lines.join('\n'));

    // the validator's own chain reads fail: scores are kept, the failure logged once, no crash
    down = true;
    const readsBefore = reads;
    for (let i = 0; i < 5; i++) {
      devnet.produceBlock();
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(reads > readsBefore, 'each block retries the chain');
    assert.equal(validator.scores().get(idleUid), 0.25);
    assert.equal(lines.filter((l) => /^validator: block \d+: cannot reach the devnet node/.test(l)).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith('metagraph: cannot refresh subnet 1')).length, 1, lines.join('\n'));
    assert.ok(!lines.some((l) => /\n\s+at /.test(l)), `no stack traces:\n${lines.join('\n')}`);
    down = false;
    devnet.produceBlock();
    await until('recovery logged', () => lines.some((l) => l.startsWith('validator: chain reads work again')));
    assert.equal(validator.scores().get(idleUid), 0.25);
    assert.ok(validator.metagraph.outageSince === undefined);
  } finally {
    await validator.stop();
    validator.close();
  }
});
