// Worker thread for ParallelFixedBase: one private FixedBaseEngine, serving mulMany requests.
import '../prove/web-worker-shim.js';

const { parentPort } = await import('node:worker_threads');
const { FixedBaseEngine } = await import('./fixed-base.js');
const port = parentPort!;
const engine = await FixedBaseEngine.create();
port.on('message', (m: { type: 'mul'; id: number; group: 'G1' | 'G2'; base: Uint8Array; scalars: Uint8Array } | { type: 'close' }) => {
  if (m.type === 'close') { void engine.close().finally(() => port.close()); return; }
  try {
    const out = engine.mulMany(m.group, m.base, m.scalars);
    port.postMessage({ id: m.id, ok: true, out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
port.postMessage({ ready: true });
