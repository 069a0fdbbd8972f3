import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { SignatureVerifier } from '../../src/api/auth/signature.js';
import { TokenBuckets } from '../../src/api/auth/rate-limit.js';
import { Authenticator } from '../../src/api/auth/authenticate.js';
import { chainPermits } from '../../src/api/auth/permits.js';
import { ForbiddenError, UnauthenticatedError } from '../../src/api/errors.js';
import { signedHeaders } from '../../src/client/sign.js';
import type { Metagraph } from '../../src/chain/types.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const NOW = 1_800_000_000;

const asHeaders = (h: Record<string, string>) => ({ timestamp: h['x-timestamp'], ss58: h['x-origin-ss58'], signature: h['x-signature'] });

test('a fresh sr25519 signature over the timestamp authenticates its signer', async () => {
  const v = new SignatureVerifier(300, () => NOW);
  assert.equal(await v.verify(asHeaders(signedHeaders(alice, NOW))), alice.address);
});

test('a replayed signature is refused', async () => {
  const v = new SignatureVerifier(300, () => NOW);
  const h = asHeaders(signedHeaders(alice, NOW));
  await v.verify(h);
  await assert.rejects(() => v.verify(h), (e: unknown) => e instanceof UnauthenticatedError && /replay/.test(e.message));
  // a second, freshly signed request with the same timestamp is fine (sr25519 signatures are randomised)
  assert.equal(await v.verify(asHeaders(signedHeaders(alice, NOW))), alice.address);
});

test('timestamps outside the ±300 s window are refused', async () => {
  const v = new SignatureVerifier(300, () => NOW);
  await assert.rejects(() => v.verify(asHeaders(signedHeaders(alice, NOW - 301))), /window/);
  await assert.rejects(() => v.verify(asHeaders(signedHeaders(alice, NOW + 301))), /window/);
  assert.equal(await v.verify(asHeaders(signedHeaders(alice, NOW - 299))), alice.address);
});

test('a signature by another key, over another timestamp, or malformed is refused', async () => {
  const v = new SignatureVerifier(300, () => NOW);
  const byBob = signedHeaders(bob, NOW);
  await assert.rejects(() => v.verify({ ...asHeaders(byBob), ss58: alice.address }), /does not verify/);
  const h = signedHeaders(alice, NOW);
  await assert.rejects(() => v.verify({ ...asHeaders(h), timestamp: String(NOW + 1) }), /does not verify/);
  await assert.rejects(() => v.verify({ ...asHeaders(h), signature: '0x1234' }), /64-byte/);
  await assert.rejects(() => v.verify({ ...asHeaders(h), ss58: 'not-an-address' }), UnauthenticatedError);
  await assert.rejects(() => v.verify({ ...asHeaders(h), timestamp: 'yesterday' }), /unix seconds/);
  await assert.rejects(() => v.verify({ ss58: alice.address }), /missing x-timestamp, x-signature/);
});

test('token bucket: a burst passes up to its size, then refuses until refilled — at any time, not only the first second', () => {
  let t = 1000;
  const b = new TokenBuckets({ burst: 5, perSecond: 2 }, () => t);
  for (let round = 0; round < 3; round++) {
    const results = Array.from({ length: 20 }, () => b.take('alice'));
    assert.equal(results.filter((w) => w === 0).length, round === 0 ? 5 : 4, `round ${round}`);
    assert.ok(results.slice(-1)[0]! > 0);
    t += 2; // two seconds → 4 tokens back
  }
  // long after, the bucket is full again but never above its burst
  t += 3600;
  assert.equal(Array.from({ length: 20 }, () => b.take('alice')).filter((w) => w === 0).length, 5);
  // callers have separate buckets
  assert.equal(b.take('bob'), 0);
  // the wait it reports is the time to the next token
  assert.ok(Math.abs(b.take('alice') - 0.5) < 1e-9);
});

function metagraphWith(permits: Array<[string, boolean]>): Metagraph {
  const n = permits.length;
  const z = Array<number>(n).fill(0);
  return {
    netuid: 1, block: 10, n, uids: permits.map((_, i) => i), hotkeys: permits.map(([h]) => h), coldkeys: permits.map(([h]) => h),
    stake: Array<bigint>(n).fill(0n), alphaStake: Array<bigint>(n).fill(0n), taoStake: Array<bigint>(n).fill(0n), validatorPermit: permits.map(([, p]) => p), validatorTrust: z, trust: z, consensus: z,
    incentive: z, dividends: z, emission: Array<bigint>(n).fill(0n), active: Array<boolean>(n).fill(true), lastUpdate: z,
    blockAtRegistration: z, axons: [],
  };
}

test('authenticator: allow-list, validator permit, API keys, open mode', async () => {
  const charlie = keyring.addFromUri('//Charlie');
  let reads = 0;
  const permits = chainPermits({ metagraph: async () => (reads++, metagraphWith([[bob.address, true], [charlie.address, false]])) }, 1);
  const signed = new Authenticator({ mode: 'signed', allow: [alice.address], apiKeys: [{ name: 'ci', key: 'k'.repeat(32) }] }, await SignatureVerifier.create(), permits);
  assert.equal(await signed.authenticate(signedHeaders(alice), '127.0.0.1'), alice.address);
  assert.equal(await signed.authenticate(signedHeaders(bob), '127.0.0.1'), bob.address);
  await assert.rejects(signed.authenticate(signedHeaders(charlie), '127.0.0.1'), ForbiddenError);
  assert.equal(reads, 1, 'the metagraph is cached between requests');
  assert.equal(await signed.authenticate({ 'x-api-key': 'k'.repeat(32) }, '127.0.0.1'), 'key:ci');
  await assert.rejects(signed.authenticate({ 'x-api-key': 'wrong' }, '127.0.0.1'), UnauthenticatedError);
  await assert.rejects(signed.authenticate({}, '127.0.0.1'), UnauthenticatedError);

  const open = new Authenticator({ mode: 'open', allow: [], apiKeys: [] }, await SignatureVerifier.create());
  assert.equal(await open.authenticate({}, '127.0.0.1'), 'ip:127.0.0.1');
  // open mode still refuses a bad signature instead of ignoring it
  await assert.rejects(open.authenticate({ ...signedHeaders(alice), 'x-origin-ss58': bob.address }, '127.0.0.1'), UnauthenticatedError);
  // and a good signature that is not allowed is still 403
  await assert.rejects(open.authenticate(signedHeaders(alice), '127.0.0.1'), ForbiddenError);
});

test('API flags: port, open mode, API keys and a config file merge into a checked config', async () => {
  const { apiConfigFromFlags } = await import('../../src/api/cli-options.js');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'zkinfer-apicfg-')), 'api.json');
  writeFileSync(file, JSON.stringify({ auth: { allow: [alice.address], permitNetuid: 1 }, rateLimit: { burst: 3, perSecond: 1 } }));
  const c = (await apiConfigFromFlags({ apiPort: '0', apiConfig: file, apiOpen: true, apiKey: ['ci=' + 'k'.repeat(20)] })) as any;
  assert.equal(c.port, 0);
  assert.equal(c.auth.mode, 'open');
  assert.deepEqual(c.auth.allow, [alice.address]);
  assert.equal(c.auth.permitNetuid, 1);
  assert.deepEqual(c.auth.apiKeys, [{ name: 'ci', key: 'k'.repeat(20) }]);
  assert.equal(c.rateLimit.burst, 3);
  // Without a config file: --api-allow hotkeys, and the validator's own subnet's permit holders by default.
  const d = (await apiConfigFromFlags({ apiPort: '0', apiAllow: [alice.address] }, { permitNetuid: 7 })) as any;
  assert.equal(d.auth.mode, 'signed');
  assert.deepEqual(d.auth.allow, [alice.address]);
  assert.equal(d.auth.permitNetuid, 7);
  const f = (await apiConfigFromFlags({ apiPort: '0', apiConfig: file }, { permitNetuid: 7 })) as any;
  assert.equal(f.auth.permitNetuid, 1, 'a config file that names permitNetuid wins');
  await assert.rejects(apiConfigFromFlags({ apiPort: '70000' }), /--api-port/);
  await assert.rejects(apiConfigFromFlags({ apiPort: '1', apiKey: ['short=abc'] }), /auth\.apiKeys\.0\.key/);
  writeFileSync(file, JSON.stringify({ rateLimit: { burst: -1, perSecond: 1 } }));
  await assert.rejects(apiConfigFromFlags({ apiPort: '1', apiConfig: file }), /rateLimit\.burst/);
});

test('startApiFromFlags: no --api-port, no API; a busy port is a clear error', async () => {
  const { startApiFromFlags } = await import('../../src/api/cli-options.js');
  const { createServer } = await import('node:net');
  const deps = {} as Parameters<typeof startApiFromFlags>[1];
  assert.equal(await startApiFromFlags({}, deps), undefined);
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  try {
    // The port check happens before any validator work: an idle validator state (real queue, nothing scored) suffices.
    const Database = (await import('better-sqlite3')).default;
    const { ExternalQueue } = await import('../../src/validator/external-queue.js');
    const db = new Database(':memory:');
    const validator = {
      hotkey: alice.address,
      external: new ExternalQueue(db),
      store: { db, scores: () => [], recentRequests: () => [], uidLatencies: () => [] },
      metagraph: { get: async () => metagraphWith([]) },
      lastWeights: () => new Map<number, number>(),
    };
    await assert.rejects(
      startApiFromFlags({ apiPort: String(port) }, { validator, circuits: [], chain: {} as never, netuid: 1 }),
      (e: Error & { hint?: string }) => /already in use/.test(e.message) && /--api-port/.test(e.hint ?? ''),
    );
    db.close();
  } finally {
    busy.close();
  }
});
