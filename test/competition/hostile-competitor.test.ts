// Hostile competitors, as real HTTP servers, against the validator's evaluation (docs/network.md, "Hostile miners";
// docs/competitions.md, "Score"):
// - the JSON texts inside a CompetitionArtifacts answer (metadata, verification key, source) are decoded within a
//   bound on their values, so metadata of 300,000 empty objects (900 kB, one string in the synapse) is refused as
//   such instead of being built on the validator's thread (16 MiB of them held it for 10 s);
// - a submission that leaves its hidden inputs unanswered is sent MAX_UNANSWERED of them, not all (each could cost
//   the query timeout, holding the evaluation of every later submission).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditVerdicts } from '../../src/competition/audit-verdicts.js';
import { artifactValues, evaluateCompetition, MAX_UNANSWERED } from '../../src/competition/evaluate.js';
import { writeBaseline } from '../../src/competition/submit.js';
import { getCompetitionTask } from '../../src/competition/tasks.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { loadArtifacts } from '../../src/zkml/artifacts/index.js';
import { compile } from '../../src/zkml/compile.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { testCache } from '../zkml/prove-fixtures.js';

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
  await releaseSnarkjsCurve();
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

test('a submission that leaves its hidden inputs unanswered is sent MAX_UNANSWERED of them, the rest count as misses', async () => {
  // the task's baseline, compiled once (an audit verdict is seeded: this is about the hidden inputs, not the audit)
  const work = join(testCache, 'competition-hostile');
  const art = join(work, 'art');
  if (!existsSync(join(art, 'vk.json'))) {
    const b = writeBaseline(task, join(work, 'baseline'));
    await compile(b.onnx, { outDir: art, name: task.name, calibration: b.calibration, cacheDir: testCache });
  }
  const honest = await loadArtifacts(art);
  const hits: string[] = [];
  const silent = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url ?? '');
      if (req.url === '/CompetitionArtifacts') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ metadata: JSON.stringify(honest.metadata), verification_key: JSON.stringify(honest.vk) }));
      } else {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'busy' }));
      }
    });
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const chain = {
      currentBlock: async () => 10,
      commitments: async () => [{ hotkey: '5Silent', block: 1, data: `zkc1:${task.name}:${honest.metadata.id}` }],
      metagraph: async () => ({ hotkeys: ['5Silent'], axons: [{ ip: '127.0.0.1', port: (silent.address() as AddressInfo).port }] }),
    };
    const lines: string[] = [];
    const audits = new AuditVerdicts();
    audits.recordPass(honest.metadata.id, honest.metadata);
    const board = await evaluateCompetition({
      task, chain, netuid: 1, dendrite, count: 10, allowInsecureDev: true, audits,
      window: { start: 0, end: 100 }, log: (l: string) => lines.push(l),
    } as unknown as Parameters<typeof evaluateCompetition>[0]);
    assert.deepEqual(hits, ['/CompetitionArtifacts', ...new Array(MAX_UNANSWERED).fill('/QueryZkProof')]);
    const e = board.entries[0]!;
    assert.equal(e.status, 'scored', e.reason);
    assert.deepEqual([e.verified, e.failed, e.score], [0, 10, 0]);
    assert.ok(lines.some((l) => l.includes(`left ${MAX_UNANSWERED} hidden inputs unanswered (last 503 busy); the rest count as misses`)), lines.join('\n'));
  } finally {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  }
});
