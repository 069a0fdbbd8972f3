// npm run bench:api — the validator API under 200 concurrent inference submissions.
//
// Real parts: the API server (fastify, auth, token buckets), the validator's ExternalQueue (SQLite), and real
// Groth16 proofs of the affine test circuit (snarkjs, 2 proving loops standing in for the miners' capacity).
// Every submission must end as 202 → verified/failed, or be refused with 429/503 — "lost" counts the rest.
// Scenarios (same process, same run):
//   baseline   1 submission at a time (10×): end-to-end latency with an idle queue
//   burst      N concurrent submissions from 8 API-key callers (bucket N/8 each), queue limit 1000
//   intake     the same, but proving starts only once every POST is answered (the API's own intake rate)
//   overload   N concurrent, queue limit N/2 → the excess is refused with 503
//   one-caller N concurrent from one caller with a bucket of 20 → exactly 20 accepted, the rest 429
// Options: --n 200
import { ZkinferClient } from '../src/client/index.js';
import { endSnarkjs, startApi, startProving, type Harness } from '../test/api/harness.js';

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
  e2eP50: number;
  e2eP95: number;
}

async function run(name: string, h: Harness, submissions: Array<{ key: string; i: number }>, opts: { sequential?: boolean; proveAfterIntake?: boolean } = {}): Promise<Row> {
  const sequential = opts.sequential === true;
  let provers = opts.proveAfterIntake ? [] : [startProving(h), startProving(h)];
  let answered = 0;
  const onAnswered = (): void => {
    answered += 1;
    if (opts.proveAfterIntake && answered === submissions.length) provers = [startProving(h), startProving(h)];
  };
  const results: Array<{ status: number; e2eMs?: number; acceptMs?: number; final?: string }> = [];
  const one = async ({ key, i }: { key: string; i: number }): Promise<(typeof results)[number]> => {
    const client = new ZkinferClient({ url: h.url, apiKey: key });
    const t0 = performance.now();
    const res = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ model: 'affine', input: input(i) }) });
    const body = (await res.json()) as { id?: string };
    const acceptMs = performance.now() - start;
    onAnswered();
    if (res.status !== 202) return { status: res.status, acceptMs };
    const done = await client.wait(body.id!, { timeoutMs: 600_000 });
    return { status: 202, e2eMs: performance.now() - t0, acceptMs, final: done.status };
  };
  const start = performance.now();
  if (sequential) for (const s of submissions) results.push(await one(s));
  else results.push(...(await Promise.all(submissions.map(one))));
  // accept throughput: accepted submissions / time until the last POST was answered
  const acceptWindowS = sequential ? (performance.now() - start) / 1000 : Math.max(...results.map((r) => r.acceptMs ?? 0)) / 1000;
  await Promise.all(provers.map((p) => p.stop()));
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
    acceptPerS: accepted.length / Math.max(1e-9, acceptWindowS),
    e2eP50: median(e2e),
    e2eP95: quantile(e2e, 0.95),
  };
}

const keys = Array.from({ length: 8 }, (_, k) => ({ name: `caller${k}`, key: `bench-key-${k}-0123456789abcdef` }));
const rows: Row[] = [];

{
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: 1000, perSecond: 1000 } } });
  rows.push(await run('baseline (1 at a time)', h, Array.from({ length: 10 }, (_, i) => ({ key: keys[0]!.key, i })), { sequential: true }));
  await h.close();
}
{
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: Math.ceil(N / 8), perSecond: 1 }, maxPending: 1000 } });
  rows.push(await run(`burst (${N} concurrent, 8 callers)`, h, Array.from({ length: N }, (_, i) => ({ key: keys[i % 8]!.key, i }))));
  await h.close();
}
{
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: Math.ceil(N / 8), perSecond: 1 }, maxPending: 1000 } });
  rows.push(await run(`intake (${N} concurrent, proving starts after)`, h, Array.from({ length: N }, (_, i) => ({ key: keys[i % 8]!.key, i })), { proveAfterIntake: true }));
  await h.close();
}
{
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: N, perSecond: 1 }, maxPending: Math.floor(N / 2) } });
  rows.push(await run(`overload (${N} concurrent, queue limit ${Math.floor(N / 2)})`, h, Array.from({ length: N }, (_, i) => ({ key: keys[i % 8]!.key, i }))));
  await h.close();
}
{
  const h = await startApi({ config: { auth: { mode: 'signed', apiKeys: keys }, rateLimit: { burst: 20, perSecond: 0.1 } } });
  rows.push(await run(`one caller (${N} concurrent, bucket 20)`, h, Array.from({ length: N }, (_, i) => ({ key: keys[0]!.key, i }))));
  await h.close();
}
await endSnarkjs();

const base = rows[0]!.e2eP50;
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
console.log(`\nzkinfer API bench — ${N} submissions, affine circuit (snarkjs Groth16, 2 proving loops), ${new Date().toISOString()}`);
console.log('| scenario | submitted | 202 | 429 | 503 | other | lost | accepted/s | e2e p50 ms | e2e p95 ms | p50 / baseline |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.submitted} | ${r.accepted} | ${r.r429} | ${r.r503} | ${r.other} | ${r.lost} | ${f(r.acceptPerS)} | ${f(r.e2eP50)} | ${f(r.e2eP95)} | ${f(r.e2eP50 / base, 1)}× |`);
}
const lost = rows.reduce((a, r) => a + r.lost + r.other, 0);
console.log(lost === 0 ? '\nnone lost: every submission completed or was refused with 429/503' : `\n${lost} submissions LOST or answered otherwise`);
process.exitCode = lost === 0 ? 0 : 1;
