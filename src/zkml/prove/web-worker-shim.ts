// Import this first in any worker-thread entry that loads snarkjs/ffjavascript (before they are imported).
// ffjavascript starts its own threads through the `web-worker` package, which decides at load time — from
// worker_threads.isMainThread — whether it is the spawning side or a spawned web worker. Inside our worker
// threads it would wrongly pick the latter (and take over the thread's message port), so load it once as
// the spawning side; its nested threads then work as they do on the main thread.
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
