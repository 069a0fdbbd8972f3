// Prover worker thread entry. snarkjs's curve library (ffjavascript) starts its own threads through the
// `web-worker` package, which decides at load time — from worker_threads.isMainThread — whether it is the
// spawning side or a spawned web worker. Inside our prover thread it would wrongly pick the latter (and take
// over this thread's message port), so load it once as the spawning side before anything imports
// ffjavascript; its nested threads then work as they do on the main thread.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wt = require('node:worker_threads') as { isMainThread: boolean };
const was = wt.isMainThread;
wt.isMainThread = true;
try {
  require('web-worker');
} finally {
  wt.isMainThread = was;
}
await import('./worker-main.js');
