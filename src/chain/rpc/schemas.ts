/**
 * zod schemas of the devnet JSON-RPC 2.0 protocol (HTTP POST and WebSocket on one port). Bigints
 * (rao) travel as decimal strings. Methods:
 *   chain_info → {genesis, block, blockTimeMs}      chain_currentBlock → number
 *   chain_metagraph {netuid} → MetagraphWire         chain_hyperparameters {netuid} → HyperparametersWire
 *   chain_uidOf {netuid, hotkey} → number | null     chain_balance {coldkey} → string (rao)
 *   chain_weights {netuid, uid} → [[uid, u16]] (as stored, zeros dropped)
 *   chain_commitments {netuid} → Commitment[]        chain_subnets → number[]
 *   chain_timelockInfo → TimelockInfo (the devnet's INSECURE-DEV beacon, block time, commit-reveal version)
 *   chain_submit SignedCall → Receipt                dev_faucet {coldkey, amount} → Receipt
 *   dev_createSubnet {owner, overrides?, pool?: {tao, alpha}} → number
 *   chain_subnetPool {netuid} → SubnetPoolWire (reserves, price, fee, the last block's injections; 0 = root)
 *   chain_subscribeBlocks (WebSocket only) → subscription id; then notifications
 *     {"jsonrpc":"2.0","method":"chain_block","params":{"subscription":id,"result":block}}
 *   chain_unsubscribeBlocks {subscription} → boolean
 */
import { z } from 'zod';
import type { Hyperparameters, Metagraph, SubnetPool } from '../types.js';
import { HyperparametersFields, HyperparametersSchema, hyperparametersToJson } from '../devnet/hyperparams.js';
import { Ss58Schema } from '../devnet/calls.js';

const ss58 = z.string().min(40).max(60);
const u16 = z.number().int().min(0).max(65535);
const raoString = z.string().regex(/^\d{1,30}$/);
const rao = raoString.transform((s) => BigInt(s));

export const JsonRpcRequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string().max(128), z.number(), z.null()]).optional(),
  method: z.string().max(64),
  params: z.unknown().optional(),
});
export type JsonRpcRequest = z.infer<typeof JsonRpcRequestSchema>;

export const JsonRpcErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.object({
    name: z.string().optional(),
    code: z.string().optional(),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
});

export const JsonRpcResponseSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  result: z.unknown().optional(),
  error: JsonRpcErrorSchema.optional(),
});

export const BlockNotificationSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.literal('chain_block'),
  params: z.object({ subscription: z.string(), result: z.number().int().min(0) }),
});

// ---- params ----
export const NetuidParams = z.object({ netuid: u16 });
export const UidOfParams = z.object({ netuid: u16, hotkey: Ss58Schema });
export const WeightsParams = z.object({ netuid: u16, uid: u16 });
export const WeightsWire = z.array(z.tuple([z.number().int().min(0), z.number().int().min(0).max(65535)]));
export const BalanceParams = z.object({ coldkey: Ss58Schema });
export const FaucetParams = z.object({ coldkey: Ss58Schema, amount: rao });
export const CreateSubnetParams = z.object({ owner: Ss58Schema, overrides: HyperparametersFields.partial().optional(), pool: z.object({ tao: rao, alpha: rao }).optional() });
export const UnsubscribeParams = z.object({ subscription: z.string().max(64) });

// ---- results ----
/** A subnet pool on the wire (bigints as decimal strings). */
export const SubnetPoolWire = z.object({
  netuid: u16, taoIn: rao, alphaIn: rao, alphaOut: rao, priceRao: rao, movingPrice: z.number().min(0), feeRate: u16,
  taoInEmission: rao, alphaInEmission: rao, alphaOutEmission: rao,
});

/** A SubnetPool as JSON: every bigint as its decimal string. */
export function subnetPoolToWire(p: SubnetPool): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]));
}

export const InfoSchema = z.object({ genesis: z.string().regex(/^[0-9a-f]{32}$/), block: z.number().int(), blockTimeMs: z.number().int() });
export const ReceiptSchema = z.object({
  block: z.number().int().min(0),
  swap: z.object({ paidIn: raoString, paidOut: raoString, fee: raoString }).optional(),
  uid: u16.optional(),
  replacedHotkey: ss58.optional(),
  firesAt: z.number().int().min(0).optional(),
});
export const TimelockInfoSchema = z.object({
  beacon: z.object({
    name: z.string().max(64),
    publicKey: z.string().regex(/^[0-9a-f]{192}$/),
    genesisMs: z.number().int().min(0),
    periodMs: z.number().int().min(1),
  }),
  blockTimeMs: z.number().int().min(1),
  commitRevealVersion: u16,
});
export const CommitmentSchema = z.object({ hotkey: ss58, block: z.number().int(), data: z.string() });

const AxonSchema = z.object({
  hotkey: ss58, coldkey: ss58, ip: z.string(), ipType: z.union([z.literal(0), z.literal(4), z.literal(6)]),
  port: z.number().int(), version: z.number().int(), protocol: z.number().int(), block: z.number().int(),
});

export const MetagraphWireSchema = z.object({
  netuid: u16,
  block: z.number().int(),
  n: z.number().int(),
  uids: z.array(z.number().int()),
  hotkeys: z.array(ss58),
  coldkeys: z.array(ss58),
  stake: z.array(rao),
  alphaStake: z.array(rao),
  taoStake: z.array(rao),
  validatorPermit: z.array(z.boolean()),
  validatorTrust: z.array(z.number()),
  trust: z.array(z.number()),
  consensus: z.array(z.number()),
  incentive: z.array(z.number()),
  dividends: z.array(z.number()),
  emission: z.array(rao),
  active: z.array(z.boolean()),
  lastUpdate: z.array(z.number().int()),
  blockAtRegistration: z.array(z.number().int()),
  axons: z.array(AxonSchema),
});

/** Metagraph → JSON-safe object. */
export function metagraphToWire(m: Metagraph): Record<string, unknown> {
  return { ...m, stake: m.stake.map(String), alphaStake: m.alphaStake.map(String), taoStake: m.taoStake.map(String), emission: m.emission.map(String) };
}

/** Parse a wire metagraph back (throws ZodError if malformed). */
export function metagraphFromWire(v: unknown): Metagraph {
  return MetagraphWireSchema.parse(v);
}

export function hyperparametersToWire(h: Hyperparameters): Record<string, unknown> {
  return hyperparametersToJson(h);
}

export function hyperparametersFromWire(v: unknown): Hyperparameters {
  return HyperparametersSchema.parse(v);
}

/** JSON-RPC error codes used. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  chain: -32000,
} as const;
