// A hostile competitor's CompetitionArtifacts answer from a real HTTP server (docs/network.md, "Hostile miners"):
// the JSON texts inside it (metadata, verification key, source) are decoded within a bound on their values, so
// metadata of 300,000 empty objects (900 kB, one string in the synapse) is refused as such instead of being built
// on the validator's thread (16 MiB of them held it for 10 s).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { artifactValues, evaluateCompetition } from '../../src/competition/evaluate.js';
import { getCompetitionTask } from '../../src/competition/tasks.js';
import { Dendrite } from '../../src/protocol/dendrite.js';

const task = getCompetitionTask('staking-duration');
const ID = 'ab'.repeat(32);
let server: http.Server;
let port: number;
let dendrite: Dendrite;
const asked: string[] = [];

before(async () => {
  await cryptoWaitReady();
  dendrite = new Dendrite(new Keyring({ type: 'sr25519' }).addFromUri('//HostileArtifactsValidator'));
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ metadata: `[${'{},'.repeat(300_000)}{}]`, verification_key: '{}' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  dendrite.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('metadata holding more JSON values than an artifact may is rejected as such, before it is built', async () => {
  const chain = {
    currentBlock: async () => 10,
    commitments: async () => [{ hotkey: '5Hostile', block: 1, data: `zkc1:${task.name}:${ID}` }],
    metagraph: async () => ({ hotkeys: ['5Hostile'], axons: [{ ip: '127.0.0.1', port }] }),
  };
  const board = await evaluateCompetition({ task, chain, netuid: 1, dendrite, count: 1, window: { start: 0, end: 100 } } as unknown as Parameters<typeof evaluateCompetition>[0]);
  assert.deepEqual(asked, ['/CompetitionArtifacts']);
  const e = board.entries[0]!;
  assert.equal(e.status, 'rejected');
  assert.match(e.reason ?? '', new RegExp(`^unreadable artifacts: more than ${artifactValues(task)} JSON values: unexpected "\\{" at character \\d+$`));
});
