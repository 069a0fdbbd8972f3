/**
 * Serves a `Devnet` over JSON-RPC 2.0: HTTP `POST /` and WebSocket (same port, any path), plus
 * `GET /health`. Every message is validated with the zod schemas in ./schemas.ts; bad input gets a
 * JSON-RPC error and the server keeps serving. Binds 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { z, ZodError } from 'zod';
import { InvalidInputError, ZkinferError } from '../../errors/base.js';
import { ChainError } from '../errors.js';
import { listenError } from '../../lifecycle/errors.js';
import type { Devnet } from '../devnet/devnet.js';
import { SignedCallSchema } from '../devnet/calls.js';
import {
  BalanceParams, CreateSubnetParams, FaucetParams, JsonRpcRequestSchema, NetuidParams, RPC_ERRORS, UidOfParams,
  UnsubscribeParams, WeightsParams, hyperparametersToWire, metagraphToWire, subnetPoolToWire,
} from './schemas.js';

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Block subscriptions one WebSocket connection may hold. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 16;
/** Bytes queued for a WebSocket client that does not read, past which it is disconnected. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

class RpcFailure extends Error {
  constructor(readonly code: number, message: string, readonly data?: Record<string, unknown>) {
    super(message);
  }
}

export interface DevnetServerOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** The flag that set `port`, named in the error when it is in use (default `--port`). */
  portFlag?: string;
  /** Called with each unexpected (non-chain) error. */
  onError?: (err: unknown) => void;
  /** Bytes queued for a WebSocket client that does not read before it is disconnected (default MAX_BUFFERED_BYTES). */
  maxBufferedBytes?: number;
}

export interface DevnetServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

type Handler = (params: unknown, ws?: WebSocket) => unknown;

/**
 * Send to a WebSocket client; one that lets more than `maxBuffered` bytes pile up unread is disconnected (its
 * subscriptions go with it), so a client that subscribes or asks and stops reading cannot grow the node's memory.
 */
export function sendOrDrop(ws: Pick<WebSocket, 'readyState' | 'OPEN' | 'bufferedAmount' | 'send' | 'terminate'>, text: string, maxBuffered: number): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > maxBuffered) ws.terminate();
  else ws.send(text);
}

/** Start serving `devnet`. Resolves once listening. */
export async function serveDevnet(devnet: Devnet, opts: DevnetServerOptions = {}): Promise<DevnetServer> {
  const subs = new Map<string, { ws: WebSocket; off: () => void }>();
  const sendWs = (ws: WebSocket, text: string): void => sendOrDrop(ws, text, opts.maxBufferedBytes ?? MAX_BUFFERED_BYTES);
  const p = <S extends z.ZodType>(schema: S, v: unknown): z.infer<S> => schema.parse(v ?? {});

  const handlers: Record<string, Handler> = {
    chain_info: () => ({ genesis: devnet.genesis, block: devnet.block, blockTimeMs: devnet.blockTimeMs }),
    chain_currentBlock: () => devnet.block,
    chain_metagraph: (v) => metagraphToWire(devnet.metagraphSync(p(NetuidParams, v).netuid)),
    chain_hyperparameters: async (v) => hyperparametersToWire(await devnet.hyperparameters(p(NetuidParams, v).netuid)),
    chain_weights: async (v) => { const q = p(WeightsParams, v); return devnet.weights(q.netuid, q.uid); },
    chain_uidOf: async (v) => {
      const q = p(UidOfParams, v);
      return (await devnet.uidOf(q.netuid, q.hotkey)) ?? null;
    },
    chain_balance: async (v) => (await devnet.balance(p(BalanceParams, v).coldkey)).toString(),
    chain_commitments: (v) => devnet.commitments(p(NetuidParams, v).netuid),
    chain_subnets: () => devnet.subnets(),
    chain_timelockInfo: () => devnet.timelockInfo(),
    chain_subnetPool: async (v) => subnetPoolToWire(await devnet.subnetPool(p(NetuidParams, v).netuid)),
    chain_submit: (v) => devnet.submit(p(SignedCallSchema, v)),
    dev_faucet: (v) => {
      const q = p(FaucetParams, v);
      return devnet.faucetSync(q.coldkey, q.amount);
    },
    dev_createSubnet: (v) => {
      const q = p(CreateSubnetParams, v);
      return devnet.createSubnet(q.owner, q.overrides ?? {}, q.pool);
    },
    chain_subscribeBlocks: (_v, ws) => {
      if (!ws) throw new RpcFailure(RPC_ERRORS.invalidRequest, 'chain_subscribeBlocks needs a WebSocket connection');
      let held = 0;
      for (const s of subs.values()) if (s.ws === ws) held++;
      if (held >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
        throw new RpcFailure(RPC_ERRORS.invalidRequest, `at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} block subscriptions per connection; chain_unsubscribeBlocks one first`);
      }
      const id = randomUUID();
      const off = devnet.onBlock((block) => sendWs(ws, JSON.stringify({ jsonrpc: '2.0', method: 'chain_block', params: { subscription: id, result: block } })));
      subs.set(id, { ws, off });
      return id;
    },
    chain_unsubscribeBlocks: (v, ws) => {
      const id = p(UnsubscribeParams, v).subscription;
      const s = subs.get(id);
      if (!s || s.ws !== ws) return false; // only the connection that subscribed
      s.off();
      subs.delete(id);
      return true;
    },
  };

  async function handle(raw: unknown, ws?: WebSocket): Promise<Record<string, unknown>> {
    const env = JsonRpcRequestSchema.safeParse(raw);
    if (!env.success) {
      return { jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.invalidRequest, message: 'not a JSON-RPC 2.0 request object (batches are not supported)' } };
    }
    const { id = null, method, params } = env.data;
    const h = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!h) return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.methodNotFound, message: `unknown method ${method}` } };
    try {
      return { jsonrpc: '2.0', id, result: await h(params, ws) };
    } catch (err) {
      return { jsonrpc: '2.0', id, error: toRpcError(err, opts.onError) };
    }
  }

  // a client that goes away mid-body rejects the body read ('aborted'): only its request is dropped
  const server: Server = createServer((req, res) => void onHttp(req, res).catch(() => res.destroy()));

  async function onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      send(200, { ok: true, genesis: devnet.genesis, block: devnet.block });
      return;
    }
    if (req.method !== 'POST') {
      send(405, { jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.invalidRequest, message: 'POST a JSON-RPC request' } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        send(413, { jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.invalidRequest, message: `request body over ${MAX_BODY_BYTES} bytes` } });
        req.destroy();
        return;
      }
      chunks.push(c);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      send(200, { jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.parse, message: 'request body is not valid JSON' } });
      return;
    }
    send(200, await handle(parsed));
  }

  const wss = new WebSocketServer({ server, maxPayload: MAX_BODY_BYTES });
  wss.on('error', () => { /* re-emitted http server errors: handled on the server below */ });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        sendWs(ws, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.parse, message: 'message is not valid JSON' } }));
        return;
      }
      void handle(parsed, ws).then((r) => sendWs(ws, JSON.stringify(r)), (err: unknown) => { opts.onError?.(err); ws.terminate(); });
    });
    ws.on('close', () => {
      for (const [id, s] of subs) if (s.ws === ws) { s.off(); subs.delete(id); }
    });
    ws.on('error', () => ws.close());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      wss.close();
      reject(listenError(err, opts.host ?? '127.0.0.1', opts.port ?? 0, `another devnet node may be running there; pick another ${opts.portFlag ?? '--port'} (0 = any free port)${opts.portFlag ? '' : ' or --host'}`));
    });
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    wsUrl: `ws://${host}:${addr.port}`,
    port: addr.port,
    close: async () => {
      for (const s of subs.values()) s.off();
      subs.clear();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function toRpcError(err: unknown, onError?: (e: unknown) => void): Record<string, unknown> {
  if (err instanceof RpcFailure) return { code: err.code, message: err.message, ...(err.data ? { data: err.data } : {}) };
  if (err instanceof ZodError) {
    return { code: RPC_ERRORS.invalidParams, message: `invalid params: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  if (err instanceof ChainError || err instanceof ZkinferError) {
    return { code: RPC_ERRORS.chain, message: err.message, data: { name: err.name, code: err.code, hint: err.hint, details: err.details } };
  }
  onError?.(err);
  return { code: RPC_ERRORS.internal, message: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}
