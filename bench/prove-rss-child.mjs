// Peak memory of one proof the way a user's process has it (docs/native-prover.md, "Memory"), for bench/prover.ts.
// Plain JavaScript run by a bare `node` (no tsx, no snarkjs), so the process holds what `zkinfer prove`'s native
// path holds: Node, the addon, the key and the witness.
//   node bench/prove-rss-child.mjs native <addon.node> <zkey> <wtns> <key options json>   one key load + one proof
//                                                                     in this process, loaded as `zkinfer prove` does
//   node bench/prove-rss-child.mjs exec <program> [args…]             runs a program (rapidsnark) and samples it
//                                                                     (under /usr/bin/time: samples time's child)
// /proc/<pid>/status is read every millisecond: VmRSS, RssAnon (heap, stacks, private copies), RssFile (mapped
// files: the key's pages, which stay in the page cache when released) and VmHWM (the kernel's own peak). Prints
// one line `RESULT {json}`; in native mode it also carries the proof for the parent to verify with snarkjs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const MB = 1024; // /proc reports kB

function status(pid) {
  const out = {};
  let text;
  try { text = readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return undefined; }
  for (const key of ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile', 'RssShmem']) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    out[key] = m ? Number(m[1]) : 0;
  }
  return out;
}

/** The process a wrapper such as /usr/bin/time started (its first child), else `pid` itself. */
function target(pid) {
  if (pid === 'self') return pid;
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length ? kids[0] : pid;
  } catch { return pid; }
}

/** Samples `pid` until stopped; keeps the largest VmRSS sample with its split and the largest RssAnon / RssFile. */
function sampler(pid) {
  const s = { samples: 0, peakRss: 0, anonAtPeak: 0, fileAtPeak: 0, maxAnon: 0, maxFile: 0, hwm: 0 };
  const take = () => {
    const st = status(target(pid));
    if (!st) return;
    s.samples++;
    if (st.VmRSS > s.peakRss) { s.peakRss = st.VmRSS; s.anonAtPeak = st.RssAnon; s.fileAtPeak = st.RssFile + st.RssShmem; }
    s.maxAnon = Math.max(s.maxAnon, st.RssAnon);
    s.maxFile = Math.max(s.maxFile, st.RssFile + st.RssShmem);
    s.hwm = Math.max(s.hwm, st.VmHWM);
  };
  const timer = setInterval(take, 1);
  return {
    stop() {
      take();
      clearInterval(timer);
      return {
        peakMB: s.hwm / MB, sampledPeakMB: s.peakRss / MB, anonAtPeakMB: s.anonAtPeak / MB, fileAtPeakMB: s.fileAtPeak / MB,
        maxAnonMB: s.maxAnon / MB, maxFileMB: s.maxFile / MB, samples: s.samples,
      };
    },
  };
}

async function native([addonFile, zkey, wtnsFile, keyOptions]) {
  const addon = createRequire(import.meta.url)(resolve(addonFile));
  const before = status('self');
  const sample = sampler('self');
  const key = new addon.ProvingKey();
  await key.load(zkey, JSON.parse(keyOptions)); // ONE_SHOT_KEY_OPTIONS, as `zkinfer prove` loads it: one proof per process
  const wtns = readFileSync(wtnsFile);
  const t = performance.now();
  const raw = await key.prove(wtns);
  const ms = performance.now() - t;
  const mem = sample.stop();
  const info = key.info();
  key.close();
  const { pi_a, pi_b, pi_c, publicSignals, timings } = raw;
  return { ...mem, beforeKeyMB: before.VmRSS / MB, ms, cacheHit: info.cacheHit, releasedBytes: timings.releasedBytes, proof: { pi_a, pi_b, pi_c, protocol: 'groth16', curve: 'bn128' }, publicSignals };
}

async function exec([program, ...args]) {
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const sample = sampler(child.pid);
  const t = performance.now();
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  const ms = performance.now() - t;
  const mem = sample.stop(); // the last samples: VmHWM of a process that exited between two samples may be short
  if (code !== 0) throw new Error(`${program} exited with ${code}: ${stderr.slice(-1000)}`);
  // GNU time's exact peak, when the program was run under `/usr/bin/time -f 'MAXRSS %M'`
  const exact = /MAXRSS (\d+)/.exec(stderr);
  return { ...mem, ...(exact ? { peakMB: Number(exact[1]) / MB } : {}), ms };
}

const [mode, ...rest] = process.argv.slice(2);
const result = mode === 'native' ? await native(rest) : mode === 'exec' ? await exec(rest) : undefined;
if (!result) {
  console.error('usage: prove-rss-child.mjs native <addon> <zkey> <wtns> | exec <program> [args…]');
  process.exit(2);
}
console.log('RESULT ' + JSON.stringify(result));
