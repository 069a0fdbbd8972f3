// One API replica as its own process (for the "replica dies mid-request" test of api-replicas.test.ts): the
// test harness's API on the shared Redis given as argv[2], open auth, no prover loop — it takes requests from
// the shared queue and holds them until it is killed. Prints `replica URL` when listening.
import { startApi } from '../api/harness.js';

const url = process.argv[2];
if (!url) throw new Error('usage: api-replica-child REDIS_URL');
const h = await startApi({ config: { redis: url, auth: { mode: 'open' }, redisQueue: { concurrency: 4, lockMs: 1000, keepS: 600 } } });
console.log(`replica ${h.url}`);
