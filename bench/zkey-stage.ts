// node --import tsx bench/zkey-stage.ts CIRCUIT.r1cs OUT.zkey CACHE_DIR — the direct zkey stage alone, timed, with
// progress lines and peak RSS (docs/zkml-compile.md "Memory at 2^21–2^22"): an INSECURE-DEV key with its phase-2
// contribution from the dev secrets of CACHE_DIR (e.g. .cache/bench-zkml/setup), for a compiled circuit.r1cs.
import { randomBytes } from 'node:crypto';
import { devToxic } from '../src/zkml/setup/dev-ptau.js';
import { writeDirectZkey } from '../src/zkml/setup/direct-zkey.js';
import { readR1csHeader, requiredPower } from '../src/zkml/setup/r1cs-header.js';
const [r1csPath, zkeyPath, cache] = process.argv.slice(2) as [string, string, string];
if (!r1csPath || !zkeyPath || !cache) {
  console.error('usage: node --import tsx bench/zkey-stage.ts CIRCUIT.r1cs OUT.zkey CACHE_DIR (a setup cache holding ptau/dev-toxic-INSECURE.json)');
  process.exit(2);
}
const t0 = performance.now(), cpu0 = process.cpuUsage();
const power = requiredPower(await readR1csHeader(r1csPath));
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} +${((performance.now() - t0) / 1000).toFixed(0)} s rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB ${s}`);
let last = '';
await writeDirectZkey({ r1csPath, zkeyPath, toxic: await devToxic(cache), ptauPower: power, contribution: { delta: BigInt('0x' + randomBytes(32).toString('hex')), name: 'measure' },
  onProgress: (st, d, n) => { const k = `${st} ${d}/${n}`; if (k !== last) { last = k; log(k); } } });
const cpu = process.cpuUsage(cpu0);
log(`done: power ${power}, wall ${((performance.now() - t0) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
