import { readFile } from 'node:fs/promises';
import type { Address } from 'viem';
import { inferenceAttestorAbi } from './abi-index.js';
import { circuitIdBytes, registerCircuit } from './attest.js';
import type { EthClients } from './clients.js';
import { DeploymentError } from './errors.js';
import { deployVerifier } from './verifier.js';
import { evmVkHash, exportSolidityVerifier, INSECURE_DEV_SOLIDITY_BANNER } from '../zkml/format/solidity.js';
import { outputsPrefixLength as layoutPrefix } from '../zkml/format/layout.js';
import { circuitIdOfVk } from '../zkml/format/circuit-id-node.js';

export interface CircuitRegistration {
  circuitId: string;
  verifier: Address;
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

/** Whether `circuitId` is already bound to a verifier on the attestor. */
export async function circuitOnChain(clients: Pick<EthClients, 'publicClient'>, attestor: Address, circuitId: string) {
  const c = await clients.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [circuitIdBytes(circuitId)] });
  return c.verifier === '0x0000000000000000000000000000000000000000' ? null : c;
}

export interface EnsureCircuitParameters {
  /** A zkinfer artifacts directory (metadata.json + circuit.zkey)… */
  dir?: string;
  /** …or an exported verifier source with the circuit id, the number of outputs and its vk.json. */
  verifierSol?: string;
  vkJson?: string;
  circuitId?: string;
  nOutputs?: number;
  /** Register an INSECURE-DEV circuit on a chain other than a local anvil (chain id 31337) anyway. */
  allowInsecureDev?: boolean;
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

/** Deploy the circuit's Groth16 verifier and register it on the attestor, unless it is registered already. */
export async function ensureCircuitRegistered(clients: EthClients, attestor: Address, p: EnsureCircuitParameters): Promise<CircuitRegistration> {
  let circuitId: string;
  let nOutputs: number;
  let source: () => Promise<string>;
  let expectedVkHash: string;
  let vk: Record<string, unknown>;
  if (p.dir) {
    // one load: the id, the layout and the verifier all come from artifacts whose zkey, vk and metadata agree
    const exported = await exportSolidityVerifier(p.dir);
    const md = exported.metadata;
    checkInsecureDevRegistration(exported.security, clients.chain.id, p.allowInsecureDev);
    if (md.publicLayout.recipient !== md.publicLayout.total - 1) {
      throw new DeploymentError(`circuit ${md.name} has no \`recipient\` public input, so an attestation could be front-run`, {
        hint: 'recompile it with this zkinfer (`zkinfer compile`): new circuits bind a recipient (docs/eth.md)',
      });
    }
    circuitId = exported.circuitId;
    nOutputs = outputsPrefixLength(md.publicLayout);
    vk = exported.vk;
    expectedVkHash = evmVkHash(vk);
    source = async () => exported.source;
  } else if (p.verifierSol && p.circuitId && p.nOutputs !== undefined && p.vkJson) {
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
    expectedVkHash = evmVkHash(vk);
    const text = await readFile(p.verifierSol, 'utf8');
    // an exported verifier names its security level in its header; one without a header is treated as dev
    const security = /^\/\/ security: ceremony$/m.test(text) && !text.includes(INSECURE_DEV_SOLIDITY_BANNER) ? 'ceremony' : 'INSECURE-DEV';
    checkInsecureDevRegistration(security, clients.chain.id, p.allowInsecureDev);
    source = async () => text;
  } else {
    throw new DeploymentError('to register a circuit give its artifacts directory, or a verifier .sol with its circuit id, output count and vk.json', {
      hint: 'use --circuit DIR, or --verifier-sol FILE --circuit-id HEX --outputs N --vk vk.json',
    });
  }
  const existing = await circuitOnChain(clients, attestor, circuitId);
  if (existing) return { circuitId, verifier: existing.verifier, nPublic: existing.nPublic, nOutputs: existing.nOutputs, registered: false };
  const { address, nPublic, vkHash } = await deployVerifier(clients, await source());
  if (vkHash !== expectedVkHash) {
    throw new DeploymentError(`the deployed verifier checks a different key (vkHash ${vkHash}) than ${p.dir ? `${p.dir}/vk.json` : p.vkJson} (${expectedVkHash})`, {
      hint: 'the artifacts do not belong together; re-run `zkinfer compile`',
    });
  }
  await registerCircuit(clients, attestor, { circuitId, verifier: address, nPublic, nOutputs, vk });
  return { circuitId, verifier: address, nPublic, nOutputs, registered: true };
}
