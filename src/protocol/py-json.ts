import { PyFloat, pythonFloat } from './python-str.js';

/**
 * JSON as Python's `json` module reads and writes it (docs/network.md, "Body hash"): the Bittensor axon hashes
 * `str()` of what `json.loads` returned, so the body is parsed here into the same values — exact integers
 * (bigint, any size), floats (PyFloat, even when integral: `1.0`), objects as Maps in document order
 * (JavaScript objects would move digit-like keys such as "10" first), duplicate keys keeping the first
 * position and the last value (CPython's dict), NaN/Infinity/-Infinity accepted, integers over 4300 digits
 * refused (CPython's int-to-str limit).
 */
export type PyValue = null | boolean | string | bigint | PyFloat | PyValue[] | Map<string, PyValue>;

/** A body that is not JSON as Python's json.loads reads it; `offset` is where in the text. */
export class PyJsonError extends Error {
  override readonly name = 'PyJsonError';
  constructor(message: string, readonly offset: number) {
    super(`${message} at character ${offset}`);
  }
}

/** CPython's default sys.set_int_max_str_digits: json.loads refuses longer integers. */
export const MAX_INT_DIGITS = 4300;
/** Deeper nesting is refused (CPython's json raises RecursionError near 1000). */
export const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/**
 * Parse JSON text into Python's values (see PyValue). Throws PyJsonError, also past `maxValues` values (every
 * value counts, containers and scalars alike): a body is parsed into far more memory than its text takes (an empty
 * object, 3 bytes, becomes a Map of ≈ 200 bytes), so a client bounds what an untrusted peer may make it build.
 */
export function parsePyJson(text: string, opts: { maxValues?: number } = {}): PyValue {
  const maxValues = opts.maxValues ?? Infinity;
  let values = 0;
  let i = 0;
  const ws = (): void => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const fail = (what: string): never => {
    throw new PyJsonError(i < text.length ? `${what}: unexpected ${JSON.stringify(text[i])}` : `${what}: unexpected end of body`, i);
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    if (++values > maxValues) fail(`more than ${maxValues} JSON values`);
    ws();
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    for (const [word, v] of [['null', null], ['true', true], ['false', false], ['NaN', new PyFloat(NaN)], ['Infinity', new PyFloat(Infinity)], ['-Infinity', new PyFloat(-Infinity)]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('expected a JSON value');
    i = NUMBER.lastIndex;
    if (m[1] === undefined && m[2] === undefined) {
      if (m[0].replace('-', '').length > MAX_INT_DIGITS) fail(`integer longer than ${MAX_INT_DIGITS} digits (Python refuses it too)`);
      return BigInt(m[0]);
    }
    return new PyFloat(Number(m[0]));
  };
  const object = (depth: number): Map<string, PyValue> => {
    const out = new Map<string, PyValue>();
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a property name in double quotes');
      const key = string();
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      out.set(key, value(depth + 1)); // an existing key keeps its position and takes the new value, as in a dict
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return out;
      } else fail("expected ',' or '}'");
    }
  };
  const array = (depth: number): PyValue[] => {
    const out: PyValue[] = [];
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return out;
      } else fail("expected ',' or ']'");
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string (Python json is strict)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('invalid escape');
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string; // the validated literal: JSON and Python decode it alike
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('extra data after the JSON value');
  return v;
}

/** How many JSON values stringifyPyJson writes for `value` (each container and each scalar counts one). */
export function jsonValueCount(value: unknown): number {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof PyFloat) return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + jsonValueCount(v), 1);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonValueCount(toJSON.call(value));
  const vals = value instanceof Map ? [...value.values()] : Object.values(value as Record<string, unknown>).filter((v) => v !== undefined);
  return vals.reduce((n: number, v) => n + jsonValueCount(v), 1);
}

/**
 * The JavaScript view of Python values, for schemas and handlers: Map → plain object (own properties, even
 * "__proto__"), ints → number when exact (|n| ≤ 2^53 − 1) else bigint, PyFloat → number.
 */
export function pyToJs(v: PyValue): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(pyToJs);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) Object.defineProperty(out, k, { value: pyToJs(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/**
 * JSON text that Python's json.loads reads back as the values pythonRepr prints (python-str.ts): Maps in their
 * order, bigints exact, PyFloat as a float (`1.0`, `NaN`, `Infinity`), a number as an int when integral and
 * below 1e21 (as JSON.stringify writes it), -0 as `-0.0`, other numbers as Python's float repr.
 */
export function stringifyPyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return jsonFloat(value.value);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 1e21) return BigInt(value).toString();
    return jsonFloat(value);
  }
  if (Array.isArray(value)) return `[${value.map(stringifyPyJson).join(',')}]`;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return stringifyPyJson(toJSON.call(value)); // as JSON.stringify (Date, Buffer)
  const entries = value instanceof Map ? [...value] : Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}:${stringifyPyJson(v)}`).join(',')}}`;
}

/** Python json.dumps of a float: its repr, with NaN/Infinity spelled as JavaScript's. */
function jsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return pythonFloat(n);
}
