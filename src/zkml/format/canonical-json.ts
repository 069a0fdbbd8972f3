/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, recursively), no whitespace, arrays in order.
 * The circuit id is sha256 of the canonical verification key, so two parties hashing the same vk agree.
 * Dependency-free so the browser client can share it.
 */

/** Deepest nesting canonicalJson accepts: a Groth16 vk is 4 levels deep; a remote value nested deeper is refused, not a stack overflow (docs/security.md). */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/** A value too deeply nested to canonicalise (a typed error, not a RangeError from the stack). */
export class CanonicalJsonDepthError extends Error {
  override readonly name = 'CanonicalJsonDepthError';
  readonly code = 'JSON_TOO_DEEP';
  constructor() {
    super(`canonicalJson: value nested deeper than ${CANONICAL_JSON_MAX_DEPTH} levels`);
  }
}

export function canonicalJson(value: unknown): string {
  return canon(value, 0);
}

function canon(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (depth >= CANONICAL_JSON_MAX_DEPTH) throw new CanonicalJsonDepthError();
  if (Array.isArray(value)) return `[${value.map((v) => canon(v === undefined ? null : v, depth + 1)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(obj[k], depth + 1)}`).join(',')}}`;
}
