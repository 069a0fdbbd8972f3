import type { Address, Hex } from 'viem';
import type { EthClients } from './clients.js';
import { SolidityCompileError } from './errors.js';
import { userCacheDir } from '../paths.js';
import { compileSolidity, type CompiledContract } from './solc.js';
import { deployContract } from './tx.js';

/**
 * Compile an exported verifier (any single-contract Solidity file with `verifyProof`): a standalone verifier for other
 * contracts; the attestor verifies with the registered key itself and needs none (docs/eth.md "InferenceAttestor").
 */
export function compileVerifier(source: string): CompiledContract {
  const out = compileSolidity({ sources: { 'Verifier.sol': source }, cacheDir: userCacheDir('eth', 'solc') });
  const withVerify = Object.values(out).filter((c) => c.abi.some((e) => (e as { name?: string }).name === 'verifyProof'));
  if (withVerify.length !== 1) {
    throw new SolidityCompileError(`expected exactly one contract with verifyProof in the verifier source, found ${withVerify.length}`, {
      hint: 'pass the file written by `zkinfer export-verifier` (snarkjs Groth16 template)',
    });
  }
  return withVerify[0]!;
}

/** Number of public signals a compiled snarkjs verifier takes (the length of its last `verifyProof` argument). */
export function verifierPublicCount(c: CompiledContract): number {
  const fn = c.abi.find((e) => (e as { name?: string }).name === 'verifyProof') as { inputs: Array<{ type: string }> };
  const m = /\[(\d+)\]$/.exec(fn.inputs.at(-1)?.type ?? '');
  if (!m) throw new SolidityCompileError('verifyProof has no fixed-size public signal array', { hint: 'use a snarkjs Groth16 verifier' });
  return Number(m[1]);
}

const vkHashAbi = [{ type: 'function', name: 'vkHash', stateMutability: 'pure', inputs: [], outputs: [{ name: '', type: 'bytes32' }] }] as const;

/** Compile and deploy a verifier source; returns its address, public signal count and on-chain vkHash(). */
export async function deployVerifier(clients: EthClients, source: string): Promise<{ address: Address; nPublic: number; vkHash: Hex }> {
  const c = compileVerifier(source);
  if (!c.abi.some((e) => (e as { name?: string }).name === 'vkHash')) {
    throw new SolidityCompileError('the verifier has no vkHash() function, so nothing ties it to one verification key', {
      hint: 'export it with this zkinfer (`zkinfer export-verifier`), which adds vkHash() to the snarkjs template',
    });
  }
  const { address } = await deployContract(clients, { abi: c.abi as never, bytecode: c.bytecode });
  const vkHash = await clients.publicClient.readContract({ address, abi: vkHashAbi, functionName: 'vkHash' });
  return { address, nPublic: verifierPublicCount(c), vkHash };
}
