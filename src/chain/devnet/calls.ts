/**
 * Signed devnet calls: the devnet's stand-in for extrinsics. A call names a method and its params,
 * the signing account, a recent block (mortality) and a random nonce; the sr25519 signature covers
 * `zkinfer-devnet/v1:<genesis>:<canonical JSON of the rest>`, so it cannot be replayed on another
 * devnet, after `CALL_MORTALITY` blocks, or twice (the devnet remembers used signatures).
 */
import { randomBytes } from 'node:crypto';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { z } from 'zod';
import type { Signer, StakeLimit, TimelockedCommitParams } from '../types.js';

/** Blocks a signed call stays valid after its reference block. */
export const CALL_MORTALITY = 64;

/** The devnet's SS58 prefix: every address in its state is written with it (docs/chain.md "Addresses"). */
export const DEVNET_SS58_PREFIX = 42;

/**
 * `address` re-encoded with the devnet's prefix, or undefined when it is not an SS58 address. One public key has a
 * spelling per prefix, and the state compares addresses as strings: without this one key could register one hotkey
 * twice, or take another coldkey's hotkey by writing it with another prefix (docs/chain.md "Addresses").
 */
export function canonicalAddress(address: string): string | undefined {
  try {
    return encodeAddress(decodeAddress(address), DEVNET_SS58_PREFIX);
  } catch {
    return undefined;
  }
}

/** An SS58 address in any prefix, read as the devnet's spelling of its key. */
export const Ss58Schema = z.string().min(40).max(60).transform((s, ctx) => {
  const c = canonicalAddress(s);
  if (c === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${s.slice(0, 60)}" is not an SS58 address` });
    return z.NEVER;
  }
  return c;
});
const ss58 = Ss58Schema;
const u16 = z.number().int().min(0).max(65535);
const rao = z.string().regex(/^\d{1,30}$/);

/** Params of each signed method, as JSON (amounts as decimal strings). */
export const CallSchemas = {
  burnedRegister: z.object({ netuid: u16, hotkey: ss58 }),
  serveAxon: z.object({
    netuid: u16,
    ip: z.string().max(64),
    port: z.number().int(),
    version: z.number().int(),
    protocol: z.number().int().min(0).max(255).default(0),
  }),
  setWeights: z.object({
    netuid: u16,
    uids: z.array(z.number().int()).max(65536),
    weights: z.array(z.number().int()).max(65536),
    versionKey: z.number().int().min(0),
  }),
  commit: z.object({ netuid: u16, data: z.string().max(1 << 20) }),
  /** Commit-reveal v3; `commit` is hex of at most MAX_CRV3_COMMIT_SIZE_BYTES (5000) bytes. */
  commitTimelockedWeights: z.object({
    netuid: u16,
    commit: z.string().regex(/^(?:[0-9a-f]{2}){1,5000}$/, 'commit must be hex of 1..5000 bytes'),
    revealRound: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    commitRevealVersion: u16,
  }),
  /**
   * `netuid`: the subnet whose alpha pool the stake swaps through (0: the root network; none: the global τ stake);
   * `limitPrice` (rao of τ per α) and `allowPartial`: add_stake_limit / remove_stake_limit.
   */
  addStake: z.object({ hotkey: ss58, amount: rao, netuid: u16.optional(), limitPrice: rao.optional(), allowPartial: z.boolean().optional() }),
  removeStake: z.object({ hotkey: ss58, amount: rao, netuid: u16.optional(), limitPrice: rao.optional(), allowPartial: z.boolean().optional() }),
  /** swap_stake / swap_stake_limit: α of `originNetuid` → `destinationNetuid` (0: root); limit = origin/destination price ratio in rao. */
  swapStake: z.object({ hotkey: ss58, originNetuid: u16, destinationNetuid: u16, amount: rao, limitPrice: rao.optional(), allowPartial: z.boolean().optional() }),
  /** The subnet owner's schedule calls (src/chain/devnet/admin.ts); bounds are checked by the call, as the pallet does. */
  setTempo: z.object({ netuid: u16, tempo: u16 }),
  setActivityCutoffFactor: z.object({ netuid: u16, factorMilli: z.number().int().min(0).max(0xffff_ffff) }),
  triggerEpoch: z.object({ netuid: u16 }),
  /** AdminUtils.sudo_set_tempo: root only (the devnet's sudo key). */
  sudoSetTempo: z.object({ netuid: u16, tempo: u16 }),
} as const;

export type CallMethod = keyof typeof CallSchemas;
export type CallParams<M extends CallMethod> = z.infer<(typeof CallSchemas)[M]>;

/** `commitTimelockedWeights` params as signed (commit bytes as hex). */
export function timelockedCallParams(p: TimelockedCommitParams): CallParams<'commitTimelockedWeights'> {
  return { netuid: p.netuid, commit: Buffer.from(p.commit).toString('hex'), revealRound: p.revealRound, commitRevealVersion: p.commitRevealVersion };
}

/** `addStake` / `removeStake` params (amounts as decimal strings; a limit only when given). */
export function stakeCallParams(hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): CallParams<'addStake'> {
  return {
    hotkey, amount: amount.toString(), ...(netuid === undefined ? {} : { netuid }),
    ...(limit ? { limitPrice: limit.limitPrice.toString(), allowPartial: limit.allowPartial === true } : {}),
  };
}

/** `swapStake` params (a limit only when given). */
export function swapStakeCallParams(hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limit?: StakeLimit): CallParams<'swapStake'> {
  return {
    hotkey, originNetuid, destinationNetuid, amount: amount.toString(),
    ...(limit ? { limitPrice: limit.limitPrice.toString(), allowPartial: limit.allowPartial === true } : {}),
  };
}

/** The signed call as sent over the wire. */
export const SignedCallSchema = z.object({
  method: z.enum(Object.keys(CallSchemas) as [CallMethod, ...CallMethod[]]),
  params: z.record(z.string(), z.unknown()),
  signer: ss58,
  block: z.number().int().min(0),
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  signature: z.string().regex(/^0x[0-9a-f]{128}$/),
});
export type SignedCall = z.infer<typeof SignedCallSchema>;

/** JSON with object keys sorted, so signer and verifier hash the same bytes. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The exact bytes a call signature covers. */
export function signingPayload(genesis: string, c: Omit<SignedCall, 'signature'>): string {
  return `zkinfer-devnet/v1:${genesis}:${canonicalJson({ method: c.method, params: c.params, signer: c.signer, block: c.block, nonce: c.nonce })}`;
}

/** Build and sign a call with `signer` (an sr25519 keyring pair). */
export function signCall<M extends CallMethod>(genesis: string, signer: Signer, method: M, params: CallParams<M>, block: number): SignedCall {
  const unsigned = { method, params: params as Record<string, unknown>, signer: signer.address, block, nonce: randomBytes(16).toString('hex') };
  const signature = u8aToHex(signer.sign(signingPayload(genesis, unsigned)));
  return { ...unsigned, signature };
}

/** Whether the signature is a valid sr25519 signature of the payload by `signer`. */
export function verifyCallSignature(genesis: string, c: SignedCall): boolean {
  try {
    const { signature, ...rest } = c;
    const r = signatureVerify(signingPayload(genesis, rest), signature, c.signer);
    return r.isValid && r.crypto === 'sr25519';
  } catch {
    return false;
  }
}
