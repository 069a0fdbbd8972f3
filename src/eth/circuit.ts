import { readFile } from 'node:fs/promises';
import type { Address } from 'viem';
import { inferenceAttestorAbi } from './abi-index.js';
import { circuitIdBytes, registerCircuit } from './attest.js';
import type { EthClients } from './clients.js';
import { DeploymentError } from './errors.js';
import { deployVerifier } from './verifier.js';
import { evmVkHash, exportSolidityVerifier } from '../zkml/export/solidity.js';
import { loadArtifacts } from '../zkml/artifacts/index.js';

export interface CircuitRegistration {
  circuitId: string;
  verifier: Address;
  nPublic: number;
  nOutputs: number;
  /** False when the circuit was already registered (nothing was sent). */
  registered: boolean;
}

/** Outputs must form a contiguous prefix of the public signals (Circom's order) for the attestor's layout. */
export function outputsPrefixLength(layout: { outputs: Array<{ offset: number; length: number }>; total: number }): number {
  let n = 0;
  for (const o of [...layout.outputs].sort((a, b) => a.offset - b.offset)) {
    if (o.offset !== n) {
      throw new DeploymentError('circuit outputs are not the leading public signals; the attestor cannot split them', {
        hint: 'recompile the circuit with zkinfer (outputs first, then inputs)',
      });
    }
    n += o.length;
  }
  return n;
}

/** Whether `circuitId` is already bound to a verifier on the attestor. */
export async function circuitOnChain(clients: Pick<EthClients, 'publicClient'>, attestor: Address, circuitId: string) {
  const c = await clients.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [circuitIdBytes(circuitId)] });
  return c.verifier === '0x0000000000000000000000000000000000000000' ? null : c;
}

export interface EnsureCircuitParameters {
  /** A zkinfer artifacts directory (metadata.json + circuit.zkey)… */
  dir?: string;
  /** …or an exported verifier source with the circuit id and the number of outputs. */
  verifierSol?: string;
  circuitId?: string;
  nOutputs?: number;
}

/** Deploy the circuit's Groth16 verifier and register it on the attestor, unless it is registered already. */
export async function ensureCircuitRegistered(clients: EthClients, attestor: Address, p: EnsureCircuitParameters): Promise<CircuitRegistration> {
  let circuitId: string;
  let nOutputs: number;
  let source: () => Promise<string>;
  let expectedVkHash: string | undefined;
  if (p.dir) {
    const art = await loadArtifacts(p.dir, { need: ['vk'] }); // vk.json hash-checked, id = sha256 of its canonical form
    const md = art.metadata;
    if (md.publicLayout.recipient !== md.publicLayout.total - 1) {
      throw new DeploymentError(`circuit ${md.name} has no \`recipient\` public input, so an attestation could be front-run`, {
        hint: 'recompile it with this zkinfer (`zkinfer compile`): new circuits bind a recipient (docs/eth.md)',
      });
    }
    circuitId = md.id;
    nOutputs = outputsPrefixLength(md.publicLayout);
    expectedVkHash = evmVkHash(art.vk);
    source = async () => (await exportSolidityVerifier(p.dir!)).source; // hash-checked artifacts
  } else if (p.verifierSol && p.circuitId && p.nOutputs !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(p.circuitId)) {
      throw new DeploymentError(`circuit id must be 64 lowercase hex digits (sha256 of the vk), got "${p.circuitId}"`, { hint: 'copy it from metadata.json or the verifier header' });
    }
    if (!Number.isInteger(p.nOutputs) || p.nOutputs < 0) {
      throw new DeploymentError(`the number of outputs must be a whole number, got ${p.nOutputs}`, { hint: 'see publicLayout.outputs in metadata.json' });
    }
    circuitId = p.circuitId;
    nOutputs = p.nOutputs;
    const file = p.verifierSol;
    source = () => readFile(file, 'utf8');
  } else {
    throw new DeploymentError('to register a circuit give its artifacts directory, or a verifier .sol with its circuit id and output count', {
      hint: 'use --circuit DIR, or --verifier-sol FILE --circuit-id HEX --outputs N',
    });
  }
  const existing = await circuitOnChain(clients, attestor, circuitId);
  if (existing) return { circuitId, verifier: existing.verifier, nPublic: existing.nPublic, nOutputs: existing.nOutputs, registered: false };
  const { address, nPublic, vkHash } = await deployVerifier(clients, await source());
  if (expectedVkHash !== undefined && vkHash !== expectedVkHash) {
    throw new DeploymentError(`the deployed verifier checks a different key (vkHash ${vkHash}) than ${p.dir}/vk.json (${expectedVkHash})`, {
      hint: 'the artifacts do not belong together; re-run `zkinfer compile`',
    });
  }
  await registerCircuit(clients, attestor, { circuitId, verifier: address, nPublic, nOutputs });
  return { circuitId, verifier: address, nPublic, nOutputs, registered: true };
}
