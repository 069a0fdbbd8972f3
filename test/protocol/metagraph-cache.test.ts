// MetagraphCache during a chain outage (docs/network.md "Chain outages"): the last good snapshot is served
// while it is at most maxStaleMs old, with background retries at most once per maxAgeMs; past the bound get()
// throws MetagraphUnavailableError; the outage, the bound being passed and the recovery are logged once each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainConnectionError } from '../../src/chain/errors.js';
import type { Chain, Metagraph } from '../../src/chain/types.js';
import { MetagraphCache, MetagraphUnavailableError } from '../../src/protocol/metagraph-cache.js';

function flakyChain() {
  const s = { down: false, calls: 0, block: 1 };
  const chain = {
    metagraph: async (netuid: number): Promise<Metagraph> => {
      s.calls++;
      if (s.down) throw new ChainConnectionError('cannot reach the devnet node at http://127.0.0.1:1');
      return { netuid, block: s.block++, n: 1, hotkeys: ['5Hotkey'], uids: [0] } as unknown as Metagraph;
    },
  } as unknown as Chain;
  return { chain, s };
}

test('metagraph cache: stale-while-error within the bound, 503-style error after it, one line per outage', async () => {
  const { chain, s } = flakyChain();
  let now = 1_000_000;
  const lines: string[] = [];
  const cache = new MetagraphCache(chain, 1, 2_000, { maxStaleMs: 60_000, now: () => now, log: (l) => lines.push(l) });
  const first = await cache.get();
  assert.equal(first.block, 1);
  assert.equal((await cache.get()).block, 1, 'fresh: no refresh');
  assert.equal(s.calls, 1);

  s.down = true;
  now += 3_000; // older than maxAgeMs: get() tries to refresh, fails, and serves the last snapshot
  assert.equal((await cache.get()).block, 1);
  assert.equal(cache.outageSince, now);
  const callsAtOutage = s.calls;
  // many requests during the outage: all served from the snapshot, retries at most once per maxAgeMs
  for (let i = 0; i < 100; i++) {
    now += 100;
    assert.equal((await cache.get()).block, 1);
  }
  await new Promise((r) => setImmediate(r));
  assert.ok(s.calls - callsAtOutage <= 6, `${s.calls - callsAtOutage} refresh attempts in 10 s of requests`);
  assert.ok(s.calls - callsAtOutage >= 1, 'retries in the background');
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /^metagraph: cannot refresh subnet 1 from the chain \(ChainConnectionError: cannot reach/);
  assert.match(lines[0]!, /serving the snapshot of block 1/);
  assert.doesNotMatch(lines[0]!, /\n\s+at /, 'an expected connection error is logged without a stack');

  // past the bound: an error naming the outage, logged once
  now += 60_000;
  await assert.rejects(cache.get(), (e: unknown) => e instanceof MetagraphUnavailableError && /unreachable for \d+ s .*\(bound 60 s\)/.test(e.message));
  now += 100;
  await assert.rejects(cache.get(), MetagraphUnavailableError);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[1]!, /past the 60 s bound/);
  assert.equal(cache.peek()?.block, 1, 'peek keeps the last snapshot');

  // back: the next get() refreshes and the recovery is logged once
  s.down = false;
  now += 5_000;
  const back = await cache.get();
  assert.ok(back.block > 1);
  assert.equal(cache.outageSince, undefined);
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[2]!, /^metagraph: chain reachable again after \d+ s/);
});

test('metagraph cache: an unexpected refresh error keeps its stack in the one outage line; no snapshot yet → the error itself', async () => {
  let fail: Error | undefined = new Error('first read fails');
  const chain = { metagraph: async () => { if (fail) throw fail; return { block: 7, hotkeys: [], uids: [] } as unknown as Metagraph; } } as unknown as Chain;
  const lines: string[] = [];
  let now = 0;
  const cache = new MetagraphCache(chain, 1, 1_000, { maxStaleMs: 10_000, now: () => now, log: (l) => lines.push(l) });
  await assert.rejects(cache.get(), /first read fails/);
  fail = undefined;
  assert.equal((await cache.get()).block, 7);
  fail = new TypeError('bad shape');
  now += 2_000;
  assert.equal((await cache.get()).block, 7);
  const outage = lines.filter((l) => l.includes('bad shape'));
  assert.equal(outage.length, 1);
  assert.match(outage[0]!, /TypeError: bad shape\n\s+at /);
});
