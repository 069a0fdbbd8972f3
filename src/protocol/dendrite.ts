import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { BITTENSOR_SDK_VERSION_INT } from './sdk-version.js';
import { signText } from './signing.js';
import type { SynapseSpec, TerminalInfo } from './synapses.js';
import { jsonValueCount, parsePyJson, pyToJs, stringifyPyJson } from './py-json.js';
import { bodyHash, signedMessage, terminalToJson, timeNs, toHeaders } from './wire.js';

/** Where to send: an axon's address and hotkey (from the metagraph). */
export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
}

/** Outcome of one call, with Bittensor's dendrite status semantics (503 connection failure, 408 timeout). */
export interface DendriteResponse<T> {
  /** 200 on success; the axon's status on refusal; 503/408/422 for local failures. */
  status: number;
  message: string;
  /** The synapse the axon returned (validated), on 200 only. */
  synapse?: T;
  /** Wall time of the call in seconds. */
  elapsedS: number;
  /** Response headers (Bittensor bt_header_*), when a response arrived. */
  headers?: Record<string, string>;
}

export interface DendriteOptions {
  /** This dendrite's external IP as reported in headers. */
  ip?: string;
  /** Largest response body accepted (bytes; default 16 MiB). */
  maxResponseBytes?: number;
}

/**
 * What a miner's answer may hold beyond the synapse it echoes (docs/network.md, "Hostile miners"): the body is
 * refused past 2 × the request's bytes + `extraBytes` (413, never more than the dendrite's maxResponseBytes), and
 * past 2 × the request's JSON values + RESPONSE_EXTRA_VALUES values (422), before it is decoded further.
 */
export interface ResponseAllowance {
  extraBytes?: number;
}

/** JSON values an answer may add to those of its request (capacities of this many circuits, say). */
export const RESPONSE_EXTRA_VALUES = 4096;

/** A signed Bittensor request, ready to send — exposed so tests can replay or tamper with it. */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  nonce: bigint;
  /** JSON values in `body` (jsonValueCount). */
  values: number;
}

/** The client side of the wire protocol: signs synapses with a hotkey and POSTs them to axons. */
export class Dendrite {
  readonly uuid = randomUUID();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly hotkey: KeyringPair, private readonly opts: DendriteOptions = {}) {}

  get address(): string {
    return this.hotkey.address;
  }

  /**
   * Build the headers and body exactly as the Python dendrite does (preprocess_synapse_for_request + to_headers).
   * `fields` may hold Maps (dicts whose key order matters, e.g. digit-like keys), bigints (ints beyond 2^53) and
   * PyFloat (an integral float): the body and its hash carry them as Python would (docs/network.md, "Body hash").
   */
  prepare(target: AxonTarget, spec: SynapseSpec, fields: Record<string, unknown>, timeoutS: number): PreparedRequest {
    const nonce = timeNs();
    const synapseFields = { ...spec.defaults, ...fields };
    const hash = bodyHash(synapseFields, spec.hashFields);
    const dendrite: TerminalInfo = { ip: this.opts.ip ?? '127.0.0.1', version: BITTENSOR_SDK_VERSION_INT, nonce, uuid: this.uuid, hotkey: this.hotkey.address };
    dendrite.signature = signText(this.hotkey, signedMessage({ nonce, dendriteHotkey: this.hotkey.address, axonHotkey: target.hotkey, uuid: this.uuid, bodyHash: hash }));
    const axon: TerminalInfo = { ip: target.ip, port: target.port, hotkey: target.hotkey };
    const bodyObj = {
      name: spec.name,
      timeout: timeoutS,
      total_size: 0,
      header_size: 0,
      dendrite: terminalToJson(dendrite),
      axon: terminalToJson(axon),
      computed_body_hash: '',
      ...synapseFields,
    };
    const body = stringifyPyJson(bodyObj);
    const headers = toHeaders({ name: spec.name, timeout: timeoutS, axon, dendrite, requiredFields: spec.requiredFields, bodyHash: hash, totalSize: Buffer.byteLength(body) });
    return { path: `/${spec.name}`, headers, body, nonce, values: jsonValueCount(bodyObj) };
  }

  /**
   * Sign and send a synapse; never throws for network or protocol failures (see `status`). The answer is bounded
   * by ResponseAllowance: in bytes only when `allow` is given, in JSON values always.
   */
  async call<T>(target: AxonTarget, spec: SynapseSpec, fields: Record<string, unknown>, timeoutS: number, allow?: ResponseAllowance): Promise<DendriteResponse<T>> {
    const req = this.prepare(target, spec, fields, timeoutS);
    const start = performance.now();
    const maxBytes = allow?.extraBytes !== undefined ? 2 * Buffer.byteLength(req.body) + allow.extraBytes : undefined;
    const raw = await this.send(target, req, timeoutS, maxBytes);
    const elapsedS = (performance.now() - start) / 1000;
    if (raw.kind === 'error') return { status: raw.status, message: raw.message, elapsedS };
    let json: unknown;
    try {
      json = pyToJs(parsePyJson(raw.body, { maxValues: 2 * req.values + RESPONSE_EXTRA_VALUES }));
    } catch (e) {
      return { status: 422, message: `Failed to parse response: body is not JSON (${(e as Error).message})`, elapsedS, headers: raw.headers };
    }
    if (raw.status !== 200) {
      const msg = typeof json === 'object' && json && typeof (json as { message?: unknown }).message === 'string' ? (json as { message: string }).message : `HTTP ${raw.status}`;
      return { status: raw.status, message: msg, elapsedS, headers: raw.headers };
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) return { status: 422, message: `Failed to parse response: ${parsed.error.issues[0]?.message ?? 'invalid synapse'}`, elapsedS, headers: raw.headers };
    return { status: 200, message: 'Success', synapse: parsed.data as T, elapsedS, headers: raw.headers };
  }

  /** Send a prepared request as-is; a response body over `maxBytes` (at most the dendrite's maxResponseBytes) is a 413. */
  send(target: AxonTarget, req: PreparedRequest, timeoutS: number, maxBytes?: number): Promise<
    { kind: 'response'; status: number; body: string; headers: Record<string, string> } | { kind: 'error'; status: number; message: string }
  > {
    const max = Math.min(maxBytes ?? Infinity, this.opts.maxResponseBytes ?? 16 * 1024 * 1024);
    return new Promise((resolve) => {
      let settled = false;
      const done = (v: Parameters<typeof resolve>[0]): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(v);
        }
      };
      const r = http.request(
        {
          host: target.ip,
          port: target.port,
          path: req.path,
          method: 'POST',
          agent: this.agent,
          headers: { ...req.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(req.body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const tooLarge = (): void => {
            r.destroy();
            done({ kind: 'error', status: 413, message: `Response larger than ${max} bytes` });
          };
          if (Number(res.headers['content-length']) > max) return tooLarge();
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > max) return tooLarge();
            chunks.push(c);
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
            done({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers });
          });
          res.on('error', (e) => done({ kind: 'error', status: 503, message: `Service disconnected: ${e.message}` }));
        },
      );
      const timer = setTimeout(() => {
        r.destroy();
        done({ kind: 'error', status: 408, message: `Request timeout after ${timeoutS} seconds` });
      }, timeoutS * 1000);
      r.on('error', (e) => done({ kind: 'error', status: 503, message: `Service unavailable at ${target.ip}:${target.port}${req.path}: ${e.message}` }));
      r.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
