/**
 * `Chain` over the devnet's JSON-RPC: calls go over HTTP, block notifications over a WebSocket
 * opened on the first `onBlock` (reconnecting while anyone listens). Writes are signed locally with
 * the caller's key; the node verifies them. Typed chain errors thrown by the node are rebuilt as the
 * same classes here.
 *
 *   const chain = await RpcChain.connect('http://127.0.0.1:9955');
 *   const mg = await chain.metagraph(1);
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ChainConnectionError, ChainRpcError, chainErrorFromWire } from '../errors.js';
import type {
  CallReceipt, Commitment, DevChain, Hyperparameters, Metagraph, RegistrationReceipt, ServeAxonParams,
  SetWeightsParams, Signer, StakeLimit, SubnetPool, TimelockedCommitParams, TimelockInfo, TriggerEpochReceipt, Unsubscribe,
} from '../types.js';
import { signCall, stakeCallParams, swapStakeCallParams, timelockedCallParams, type CallMethod, type CallParams } from '../devnet/calls.js';
import {
  BlockNotificationSchema, CommitmentSchema, InfoSchema, JsonRpcResponseSchema, ReceiptSchema, RPC_ERRORS, SubnetPoolWire,
  hyperparametersFromWire, metagraphFromWire, TimelockInfoSchema, WeightsWire,
} from './schemas.js';

import { DEFAULT_DEVNET_URL } from './defaults.js';

export { DEFAULT_DEVNET_PORT, DEFAULT_DEVNET_URL } from './defaults.js';

/**
 * How long one call may wait for the node's whole answer (docs/chain.md "RPC client"): a node that accepts the
 * connection and never answers would otherwise hold its caller for ever (a miner's metagraph refresh, and with it
 * every request its axon judges).
 */
export const DEFAULT_RPC_TIMEOUT_MS = 30_000;

export interface RpcChainOptions {
  /** Per-call limit, ms (default DEFAULT_RPC_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Limit of the first call (`chain_info`), ms (default: timeoutMs): how long a silent node may take to count as unreachable. */
  connectTimeoutMs?: number;
}

export class RpcChain implements DevChain {
  readonly url: string;
  readonly genesis: string;
  private nextId = 1;
  private ws: WebSocket | undefined;
  private subscription: string | undefined;
  private readonly listeners = new Set<(block: number) => void>();
  private reconnect: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(url: string, genesis: string, private readonly timeoutMs: number) {
    this.url = url.replace(/\/+$/, '');
    this.genesis = genesis;
  }

  /** Connect to a devnet node (checks it answers). */
  static async connect(url: string = process.env.ZKINFER_DEVNET_URL ?? DEFAULT_DEVNET_URL, opts: RpcChainOptions = {}): Promise<RpcChain> {
    await cryptoWaitReady();
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    const probe = new RpcChain(url, '', opts.connectTimeoutMs ?? timeoutMs);
    const info = InfoSchema.parse(await probe.call('chain_info'));
    return new RpcChain(url, info.genesis, timeoutMs);
  }

  /** One JSON-RPC call over HTTP. */
  async call(method: string, params?: unknown): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params });
    // one deadline for the whole call: both tries and reading the answer
    const signal = AbortSignal.timeout(this.timeoutMs);
    const post = () => fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
    const timedOut = () => new ChainConnectionError(`the devnet node at ${this.url} did not answer ${method} within ${this.timeoutMs / 1000} s`, {
      hint: 'the node is overloaded or stuck; check it (zkinfer chain metagraph) or restart it',
      details: { timedOutAfterMs: this.timeoutMs },
    });
    let res: Response;
    try {
      res = await post();
    } catch (first) {
      if (signal.aborted) throw timedOut();
      // A keep-alive socket the node closed while we were idle (it closes them after 5 s) fails the next
      // request without it being processed: retry once on a fresh connection. A signed call that did
      // arrive is refused as a replay by the node, so a retry cannot apply it twice.
      try {
        res = await post();
      } catch (err) {
        if (signal.aborted) throw timedOut();
        throw new ChainConnectionError(`cannot reach the devnet node at ${this.url}`, {
          cause: err,
          details: { firstAttempt: String((first as Error).message) },
        });
      }
    }
    const reply = JsonRpcResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (signal.aborted) throw timedOut();
    if (!reply.success) throw new ChainRpcError(`malformed JSON-RPC response from ${this.url} (HTTP ${res.status})`, { hint: 'is this URL a zkinfer devnet node? (`zkinfer devnet node` prints its URL; a subtensor node is ws://…)' });
    const e = reply.data.error;
    if (e) {
      if (e.code === RPC_ERRORS.chain && e.data) {
        const w: Parameters<typeof chainErrorFromWire>[0] = { message: e.message };
        if (e.data.name !== undefined) w.name = e.data.name;
        if (e.data.hint !== undefined) w.hint = e.data.hint;
        if (e.data.details !== undefined) w.details = e.data.details;
        throw chainErrorFromWire(w);
      }
      throw new ChainRpcError(`${method}: ${e.message}`, { details: { code: e.code } });
    }
    return reply.data.result;
  }

  private async submit<M extends CallMethod>(signer: Signer, method: M, params: CallParams<M>): Promise<CallReceipt & { uid?: number; replacedHotkey?: string; firesAt?: number }> {
    const block = await this.currentBlock();
    const r = ReceiptSchema.parse(await this.call('chain_submit', signCall(this.genesis, signer, method, params, block)));
    const out: CallReceipt & { uid?: number; replacedHotkey?: string; firesAt?: number } = { block: r.block };
    if (r.uid !== undefined) out.uid = r.uid;
    if (r.replacedHotkey !== undefined) out.replacedHotkey = r.replacedHotkey;
    if (r.firesAt !== undefined) out.firesAt = r.firesAt;
    if (r.swap !== undefined) out.swap = r.swap;
    return out;
  }

  async currentBlock(): Promise<number> {
    return z.number().int().parse(await this.call('chain_currentBlock'));
  }

  onBlock(cb: (block: number) => void): Unsubscribe {
    this.listeners.add(cb);
    if (!this.ws) this.openSocket();
    return () => {
      this.listeners.delete(cb);
      if (this.listeners.size === 0) this.closeSocket();
    };
  }

  private openSocket(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url.replace(/^http/, 'ws'));
    this.ws = ws;
    ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'sub', method: 'chain_subscribeBlocks' })));
    ws.on('message', (data) => {
      let msg: unknown;
      try { msg = JSON.parse(data.toString()); } catch { return; }
      const n = BlockNotificationSchema.safeParse(msg);
      if (n.success) {
        if (this.subscription === undefined || n.data.params.subscription === this.subscription) {
          for (const l of this.listeners) l(n.data.params.result);
        }
        return;
      }
      const r = JsonRpcResponseSchema.safeParse(msg);
      if (r.success && r.data.id === 'sub' && typeof r.data.result === 'string') this.subscription = r.data.result;
    });
    ws.on('error', () => { /* 'close' follows and handles reconnection */ });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.subscription = undefined;
      if (this.listeners.size > 0 && !this.closed) {
        this.reconnect = setTimeout(() => { this.reconnect = undefined; if (!this.ws && this.listeners.size > 0) this.openSocket(); }, 1000);
      }
    });
  }

  private closeSocket(): void {
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this.subscription = undefined;
    ws?.terminate();
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    return metagraphFromWire(await this.call('chain_metagraph', { netuid }));
  }

  async hyperparameters(netuid: number): Promise<Hyperparameters> {
    return hyperparametersFromWire(await this.call('chain_hyperparameters', { netuid }));
  }

  async weights(netuid: number, uid: number): Promise<Array<[number, number]>> {
    return WeightsWire.parse(await this.call('chain_weights', { netuid, uid }));
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | undefined> {
    const r = z.number().int().nullable().parse(await this.call('chain_uidOf', { netuid, hotkey }));
    return r ?? undefined;
  }

  async balance(coldkey: string): Promise<bigint> {
    return BigInt(z.string().regex(/^\d+$/).parse(await this.call('chain_balance', { coldkey })));
  }

  async burnedRegister(netuid: number, coldkey: Signer, hotkey: string): Promise<RegistrationReceipt> {
    const r = await this.submit(coldkey, 'burnedRegister', { netuid, hotkey });
    if (r.uid === undefined) throw new ChainRpcError('registration receipt carries no uid');
    return r as RegistrationReceipt;
  }

  async serveAxon(hotkey: Signer, params: ServeAxonParams): Promise<CallReceipt> {
    return this.submit(hotkey, 'serveAxon', { ...params, protocol: params.protocol ?? 0 });
  }

  async setWeights(hotkey: Signer, params: SetWeightsParams): Promise<CallReceipt> {
    return this.submit(hotkey, 'setWeights', params);
  }

  async commit(hotkey: Signer, netuid: number, data: string): Promise<CallReceipt> {
    return this.submit(hotkey, 'commit', { netuid, data });
  }

  async commitTimelockedWeights(hotkey: Signer, p: TimelockedCommitParams): Promise<CallReceipt> {
    return this.submit(hotkey, 'commitTimelockedWeights', timelockedCallParams(p));
  }

  async timelockInfo(): Promise<TimelockInfo> {
    return TimelockInfoSchema.parse(await this.call('chain_timelockInfo'));
  }

  async commitments(netuid: number): Promise<Commitment[]> {
    return z.array(CommitmentSchema).parse(await this.call('chain_commitments', { netuid }));
  }

  async addStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    return this.submit(coldkey, 'addStake', stakeCallParams(hotkey, amount, netuid, limit));
  }

  async removeStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt> {
    return this.submit(coldkey, 'removeStake', stakeCallParams(hotkey, amount, netuid, limit));
  }

  async swapStake(coldkey: Signer, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limit?: StakeLimit): Promise<CallReceipt> {
    return this.submit(coldkey, 'swapStake', swapStakeCallParams(hotkey, originNetuid, destinationNetuid, amount, limit));
  }

  async subnetPool(netuid: number): Promise<SubnetPool> {
    return SubnetPoolWire.parse(await this.call('chain_subnetPool', { netuid }));
  }

  async setTempo(owner: Signer, netuid: number, tempo: number): Promise<CallReceipt> {
    return this.submit(owner, 'setTempo', { netuid, tempo });
  }

  async setActivityCutoffFactor(owner: Signer, netuid: number, factorMilli: number): Promise<CallReceipt> {
    return this.submit(owner, 'setActivityCutoffFactor', { netuid, factorMilli });
  }

  async sudoSetTempo(root: Signer, netuid: number, tempo: number): Promise<CallReceipt> {
    return this.submit(root, 'sudoSetTempo', { netuid, tempo });
  }

  async triggerEpoch(owner: Signer, netuid: number): Promise<TriggerEpochReceipt> {
    const r = await this.submit(owner, 'triggerEpoch', { netuid });
    if (r.firesAt === undefined) throw new ChainRpcError('trigger_epoch receipt carries no firesAt');
    return { block: r.block, firesAt: r.firesAt };
  }

  async faucet(coldkey: string, amount: bigint): Promise<CallReceipt> {
    return ReceiptSchema.parse(await this.call('dev_faucet', { coldkey, amount: amount.toString() }));
  }

  async createSubnet(owner: string, overrides: Partial<Hyperparameters> = {}, pool?: { tao: bigint; alpha: bigint }): Promise<number> {
    const o: Record<string, unknown> = { ...overrides, burn: overrides.burn?.toString() };
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    const p = pool ? { pool: { tao: pool.tao.toString(), alpha: pool.alpha.toString() } } : {};
    return z.number().int().parse(await this.call('dev_createSubnet', { owner, overrides: o, ...p }));
  }

  async subnets(): Promise<number[]> {
    return z.array(z.number().int()).parse(await this.call('chain_subnets'));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.closeSocket();
  }
}
