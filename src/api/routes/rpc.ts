import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, BadRequestError } from '../errors.js';
import { parseOrBadRequest } from '../input-schema.js';
import { TERMINAL_STATUSES } from '../service.js';
import type { ApiContext } from '../server.js';
import { submitInference } from '../submit.js';
import { inferenceView, progressView } from '../views.js';
import { ProofOfComputationParamsSchema, ProofOfWeightsParamsSchema, RpcRequestSchema } from '../wire.js';

type RpcId = string | number | null;

/** JSON-RPC error codes: the spec's, plus -32000 for API errors (data.status holds the HTTP status). */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const SERVER_ERROR = -32000;

function rpcError(id: RpcId, code: number, message: string, data?: Record<string, unknown>) {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data ? { data } : {}) } };
}

function fromApiError(id: RpcId, err: ApiError) {
  const body = err.toBody().error;
  const { message, ...data } = body;
  return rpcError(id, err instanceof BadRequestError ? INVALID_PARAMS : SERVER_ERROR, message, { status: err.status, ...data });
}

/**
 * WebSocket JSON-RPC 2.0 at /rpc (the reference subnet's method names). The connection is authenticated
 * once from the upgrade request's headers (signed, or x-api-key / ?api_key= for browsers); every call takes
 * a rate-limit token. A call answers when its inference is verified or failed; meanwhile `inference_progress`
 * notifications carry the status changes.
 */
export function attachRpc(app: FastifyInstance, ctx: ApiContext): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.config.bodyLimitBytes });
  wss.on('error', (err) => app.log.warn(err));

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node's HTTP server takes its own 'error' listener off an upgraded socket: without one, a client resetting the
    // connection while it is authenticated (or after a refusal) would be an uncaught error (docs/network.md
    // "Servers survive bad input")
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/rpc') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const headers = { ...req.headers };
    const key = url.searchParams.get('api_key');
    if (key !== null && headers['x-api-key'] === undefined) headers['x-api-key'] = key;
    ctx.authenticate(headers, req.socket.remoteAddress ?? 'unknown').then(
      (caller) => wss.handleUpgrade(req, socket, head, (ws) => serve(ws, caller)),
      (err: unknown) => {
        const status = err instanceof ApiError ? err.status : 500;
        const body = JSON.stringify(err instanceof ApiError ? err.toBody() : { error: { code: 'INTERNAL', message: 'internal error' } });
        socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      },
    );
  };
  app.server.on('upgrade', onUpgrade);

  const serve = (ws: WebSocket, caller: string): void => {
    ctx.metrics.streams += 1;
    const cleanups = new Set<() => void>();
    // A frame over the size limit (ws closes with 1009) or a protocol error ends this connection only:
    // without a listener ws would throw the error and stop the whole process.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      ctx.metrics.streams -= 1;
      for (const c of cleanups) c();
    });
    const send = (msg: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send(rpcError(null, INVALID_REQUEST, 'send JSON-RPC 2.0 as text frames'));
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return send(rpcError(null, PARSE_ERROR, 'not valid JSON'));
      }
      const parsed = RpcRequestSchema.safeParse(msg);
      if (!parsed.success) return send(rpcError(null, INVALID_REQUEST, 'expected {"jsonrpc":"2.0","id":…,"method":…,"params":{…}}'));
      const { id = null, method, params } = parsed.data;
      void call(method, params, caller, id, send, cleanups).catch((err: unknown) => {
        if (err instanceof ApiError) return send(fromApiError(id, err));
        app.log.error(err);
        send(rpcError(id, SERVER_ERROR, 'internal error'));
      });
    });
  };

  const call = async (method: string, params: unknown, caller: string, id: RpcId, send: (m: unknown) => void, cleanups: Set<() => void>): Promise<void> => {
    let circuit: string;
    let input: unknown;
    if (method === 'proof_of_computation') {
      const p = parseOrBadRequest(ProofOfComputationParamsSchema, params ?? {}, 'params');
      circuit = p.circuit;
      input = p.input;
    } else if (method === 'proof_of_weights') {
      const p = parseOrBadRequest(ProofOfWeightsParamsSchema, params ?? {}, 'params');
      const version = String(p.weights_version);
      const mapped = Object.hasOwn(ctx.config.proofOfWeights, version) ? ctx.config.proofOfWeights[version] : undefined;
      if (mapped === undefined) {
        throw new BadRequestError(`params.weights_version: no scoring circuit for weights_version ${version}`, {
          field: 'params.weights_version',
          hint: `this validator serves weights_version ${Object.keys(ctx.config.proofOfWeights).join(', ') || '(none)'}`,
        });
      }
      circuit = mapped;
      input = p.evaluation_data;
    } else {
      return send(rpcError(id, METHOD_NOT_FOUND, `unknown method ${method.slice(0, 64)}`, { methods: ['proof_of_computation', 'proof_of_weights'] }));
    }
    await ctx.limit(caller);
    const { id: inferenceId } = await submitInference(ctx, { circuit, input, source: 'external', caller });
    ctx.metrics.submissions.inc({ outcome: 'accepted' });
    const finish = async (): Promise<void> => {
      const r = await ctx.inferences.get(inferenceId);
      if (r) send({ jsonrpc: '2.0', id, result: inferenceView(r, ctx.circuits.resolve(r.circuitId)) });
    };
    await new Promise<void>((resolve) => {
      let settled = false;
      const complete = (): void => {
        if (settled) return;
        settled = true;
        unsubscribe();
        cleanups.delete(onClose);
        void finish().finally(resolve);
      };
      const onClose = (): void => {
        if (settled) return;
        settled = true;
        unsubscribe();
        resolve();
      };
      const unsubscribe = ctx.inferences.subscribe(inferenceId, (e) => {
        send({ jsonrpc: '2.0', method: 'inference_progress', params: progressView(e) });
        if (TERMINAL_STATUSES.has(e.status)) complete();
      });
      cleanups.add(onClose);
      // It may have finished before we subscribed.
      void Promise.resolve(ctx.inferences.get(inferenceId)).then((r) => {
        if (r && TERMINAL_STATUSES.has(r.status)) complete();
      });
    });
  };

  return {
    close() {
      app.server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
