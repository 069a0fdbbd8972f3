/**
 * A JSON-RPC transport for @polkadot/api that serves a recorded transcript instead of a node
 * (docs/chain.md "One Chain contract suite, two backends"), and the recorder that writes one.
 *
 * A transcript is an ordered list of exchanges `{ method, params, result }` (a subscription also has the
 * `notifications` its callback received). Replay answers each request with the first unused exchange of
 * the same method and params, so a read asked twice at different times gets its two recorded answers in
 * order. A request the transcript does not hold is an error naming it. Signed extrinsics differ between
 * runs (sr25519 signatures are randomised), so an extrinsic is matched by its call data — the replay
 * checks that the adapter sends exactly the recorded call — and a recorded `$EXTRINSIC` in a later
 * answer (the block that includes it) stands for the bytes this run sent.
 */
import type { ProviderInterface, ProviderInterfaceCallback, ProviderInterfaceEmitCb, ProviderInterfaceEmitted } from '@polkadot/rpc-provider/types';

export interface Exchange {
  method: string;
  params: unknown[];
  result: unknown;
  /** For subscriptions: what the node pushed after answering, in order. */
  notifications?: unknown[];
}

export interface Transcript {
  /** How the transcript was produced (kept with the file). */
  provenance: string;
  exchanges: Exchange[];
}

/** The call data inside a signed extrinsic's hex (the part that does not change between runs). */
export type CallOf = (extrinsicHex: string) => string;

const SUBMIT = 'author_submitAndWatchExtrinsic';
const keyOf = (method: string, params: unknown[]): string => `${method} ${JSON.stringify(params)}`;

abstract class BaseProvider implements ProviderInterface {
  readonly hasSubscriptions = true;
  readonly isClonable = false;
  isConnected = true;
  private readonly listeners = new Map<ProviderInterfaceEmitted, Set<ProviderInterfaceEmitCb>>();
  private nextId = 1;

  clone(): ProviderInterface { throw new Error('a transcript provider cannot be cloned'); }
  async connect(): Promise<void> { this.emit('connected'); }
  async disconnect(): Promise<void> { this.isConnected = false; this.emit('disconnected'); }
  on(type: ProviderInterfaceEmitted, sub: ProviderInterfaceEmitCb): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(sub);
    this.listeners.set(type, set);
    if (type === 'connected' && this.isConnected) queueMicrotask(() => sub());
    return () => set.delete(sub);
  }
  protected emit(type: ProviderInterfaceEmitted): void { for (const cb of this.listeners.get(type) ?? []) cb(); }

  abstract send<T = unknown>(method: string, params: unknown[]): Promise<T>;
  protected abstract notificationsFor(method: string, params: unknown[], first: unknown): Promise<unknown[]>;

  async subscribe(_type: string, method: string, params: unknown[], cb: ProviderInterfaceCallback): Promise<number> {
    const first = await this.send(method, params);
    const id = this.nextId++;
    const later = await this.notificationsFor(method, params, first);
    // pushed asynchronously, after the subscription id is known to the caller, as a node does
    setTimeout(() => { for (const n of later) cb(null, n); }, 0);
    return id;
  }
  async unsubscribe(): Promise<boolean> { return true; }
}

/** Serves a recorded transcript. */
export class ReplayProvider extends BaseProvider {
  private readonly used = new Set<number>();
  private readonly lastTaken = new Map<string, Exchange>();
  private sent: string | undefined;

  /**
   * @param callOf the call data of a signed extrinsic (how submissions are matched)
   * @param substitutions placeholders the transcript stores instead of large or run-specific values
   *   (`$METADATA` for the metadata fixture's bytes); `$EXTRINSIC` is always the last submitted extrinsic
   */
  constructor(private readonly transcript: Transcript, private readonly callOf: CallOf, private readonly substitutions: Record<string, string> = {}) { super(); }

  /** Exchanges not asked for (a replay that ended early leaves some). */
  unused(): Exchange[] { return this.transcript.exchanges.filter((_, i) => !this.used.has(i)); }

  private matchKey(method: string, params: unknown[]): string {
    return method === SUBMIT ? keyOf(method, [this.callOf(String(params[0]))]) : keyOf(method, params);
  }

  private resolve(v: unknown): unknown {
    if (v === '$EXTRINSIC') return this.sent;
    if (typeof v === 'string' && v in this.substitutions) return this.substitutions[v];
    if (Array.isArray(v)) return v.map((x) => this.resolve(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.resolve(x)]));
    return v;
  }

  async send<T = unknown>(method: string, params: unknown[]): Promise<T> {
    const want = this.matchKey(method, params);
    const i = this.transcript.exchanges.findIndex((e, j) => !this.used.has(j) && this.matchKey(e.method, e.params) === want);
    if (i < 0) throw new Error(`the transcript has no (further) answer to ${want.slice(0, 300)}`);
    this.used.add(i);
    const e = this.transcript.exchanges[i]!;
    this.lastTaken.set(want, e);
    if (method === SUBMIT) this.sent = String(params[0]);
    return this.resolve(e.result) as T;
  }

  protected async notificationsFor(method: string, params: unknown[]): Promise<unknown[]> {
    return (this.lastTaken.get(this.matchKey(method, params))?.notifications ?? []).map((n) => this.resolve(n));
  }
}

/** Something that answers JSON-RPC like a node (the transcript generator's scripted state). */
export interface Responder {
  answer(method: string, params: unknown[]): unknown;
  /** What a subscription pushes after its first answer. */
  notifications(method: string, params: unknown[]): unknown[];
  /** Replace the run-specific extrinsic bytes in an answer by `$EXTRINSIC` before recording. */
  scrub(v: unknown): unknown;
}

/** Answers from a Responder and records every exchange, in order. */
export class RecordingProvider extends BaseProvider {
  readonly exchanges: Exchange[] = [];
  private readonly last = new Map<string, Exchange>();
  constructor(private readonly node: Responder) { super(); }

  async send<T = unknown>(method: string, params: unknown[]): Promise<T> {
    const result = this.node.answer(method, params);
    const e: Exchange = { method, params, result: this.node.scrub(result) };
    this.exchanges.push(e);
    this.last.set(keyOf(method, params), e);
    return result as T;
  }

  protected async notificationsFor(method: string, params: unknown[]): Promise<unknown[]> {
    const n = this.node.notifications(method, params);
    this.last.get(keyOf(method, params))!.notifications = n.map((x) => this.node.scrub(x));
    return n;
  }
}

/**
 * Serves real recorded node answers (docs/chain.md "A recorded finney transcript"). The recording keys each
 * answer by the SDK's own request, which names the same JSON-RPC reads with other spellings than polkadot-js;
 * both are normalised before matching: `state_getStorageAt` is substrate's alias of `state_getStorage`, a
 * trailing block hash equal to the recorded head (or `null`) means "at the head" as a request without one
 * does, and hex is `0x`-prefixed. A single-key `state_queryStorageAt` is answered from the recorded value of
 * that key. Answers are not used up (a recording is a map). `bootstrap` answers what @polkadot/api asks while
 * connecting (genesis, runtime version, metadata) — the recording does not hold these.
 */
export class RecordedProvider extends BaseProvider {
  private readonly answers = new Map<string, unknown>();
  readonly asked: string[] = [];

  constructor(private readonly head: string, recorded: Exchange[], private readonly bootstrap: ReplayProvider) {
    super();
    for (const e of recorded) this.answers.set(this.norm(e.method, e.params), e.result);
  }

  private norm(method: string, params: unknown[]): string {
    const p = params.map((x) => (typeof x === 'string' && /^(0x)?[0-9a-fA-F]+$/.test(x) && x.length % 2 === 0 ? `0x${x.replace(/^0x/, '').toLowerCase()}` : x));
    while (p.length && (p[p.length - 1] === null || p[p.length - 1] === this.head)) p.pop();
    return keyOf(method === 'state_getStorageAt' ? 'state_getStorage' : method, p);
  }

  async send<T = unknown>(method: string, params: unknown[]): Promise<T> {
    const key = this.norm(method, params);
    if (this.answers.has(key)) { this.asked.push(key); return this.answers.get(key) as T; }
    const keys = params[0];
    if (method === 'state_queryStorageAt' && Array.isArray(keys) && keys.length === 1) {
      const one = this.norm('state_getStorage', [keys[0]]);
      if (this.answers.has(one)) { this.asked.push(one); return [{ block: this.head, changes: [[keys[0], this.answers.get(one)]] }] as T; }
    }
    return this.bootstrap.send<T>(method, params);
  }

  protected async notificationsFor(): Promise<unknown[]> { return []; }
}
