import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { encodePacked, keccak256, type Hex } from 'viem';
import type { CircuitMetadata } from './metadata.js';

let template: Promise<string> | undefined;
/** snarkjs's Groth16 Solidity template (its CommonJS entry is build/main.cjs; templates/ sits beside build/). */
function groth16Template(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('snarkjs');
  template ??= readFile(join(dirname(main), '..', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
  return template;
}

/** The verification key constants in the order the snarkjs verifier declares them (G2 coordinates swapped). */
function vkWords(vk: Record<string, unknown>): bigint[] {
  const g1 = (p: unknown) => { const q = p as string[]; return [BigInt(q[0]!), BigInt(q[1]!)]; };
  const g2 = (p: unknown) => { const q = p as string[][]; return [q[0]![1]!, q[0]![0]!, q[1]![1]!, q[1]![0]!].map(BigInt); };
  return [...g1(vk.vk_alpha_1), ...g2(vk.vk_beta_2), ...g2(vk.vk_gamma_2), ...g2(vk.vk_delta_2), ...(vk.IC as unknown[]).flatMap(g1)];
}

/**
 * What the attestor's `registerCircuit` needs to recompute the circuit id on chain and verify with the key
 * (docs/eth.md "InferenceAttestor"): the key's words in the snarkjs verifier's constant order (also `vkHash()`'s)
 * and the key's vk_alphabeta_12, flattened.
 */
export function vkRegistration(vk: Record<string, unknown>): { vkWords: bigint[]; alphabeta: bigint[] } {
  const ab = (vk.vk_alphabeta_12 as string[][][] | undefined)?.flat(2).map(BigInt) ?? [];
  if (ab.length !== 12) throw new Error('vk.json has no vk_alphabeta_12 (12 field elements)');
  return { vkWords: vkWords(vk), alphabeta: ab };
}

/**
 * The exported verifier's `vkHash()`: keccak256 of its packed verification key constants (alpha, beta, gamma,
 * delta, IC), so a contract using a standalone verifier can tell which key it checks against.
 */
export function evmVkHash(vk: Record<string, unknown>): Hex {
  const words = vkWords(vk);
  return keccak256(encodePacked(words.map(() => 'uint256'), words));
}

/**
 * Add `vkHash()` to a snarkjs Groth16 verifier source: keccak256 of the very constants verifyProof uses, so the
 * hash cannot describe another key than the one the contract checks against.
 */
export function withVkHash(source: string): string {
  const nIC = [...source.matchAll(/uint256 constant IC(\d+)x/g)].length;
  if (nIC === 0) throw new Error('not a snarkjs Groth16 verifier source (no IC constants)');
  const lines = ['alphax, alphay, betax1, betax2, betay1, betay2', 'gammax1, gammax2, gammay1, gammay2', 'deltax1, deltax2, deltay1, deltay2'];
  for (let i = 0; i < nIC; i++) lines.push(`IC${i}x, IC${i}y`);
  const fn = [
    '',
    '    /// keccak256 of the packed verification key constants above (zkinfer evmVkHash, docs/eth.md).',
    '    function vkHash() public pure returns (bytes32) {',
    `        bytes memory v = abi.encodePacked(${lines[0]});`,
    ...lines.slice(1).map((l) => `        v = abi.encodePacked(v, ${l});`),
    '        return keccak256(v);',
    '    }',
  ].join('\n');
  const end = source.lastIndexOf('}');
  return `${source.slice(0, end).trimEnd()}\n${fn}\n}\n`;
}

/** The banner every exported verifier of an INSECURE-DEV circuit starts with (docs/security.md). */
export const INSECURE_DEV_SOLIDITY_BANNER =
  '// INSECURE-DEV: this key comes from a powers of tau with a KNOWN secret; proofs can be forged. Development only.\n';

/**
 * THE Solidity exporter (CLI `export-verifier`, the API's verifier.sol, `eth register-circuit`): snarkjs's
 * Groth16 template for `zkeyPath` (contract `Groth16Verifier`, `verifyProof(pA, pB, pC, pubSignals)`), with a
 * header naming the circuit id and security level. The caller passes a zkey already bound to `metadata`
 * (loadArtifacts checks zkey ⇔ vk ⇔ metadata, docs/security.md).
 */
export async function solidityVerifierSource(zkeyPath: string, metadata: Pick<CircuitMetadata, 'name' | 'id' | 'security'>): Promise<string> {
  const snarkjs = await import('snarkjs');
  const body = withVkHash(await snarkjs.zKey.exportSolidityVerifier(zkeyPath, { groth16: await groth16Template() }));
  const warn = metadata.security === 'INSECURE-DEV' ? INSECURE_DEV_SOLIDITY_BANNER : '';
  return `${warn}// zkinfer Groth16 verifier for circuit "${metadata.name}"\n// circuit id (sha256 of the canonical vk): ${metadata.id}\n// security: ${metadata.security}\n` + body;
}

/** Export the Solidity verifier of an artifacts directory (zkey, vk and metadata checked against each other first). */
export async function exportSolidityVerifier(dir: string): Promise<{ source: string; circuitId: string; security: CircuitMetadata['security']; nPublic: number; metadata: CircuitMetadata; vk: Record<string, unknown> }> {
  const { loadArtifacts } = await import('../artifacts/index.js');
  const art = await loadArtifacts(dir, { need: ['zkey', 'vk'] });
  const md = art.metadata;
  return { source: await solidityVerifierSource(art.paths.zkey, md), circuitId: md.id, security: md.security, nPublic: md.publicLayout.total, metadata: md, vk: art.vk };
}
