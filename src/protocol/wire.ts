import { createHash } from 'node:crypto';
import { pythonFloat, pythonStr } from './python-str.js';
import type { TerminalInfo } from './synapses.js';

/**
 * Bittensor v10 axon/dendrite wire format (docs/network.md): header names and encodings, body hash,
 * the signed message, and JSON with exact big integers (nonces exceed 2^53).
 */

/** sha3_256(text) as lowercase hex (Bittensor's `get_hash`). */
export function sha3Hex(text: string): string {
  return createHash('sha3-256').update(text, 'utf8').digest('hex');
}

/** sha3_256("") — the body hash of a synapse without required_hash_fields. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

/**
 * body_hash = sha3_256_hex(concat(sha3_256_hex(str(field)) for field in required_hash_fields)). `fields`: a
 * Map from parsePyJson (the body as Python's json.loads reads it) or the values a dendrite sends.
 */
export function bodyHash(fields: Record<string, unknown> | ReadonlyMap<string, unknown>, hashFields: readonly string[]): string {
  const get = (f: string): unknown => (fields instanceof Map ? fields.get(f) : (fields as Record<string, unknown>)[f]);
  return sha3Hex(hashFields.map((f) => sha3Hex(pythonStr(get(f)))).join(''));
}

/** The UTF-8 text the dendrite hotkey signs: "{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}". */
export function signedMessage(p: { nonce: bigint; dendriteHotkey: string; axonHotkey: string; uuid: string; bodyHash: string }): string {
  return `${p.nonce}.${p.dendriteHotkey}.${p.axonHotkey}.${p.uuid}.${p.bodyHash}`;
}

/** Current time in nanoseconds since the epoch, as Python's `time.time_ns()`. */
export function timeNs(): bigint {
  // Wall clock with sub-millisecond precision, clamped so consecutive nonces from this process strictly increase.
  let n = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
  if (n <= lastNs) n = lastNs + 1n;
  lastNs = n;
  return n;
}
let lastNs = 0n;

/** Bittensor version integer: major·10^6 + minor·10^3 + patch. */
export function versionAsInt(version: string): number {
  const [a, b, c] = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return (a ?? 0) * 1_000_000 + (b ?? 0) * 1_000 + (c ?? 0);
}

const TERMINAL_KEYS = ['status_code', 'status_message', 'process_time', 'ip', 'port', 'version', 'nonce', 'uuid', 'hotkey', 'signature'] as const;

/** Header-safe text: HTTP header values must be visible ASCII (Python would send latin-1). */
export function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);
}

function terminalHeaderValue(key: (typeof TERMINAL_KEYS)[number], v: unknown): string {
  if (key === 'process_time' && typeof v === 'number') return pythonFloat(v);
  return headerSafe(String(v));
}

/** Encode a synapse into Bittensor headers (Synapse.to_headers). */
export function toHeaders(s: {
  name: string;
  timeout: number;
  axon?: TerminalInfo;
  dendrite?: TerminalInfo;
  requiredFields?: Record<string, unknown>;
  bodyHash: string;
  totalSize?: number;
}): Record<string, string> {
  const h: Record<string, string> = { name: s.name, timeout: pythonFloat(s.timeout) };
  for (const [prefix, t] of [['bt_header_axon_', s.axon], ['bt_header_dendrite_', s.dendrite]] as const) {
    if (!t) continue;
    for (const k of TERMINAL_KEYS) {
      const v = t[k];
      if (v !== undefined && v !== null) h[`${prefix}${k}`] = terminalHeaderValue(k, v);
    }
  }
  for (const [field, placeholder] of Object.entries(s.requiredFields ?? {})) {
    h[`bt_header_input_obj_${field}`] = Buffer.from(JSON.stringify(placeholder), 'utf8').toString('base64');
  }
  h['header_size'] = String(Object.entries(h).reduce((n, [k, v]) => n + k.length + v.length, 0));
  h['total_size'] = String(s.totalSize ?? 0);
  h['computed_body_hash'] = s.bodyHash;
  return h;
}

export interface ParsedHeaders {
  name?: string;
  timeout?: number;
  axon: TerminalInfo;
  dendrite: TerminalInfo;
  inputObj: Record<string, unknown>;
  computedBodyHash?: string;
}

function parseIntStrict(v: string, what: string): number {
  if (!/^-?\d{1,15}$/.test(v)) throw new Error(`${what} is not an integer: ${v}`);
  return Number.parseInt(v, 10);
}

function parseTerminal(raw: Record<string, string>): TerminalInfo {
  const t: TerminalInfo = {};
  for (const [k, v] of Object.entries(raw)) {
    switch (k) {
      case 'status_code': t.status_code = parseIntStrict(v, k); break;
      case 'port': t.port = parseIntStrict(v, k); break;
      case 'version': t.version = parseIntStrict(v, k); break;
      case 'nonce':
        if (!/^\d{1,30}$/.test(v)) throw new Error(`nonce is not a non-negative integer: ${v}`);
        t.nonce = BigInt(v);
        break;
      case 'process_time': {
        const f = Number(v);
        if (!Number.isFinite(f)) throw new Error(`process_time is not a number: ${v}`);
        t.process_time = f;
        break;
      }
      case 'status_message': case 'ip': case 'uuid': case 'hotkey': case 'signature':
        t[k] = v;
        break;
      default: break; // Python ignores unknown TerminalInfo keys too (extra fields are dropped)
    }
  }
  return t;
}

/** Decode Bittensor headers (Synapse.parse_headers_to_inputs); throws on malformed values. */
export function parseHeaders(headers: Record<string, string | string[] | undefined>): ParsedHeaders {
  const axon: Record<string, string> = {};
  const dendrite: Record<string, string> = {};
  const inputObj: Record<string, unknown> = {};
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  for (const [rawKey, rawVal] of Object.entries(headers)) {
    const key = rawKey.toLowerCase();
    const val = one(rawVal);
    if (val === undefined) continue;
    if (key.startsWith('bt_header_axon_')) axon[key.slice('bt_header_axon_'.length)] = val;
    else if (key.startsWith('bt_header_dendrite_')) dendrite[key.slice('bt_header_dendrite_'.length)] = val;
    else if (key.startsWith('bt_header_input_obj_')) {
      try {
        inputObj[key.slice('bt_header_input_obj_'.length)] = JSON.parse(Buffer.from(val, 'base64').toString('utf8'));
      } catch {
        /* Python logs and skips undecodable input_obj headers */
      }
    }
  }
  const out: ParsedHeaders = { axon: parseTerminal(axon), dendrite: parseTerminal(dendrite), inputObj };
  const name = one(headers['name']);
  if (name !== undefined) out.name = name;
  const timeout = one(headers['timeout']);
  if (timeout !== undefined) {
    const t = Number(timeout);
    if (!Number.isFinite(t) || t <= 0) throw new Error(`timeout is not a positive number: ${timeout}`);
    out.timeout = t;
  }
  const cbh = one(headers['computed_body_hash']);
  if (cbh !== undefined) out.computedBodyHash = cbh;
  return out;
}

/** TerminalInfo as its Python JSON dump (all keys, null when unset). */
export function terminalToJson(t: TerminalInfo | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of TERMINAL_KEYS) out[k] = t?.[k] ?? null;
  return out;
}
