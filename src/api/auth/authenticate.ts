import { timingSafeEqual, createHash } from 'node:crypto';
import type { PermitSource } from '../service.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { SIG_HEADERS, SignatureVerifier } from './signature.js';

export interface AuthPolicy {
  /** `signed`: every submit must be signed or carry an API key. `open`: anonymous callers allowed (dev), limited per IP. */
  mode: 'signed' | 'open';
  /** ss58 addresses always allowed. */
  allow: string[];
  /** API keys: a request with `x-api-key: <key>` is the caller `key:<name>`. */
  apiKeys: Array<{ name: string; key: string }>;
}

type Headers = Record<string, string | string[] | undefined>;

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Decides who a request comes from and whether they may submit work:
 * API key → `key:<name>`; sr25519 signature → ss58, which must be allow-listed or hold a validator permit
 * (403 otherwise); no credentials → 401, or `ip:<addr>` in open mode.
 */
export class Authenticator {
  private readonly keys: Array<{ name: string; digest: Buffer }>;
  private readonly allow: Set<string>;
  constructor(
    private readonly policy: AuthPolicy,
    private readonly signatures: SignatureVerifier,
    private readonly permits?: PermitSource,
  ) {
    this.keys = policy.apiKeys.map((k) => ({ name: k.name, digest: digest(k.key) }));
    this.allow = new Set(policy.allow);
  }

  /** The caller identity, or throws 401/403. */
  async authenticate(headers: Headers, ip: string): Promise<string> {
    const apiKey = header(headers, 'x-api-key');
    if (apiKey !== undefined) {
      const d = digest(apiKey);
      const match = this.keys.find((k) => timingSafeEqual(k.digest, d));
      if (!match) throw new UnauthenticatedError('unknown API key');
      return `key:${match.name}`;
    }
    const signed = [SIG_HEADERS.timestamp, SIG_HEADERS.ss58, SIG_HEADERS.signature].some((n) => header(headers, n) !== undefined);
    if (!signed) {
      if (this.policy.mode === 'open') return `ip:${ip}`;
      throw new UnauthenticatedError('this validator only serves signed requests or API keys');
    }
    const ss58 = await this.signatures.verify({
      timestamp: header(headers, SIG_HEADERS.timestamp),
      ss58: header(headers, SIG_HEADERS.ss58),
      signature: header(headers, SIG_HEADERS.signature),
    });
    if (this.allow.has(ss58)) return ss58;
    if (this.permits && (await this.permits.hasValidatorPermit(ss58))) return ss58;
    throw new ForbiddenError(`${ss58} is not allowed to submit queries`, {
      hint: this.permits
        ? 'ask the operator to add your hotkey to the allow-list, or register it and hold a validator permit on the subnet'
        : 'ask the operator to add your hotkey to the allow-list',
    });
  }
}
