import { readFile } from 'node:fs/promises';
import type { Address } from 'viem';
import { inferenceAttestorAbi } from './abi-index.js';
import { circuitIdBytes, registerCircuit } from './attest.js';
import type { EthClients } from './clients.js';
import { DeploymentError } from './errors.js';
import { INSECURE_DEV_SOLIDITY_BANNER, vkRegistration } from '../zkml/format/solidity.js';
import { outputsPrefixLength as layoutPrefix } from '../zkml/format/layout.js';
import { circuitIdOfVk } from '../zkml/format/circuit-id-node.js';

export interface CircuitRegistration {
  circuitId: string;
  /** The data contract the attestor stored the verification key in. */
  vkData: Address;
  nPublic: number;
  nOutputs: number;
  /** False when the circuit was already registered (nothing was sent). */
  registered: boolean;
}

/** Outputs must form a contiguous prefix of the public signals (the format's order) for the attestor's layout. */
export function outputsPrefixLength(layout: { outputs: Array<{ offset: number; length: number }>; total: number }): number {
  try {
    return layoutPrefix(layout);
  } catch (e) {
    throw new DeploymentError('circuit outputs are not the leading public signals; the attestor cannot split them', { hint: 'recompile the circuit with zkinfer (outputs first, then inputs)', cause: e });
  }
}

/** The attestor's record of `circuitId` (key data contract, layout, active), or null when it was never registered. */
export async function circuitOnChain(clients: Pick<EthClients, 'publicClient'>, attestor: Address, circuitId: string) {
  const c = await clients.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [circuitIdBytes(circuitId)] });
  return c.vkData === '0x0000000000000000000000000000000000000000' ? null : c;
}

export interface EnsureCircuitParameters {
  /** A zkinfer artifacts directory (metadata.json + vk.json)… */
  dir?: string;
  /** …or a vk.json with the circuit id and the number of outputs (the key alone names no security level: dev)… */
  vkJson?: string;
  circuitId?: string;
  nOutputs?: number;
  /** …optionally with the verifier `zkinfer export-verifier` wrote for that key, whose header names its security level. */
  verifierSol?: string;
  /** Register an INSECURE-DEV circuit on a chain other than a local anvil (chain id 31337) anyway. */
  allowInsecureDev?: boolean;
  /** Register the id again when the owner disabled it (new layout); otherwise a disabled id is an error. */
  reregister?: boolean;
}

/** The local anvil dev chain's id: the only chain where INSECURE-DEV circuits register without being asked to. */
export const DEV_CHAIN_ID = 31337;

/**
 * INSECURE-DEV keys can be forged by anyone holding the dev secret, so registering one on a real chain would
 * let them attest any output; refused unless explicitly allowed (docs/security.md).
 */
export function checkInsecureDevRegistration(security: string, chainId: number, allow: boolean | undefined): void {
  if (security === 'INSECURE-DEV' && chainId !== DEV_CHAIN_ID && !allow) {
    throw new DeploymentError(`refusing to register an INSECURE-DEV circuit on chain ${chainId}: its proofs can be forged by anyone holding the dev powers-of-tau secret`, {
      hint: 'compile the circuit with a ceremony ptau (`zkinfer compile --ptau …`), or pass --allow-insecure-dev for a test chain',
    });
  }
}

async function readVkJson(path: string): Promise<Record<string, unknown>> {
  let v: unknown;
  try { v = JSON.parse(await readFile(path, 'utf8')); } catch (cause) {
    throw new DeploymentError(`cannot read the verification key ${path}`, { hint: 'pass the vk.json from the circuit\'s artifacts directory', cause });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DeploymentError(`${path} is not a verification key (JSON object)`, { hint: 'pass the vk.json from the circuit\'s artifacts directory' });
  return v as Record<string, unknown>;
}

/** The verification key constants of an exported snarkjs verifier source, in declaration order (alpha … ICn). */
export function verifierSourceVkWords(source: string): bigint[] {
  return [...source.matchAll(/uint256 constant (?:alpha|beta|gamma|delta|IC\d+)[xy]\d?\s*=\s*(\d+)\s*;/g)].map((m) => BigInt(m[1]!));
}

/**
 * Register the circuit's verification key on the attestor (which verifies its proofs itself), unless the id is
 * registered and active already. Nothing is deployed but the attestor's own key data contract.
 */
export async function ensureCircuitRegistered(clients: EthClients, attestor: Address, p: EnsureCircuitParameters): Promise<CircuitRegistration> {
  let circuitId: string;
  let nOutputs: number;
  let vk: Record<string, unknown>;
  if (p.dir) {
    // the id, the layout and the key come from artifacts whose vk and metadata agree (hash-checked)
    const { loadArtifacts } = await import('../zkml/artifacts/index.js');
    const art = await loadArtifacts(p.dir, { need: ['vk'] });
    const md = art.metadata;
    checkInsecureDevRegistration(md.security, clients.chain.id, p.allowInsecureDev);
    if (md.publicLayout.recipient !== md.publicLayout.total - 1) {
      throw new DeploymentError(`circuit ${md.name} has no \`recipient\` public input, so an attestation could be front-run`, {
        hint: 'recompile it with this zkinfer (`zkinfer compile`): new circuits bind a recipient (docs/eth.md)',
      });
    }
    circuitId = md.id;
    nOutputs = outputsPrefixLength(md.publicLayout);
    vk = art.vk;
  } else if (p.vkJson && p.circuitId && p.nOutputs !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(p.circuitId)) {
      throw new DeploymentError(`circuit id must be 64 lowercase hex digits (sha256 of the vk), got "${p.circuitId}"`, { hint: 'copy it from metadata.json or the verifier header' });
    }
    if (!Number.isInteger(p.nOutputs) || p.nOutputs < 0) {
      throw new DeploymentError(`the number of outputs must be a whole number, got ${p.nOutputs}`, { hint: 'see publicLayout.outputs in metadata.json' });
    }
    circuitId = p.circuitId;
    nOutputs = p.nOutputs;
    vk = await readVkJson(p.vkJson);
    // the attestor recomputes the id from the key on chain; refuse early, with the reason, what it would revert
    if (circuitIdOfVk(vk) !== circuitId) {
      throw new DeploymentError(`circuit id ${circuitId} is not the sha256 of ${p.vkJson} (${circuitIdOfVk(vk)})`, { hint: 'pass the vk.json of the circuit whose id you give (both are in its artifacts directory)' });
    }
    let security = 'INSECURE-DEV'; // a bare vk names no security level; so does a verifier without a header
    if (p.verifierSol) {
      const text = await readFile(p.verifierSol, 'utf8');
      const words = verifierSourceVkWords(text);
      const expected = vkRegistration(vk).vkWords;
      if (words.length !== expected.length || words.some((w, i) => w !== expected[i])) {
        throw new DeploymentError(`${p.verifierSol} checks a different key than ${p.vkJson}`, { hint: 'the verifier and the vk.json must come from the same artifacts directory' });
      }
      if (/^\/\/ security: ceremony$/m.test(text) && !text.includes(INSECURE_DEV_SOLIDITY_BANNER)) security = 'ceremony';
    }
    checkInsecureDevRegistration(security, clients.chain.id, p.allowInsecureDev);
  } else {
    throw new DeploymentError('to register a circuit give its artifacts directory, or a vk.json with its circuit id and output count', {
      hint: 'use --circuit DIR, or --vk vk.json --circuit-id HEX --outputs N',
    });
  }
  const nPublic = (vk.IC as unknown[] | undefined)?.length ? (vk.IC as unknown[]).length - 1 : 0;
  const existing = await circuitOnChain(clients, attestor, circuitId);
  if (existing?.active) return { circuitId, vkData: existing.vkData, nPublic: existing.nPublic, nOutputs: existing.nOutputs, registered: false };
  if (existing && !p.reregister) {
    throw new DeploymentError(`circuit ${circuitId} is disabled on the attestor ${attestor}`, {
      hint: 'the attestor owner may register it again, with the right layout: `zkinfer eth register-circuit`',
    });
  }
  await registerCircuit(clients, attestor, { circuitId, nPublic, nOutputs, vk });
  const c = await circuitOnChain(clients, attestor, circuitId);
  return { circuitId, vkData: c!.vkData, nPublic, nOutputs, registered: true };
}
