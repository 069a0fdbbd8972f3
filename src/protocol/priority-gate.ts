import { PriorityError } from './errors.js';

interface Waiter {
  priority: number;
  seq: number;
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The axon's priority stage: at most `concurrency` requests run at once; up to `maxQueue` wait, served by
 * priority (e.g. caller stake), then arrival. A full queue refuses the lowest priority with 503; a request
 * that waits past its timeout gets 408. Nothing is dropped silently.
 */
export class PriorityGate {
  private running = 0;
  private seq = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private limit: number, readonly maxQueue: number) {}

  /** Requests allowed to run at once. */
  get concurrency(): number {
    return this.limit;
  }

  /**
   * Change the concurrency (a miner's proving fleet grows or shrinks, docs/scale-out.md): waiting requests
   * are admitted at once when it grows; running ones finish when it shrinks.
   */
  resize(concurrency: number): void {
    this.limit = Math.max(0, concurrency);
    while (this.running < this.limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      clearTimeout(next.timer);
      this.running++;
      next.resolve(this.releaser());
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Wait for a slot; resolves with a release function to call exactly once. */
  acquire(priority: number, timeoutMs: number): Promise<() => void> {
    if (this.running < this.limit && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueue) {
      const lowest = this.waiting.reduce((a, b) => (b.priority < a.priority || (b.priority === a.priority && b.seq > a.seq) ? b : a));
      if (this.maxQueue === 0 || lowest.priority >= priority) {
        return Promise.reject(new PriorityError(503, `Service unavailable: ${this.running} running and ${this.waiting.length} queued`));
      }
      this.remove(lowest);
      lowest.reject(new PriorityError(503, 'Service unavailable: displaced by a higher-priority request'));
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        priority,
        seq: this.seq++,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(w);
          reject(new PriorityError(408, `Response timeout after: ${timeoutMs / 1000}s`));
        }, Math.max(0, timeoutMs)),
      };
      this.waiting.push(w);
      this.waiting.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    });
  }

  private remove(w: Waiter): void {
    clearTimeout(w.timer);
    const i = this.waiting.indexOf(w);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.running <= this.limit ? this.waiting.shift() : undefined;
      if (next) {
        clearTimeout(next.timer);
        next.resolve(this.releaser());
      } else {
        this.running--;
      }
    };
  }
}
