import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { loadNativeAddon } from '../prove/native/addon.js';
import { spawnModuleWorker } from '../prove/spawn-worker.js';
import { FixedBaseEngine, type GroupName } from './fixed-base.js';

/** Threads for setup's scalar multiplications: $ZKINFER_SETUP_THREADS, else the CPU count (at most 8). */
export function setupThreads(): number {
  const env = Number(process.env.ZKINFER_SETUP_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : Math.min(8, availableParallelism());
}

/** The native addon's fixed-base multiplication, unless $ZKINFER_SETUP_ENGINE=wasm or the addon lacks it. */
export function nativeFixedBase(): NonNullable<NonNullable<ReturnType<typeof loadNativeAddon>>['fixedBaseMul']> | undefined {
  if (process.env.ZKINFER_SETUP_ENGINE === 'wasm') return undefined;
  return loadNativeAddon()?.fixedBaseMul;
}

/**
 * Setup's fixed-base multiplications: in the native addon on all cores when it is built (docs/zkml-compile.md,
 * "Setup"), else FixedBaseEngine.mulMany split over worker threads (each with its own WASM curve and comb table); batches
 * below `minParallel` points, or a single thread, run inline. Results are identical to the inline engine.
 */
export class ParallelFixedBase {
  private workers: Array<Promise<Worker>> = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

  private constructor(private readonly inline: FixedBaseEngine, private readonly threads: number, private readonly minParallel: number) {}

  static async create(opts: { threads?: number; minParallel?: number } = {}): Promise<ParallelFixedBase> {
    return new ParallelFixedBase(await FixedBaseEngine.create(), opts.threads ?? setupThreads(), opts.minParallel ?? 256);
  }

  get engine(): FixedBaseEngine { return this.inline; }

  private start(): Array<Promise<Worker>> {
    if (this.workers.length === 0) {
      for (let i = 0; i < this.threads; i++) {
        this.workers.push(new Promise<Worker>((resolve, reject) => {
          const w = spawnModuleWorker(import.meta.url, 'fixed-base-worker', null);
          w.once('error', reject);
          w.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; out?: Uint8Array; message?: string }) => {
            if (m.ready) { resolve(w); return; }
            const p = this.pending.get(m.id!);
            if (!p) return;
            this.pending.delete(m.id!);
            if (m.ok) p.resolve(m.out!); else p.reject(new Error(`setup worker: ${m.message}`));
          });
          w.on('error', (err) => { for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(err); } });
        }));
      }
    }
    return this.workers;
  }

  /** k_i·B for every 32-byte little-endian scalar, affine LEM points concatenated (as FixedBaseEngine.mulMany). */
  async mulMany(g: GroupName, base: Uint8Array, scalars: Uint8Array): Promise<Uint8Array> {
    const n = scalars.length / 32;
    const native = nativeFixedBase();
    if (native && n > 0) return native(g, base, scalars);
    if (this.threads <= 1 || n < this.minParallel) return this.inline.mulMany(g, base, scalars);
    const workers = await Promise.all(this.start());
    const sA = FixedBaseEngine.affineSize(g);
    const per = Math.ceil(n / workers.length);
    const parts = await Promise.all(workers.map((w, k) => {
      const lo = Math.min(n, k * per), hi = Math.min(n, lo + per);
      if (hi <= lo) return Promise.resolve(new Uint8Array(0));
      const id = this.nextId++;
      const chunk = scalars.slice(lo * 32, hi * 32);
      return new Promise<Uint8Array>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ type: 'mul', id, group: g, base, scalars: chunk }, [chunk.buffer]);
      });
    }));
    const out = new Uint8Array(n * sA);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  async close(): Promise<void> {
    const ws = await Promise.allSettled(this.workers);
    this.workers = [];
    await Promise.all(ws.map(async (r) => {
      if (r.status !== 'fulfilled') return;
      const exited = new Promise<void>((res) => r.value.once('exit', () => res()));
      r.value.postMessage({ type: 'close' });
      const t = setTimeout(() => void r.value.terminate(), 2000);
      await exited;
      clearTimeout(t);
    }));
    await this.inline.close();
  }
}
