/**
 * Flag values checked before anything connects (docs/chain.md "Flag values"): a bad value is an error naming the flag
 * instead of reaching the chain, a node or a file as NaN, 0, a rounded number or an unparsable URL.
 */
import { InvalidInputError } from '../errors/base.js';

/**
 * An integer flag: decimal digits only, in min..max. `Number()` alone read "" and " " as 0 (`--netuid ""` from an
 * unset shell variable picked the root network) and took 0x10 and 1e3 (docs/chain.md "Flag values").
 */
export function parseIntFlag(v: string, name: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidInputError(`${name} must be an integer in ${min}..${max}, got "${v}"`);
  return n;
}

/** A fraction flag in [0, 1): "" and " " were read as 0, 1 and negatives reached the chain (docs/chain.md "Flag values"). */
export function parseFractionFlag(v: string, name: string, hint: string): number {
  const n = Number(v);
  if (!(v.trim() !== '' && n >= 0 && n < 1)) throw new InvalidInputError(`${name} must be a fraction in [0, 1), got "${v}"`, { hint });
  return n;
}

/** A validator API base URL (`--validator`): http(s) only, so a typo is named here and not reported as an unreachable host. */
export function validatorUrlFlag(v: string): string {
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidInputError(`--validator ${v} is not an http(s) URL`, { hint: 'e.g. http://127.0.0.1:8600 (the validator\'s --api-port)' });
  }
  return url.toString();
}
