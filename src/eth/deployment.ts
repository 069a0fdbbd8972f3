import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DeploymentError } from './errors.js';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x-prefixed 20-byte address') as unknown as z.ZodType<`0x${string}`>;

export const DeployedTokenSchema = z.object({
  address,
  symbol: z.string(),
  decimals: z.number().int().min(0).max(18),
  /** Points weight, 1e18 = 1.0, as a decimal string. */
  weight: z.string().regex(/^\d+$/),
  /** DEV ONLY token with an open `mint` faucet. */
  devMintable: z.boolean(),
});
export type DeployedToken = z.infer<typeof DeployedTokenSchema>;

/** The deployment JSON `zkinfer eth deploy` writes and every other `eth` command reads. */
export const DeploymentSchema = z.object({
  /** 2: the vault with notice periods, shares and a fixed claim receiver (docs/eth.md); 1 is refused. */
  version: z.literal(2),
  chainId: z.number().int().positive(),
  /** `dev`: mock tokens, local restake manager, anvil's public keys — INSECURE-DEV, never for real funds. */
  network: z.enum(['dev', 'custom']),
  createdAt: z.string(),
  deployer: address,
  vault: address,
  attestor: address,
  restakeManager: address.nullable(),
  ezETH: address.nullable(),
  claimManager: address.nullable(),
  /** Seconds of notice the vault gives before a stop time or a claim-manager change. */
  noticePeriod: z.number().int().positive(),
  tokens: z.record(z.string(), DeployedTokenSchema),
  /**
   * Circuits this tool registered on the attestor: circuit id (hex, no 0x) → the data contract holding its key
   * (files written before the attestor verified proofs itself name an exported verifier here).
   */
  verifiers: z.record(z.string(), address).default({}),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export { DEFAULT_DEPLOYMENT_FILE } from './defaults.js';

export function readDeployment(path: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new DeploymentError(`cannot read deployment file ${path}`, { hint: 'run `zkinfer eth deploy` first, or pass --deployment PATH', cause });
  }
  const parsed = DeploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeploymentError(`deployment file ${path} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      hint: 'redeploy with `zkinfer eth deploy`',
    });
  }
  return parsed.data;
}

export function writeDeployment(path: string, d: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(DeploymentSchema.parse(d), null, 2)}\n`);
}

/** Look a token up by symbol (case-insensitive) or address. */
export function findToken(d: Deployment, symbolOrAddress: string): DeployedToken {
  const key = symbolOrAddress.toLowerCase();
  const t = Object.values(d.tokens).find((x) => x.symbol.toLowerCase() === key || x.address.toLowerCase() === key);
  if (!t) {
    throw new DeploymentError(`unknown token ${symbolOrAddress}`, { hint: `use one of: ${Object.values(d.tokens).map((x) => x.symbol).join(', ')}` });
  }
  return t;
}
