// npm run bench:api — the validator API under 200 concurrent inference submissions.
//
// A real network in this process (test/api/network.ts): devnet, 2 miners proving the affine test circuit with
// snarkjs in worker threads (capacity 2 each), a validator (external requests ahead of benchmarks, Groth16
// verification against its own inputs) and its API. Clients use the SDK over 127.0.0.1 with API keys.
// Every submission must end as 202 → verified/failed, or be refused with 429/503 — "lost" counts the rest.
// Scenarios (same process, same run):
//   baseline   1 submission at a time (10×): end-to-end latency with an idle queue
//   burst      N concurrent submissions from 8 API-key callers (bucket N/8 each), queue limit 1000
//   overload   N concurrent, queue limit N/2 → the excess is refused with 503
//   one-caller N concurrent from one caller with a bucket of 20 → exactly 20 accepted, the rest 429
//   intake     the API alone (real queue, nothing proving): N concurrent POSTs, accepted/s
// accepted/s and answered/s: 202s (all answers) divided by the time until the last POST was answered.
// Options: --n 200
import { ZkinferClient } from '../src/client/index.js';
import { endSnarkjs, startApi } from '../test/api/harness.js';
import { startNetwork, type TestNetwork } from '../test/api/network.js';
import type { ApiConfigInput } from '../src/api/config.js';

const N = Number(process.argv[process.argv.indexOf('--n') + 1] || 200) || 200;
const input = (i: number) => ({ x: [((i % 200) - 100) / 10, 1 + (i % 7), 0.5] });

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const p = (s.length - 1) * q;
  return s[Math.floor(p)]! + (s[Math.ceil(p)]! - s[Math.floor(p)]!) * (p - Math.floor(p));
}

interface Row {
  scenario: string;
  submitted: number;
  accepted: number;
  r429: number;
  r503: number;
  other: number;
  lost: number;
  acceptPerS: number;
  answeredPerS: number;
  e2eP50: number;
  e2eP95: number;
}

async function run(name: string, h: TestNetwork, submissions: Array<{ key: string; i: number }>, opts: { sequential?: boolean } = {}): Promise<Row> {
  const sequential = opts.sequential === true;
  const results: Array<{ status: number; e2eMs?: number; acceptMs?: number; final?: string }> = [];
  const one = async ({ key, i }: { key: string; i: number }): Promise<(typeof results)[number]> => {
    const client = new ZkinferClient({ url: h.url, apiKey: key });
    const t0 = performance.now();
    const res = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ model: 'affine', input: input(i) }) });
    const body = (await res.json()) as { id?: string };
    const acceptMs = performance.now() - start;
    if (res.status !== 202) return { status: res.status, acceptMs };
    const done = await client.wait(body.id!, { timeoutMs: 600_000 });
    return { status: 202, e2eMs: performance.now() - t0, acceptMs, final: done.status };
  };
  const start = performance.now();
  if (sequential) for (const s of submissions) results.push(await one(s));
  else results.push(...(await Promise.all(submissions.map(one))));
  // accept throughput: accepted submissions / time until the last POST was answered
  const acceptWindowS = sequential ? (performance.now() - start) / 1000 : Math.max(...results.map((r) => r.acceptMs ?? 0)) / 1000;
  const accepted = results.filter((r) => r.status === 202);
  const terminal = accepted.filter((r) => r.final === 'verified' || r.final === 'failed');
  const e2e = terminal.map((r) => r.e2eMs!);
  return {
    scenario: name,
    submitted: submissions.length,
    accepted: accepted.length,
    r429: results.filter((r) => r.status === 429).length,
    r503: results.filter((r) => r.status === 503).length,
    other: results.filter((r) => ![202, 429, 503].includes(r.status)).length,
    lost: accepted.length - terminal.length,
    acceptPerS: sequential ? Number.NaN : accepted.length / Math.max(1e-9, acceptWindowS),
    answeredPerS: sequential ? Number.NaN : results.length / Math.max(1e-9, acceptWindowS),
    e2eP50: median(e2e),
    e2eP95: quantile(e2e, 0.95),
  };
}

const keys = Array.from({ length: 8 }, (_, k) => ({ name: `caller${k}`, key: `bench-key-${k}-0123456789abcdef` }));
const rows: Row[] = [];
const network = (config: ApiConfigInput) => startNetwork({ miners: 2, benchmarkIntervalMs: 2000, config: { auth: { mode: 'signed', apiKeys: keys }, ...config } });

{
  const h = await network({ rateLimit: { burst: 1000, perSecond: 1000 } });
  rows.push(await run('baseline (1 at a time)', h, Array.from({ length: 10 }, (_, i) => ({ key: keys[0]!.key, i })), { sequential: true }));
  await h.close();
}
{
  const h = await network({ rateLimit: { burst: Math.ceil(N / 8), perSecond: 1 }, maxPending: 1000 });
  rows.push(await run(`burst (${N} concurrent, 8 callers)`, h, Array.from({ length: N }, (_, i) => ({ key: keys[i % 8]!.key, i }))));
  await h.close();
}
{
  const h = await network({ rateLimit: { burst: N, perSecond: 1 }, maxPending: Math.floor(N / 2) });
  rows.push(await run(`overload (${N} concurrent, queue limit ${Math.floor(N / 2)})`, h, Array.from({ length: N }, (_, i) => ({ key: keys[i % 8]!.key, i }))));
  await h.close();
}
{
  const h = await network({ rateLimit: { burst: 20, perSecond: 0.1 } });
  rows.push(await run(`one caller (${N} concurrent, bucket 20)`, h, Array.from({ length: N }, (_, i) => ({ key: keys[0]!.key, i }))));
  await h.close();
}
{
  // The API alone (real queue, nothing proving): how fast it takes submissions in.
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: N, perSecond: 1 }, maxPending: 100_000 } });
  const body = (i: number) => JSON.stringify({ model: 'affine', input: input(i) });
  const start = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': keys[i % 8]!.key }, body: body(i) }).then((r) => r.status),
    ),
  );
  const s = (performance.now() - start) / 1000;
  const accepted = statuses.filter((x) => x === 202).length;
  rows.push({ scenario: `API intake only (${N} concurrent, no proving)`, submitted: N, accepted, r429: statuses.filter((x) => x === 429).length, r503: statuses.filter((x) => x === 503).length, other: statuses.filter((x) => ![202, 429, 503].includes(x)).length, lost: N - accepted - statuses.filter((x) => x === 429 || x === 503).length, acceptPerS: accepted / s, answeredPerS: N / s, e2eP50: Number.NaN, e2eP95: Number.NaN });
  await h.close();
}
await endSnarkjs();

const base = rows[0]!.e2eP50;
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
console.log(`\nzkinfer API bench — ${N} submissions; devnet + validator + 2 miners (affine circuit, snarkjs in worker threads); ${new Date().toISOString()}`);
console.log('| scenario | submitted | 202 | 429 | 503 | other | lost | accepted/s | answered/s | e2e p50 ms | e2e p95 ms | p50 / baseline |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.submitted} | ${r.accepted} | ${r.r429} | ${r.r503} | ${r.other} | ${r.lost} | ${f(r.acceptPerS)} | ${f(r.answeredPerS)} | ${f(r.e2eP50)} | ${f(r.e2eP95)} | ${Number.isFinite(r.e2eP50) ? `${f(r.e2eP50 / base, 1)}×` : '–'} |`);
}
const lost = rows.reduce((a, r) => a + r.lost + r.other, 0);
console.log(lost === 0 ? '\nnone lost: every submission completed or was refused with 429/503' : `\n${lost} submissions LOST or answered otherwise`);
process.exitCode = lost === 0 ? 0 : 1;
