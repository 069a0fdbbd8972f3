/**
 * Python `str()` / `repr()` formatting of JSON-like values, as Bittensor's body hash applies `str(field)`
 * (docs/network.md, "Body hash"). JavaScript has one number type, so a Python float that is integral is a
 * PyFloat (what parsePyJson returns for `1.0`); a plain number prints as Python reads it back from the JSON
 * the dendrite writes (py-json.ts): an int when integral and below 1e21, else a float.
 */

/** A Python float (JavaScript's number cannot tell `1.0` from `1`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pythonRepr(value);
}

/** Python repr() of a JSON-like value (str, int, float, bool, None, list, dict). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  throw new TypeError(`cannot format ${typeof value} as Python`);
}

function pythonNumber(n: number): string {
  // -0 exists only as a Python float (an int has no sign of zero): repr -0.0
  if (Object.is(n, -0)) return '-0.0';
  // what JSON.stringify writes as digits (below 1e21) Python's json reads as an int
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return pythonFloat(n);
}

/** Python repr of a float, e.g. `12.0`, `0.1`, `1e-05`, `1e+16`. */
export function pythonFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  // Python float repr: shortest round-trip digits; exponent form when exp < -4 or >= 16.
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 16) {
    const [mant, e] = n.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * What Python's str.isprintable() calls non-printable (escaped by repr): Unicode categories Cc, Cf, Cs, Co, Cn,
 * Zl, Zp and Zs other than the ASCII space.
 */
const NON_PRINTABLE = /^(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const hex = (cp: number, width: number): string => cp.toString(16).padStart(width, '0');

/** Python's repr of a str: single quotes unless the text has ' and no ". */
function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (NON_PRINTABLE.test(ch)) out += cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    else out += ch;
  }
  return out + quote;
}
