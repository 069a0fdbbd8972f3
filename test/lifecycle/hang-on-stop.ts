// Child process of process.test.ts: a command whose graceful stop never finishes, so only the second signal
// (or the grace timeout) can end it.
import { handleSignals } from '../../src/lifecycle/signals.js';

const keepAlive = setInterval(() => undefined, 1000);
console.log('ready');
await handleSignals({ graceMs: Number(process.env['GRACE_MS'] ?? 10_000) }).ready();
console.log('stopping');
void keepAlive;
