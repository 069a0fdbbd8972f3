import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { encodePacked, keccak256, type Hex } from 'viem';
import { loadArtifacts } from '../artifacts/index.js';

/** snarkjs's Groth16 Solidity template (node_modules/snarkjs/templates/verifier_groth16.sol.ejs). */
async function groth16Template(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('snarkjs'); // …/snarkjs/build/main.cjs
  return readFile(join(dirname(main), '..', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
}

/** The verification key constants in the order the snarkjs verifier declares them (G2 coordinates swapped). */
function vkWords(vk: Record<string, unknown>): bigint[] {
  const g1 = (p: unknown) => { const q = p as string[]; return [BigInt(q[0]!), BigInt(q[1]!)]; };
  const g2 = (p: unknown) => { const q = p as string[][]; return [q[0]![1]!, q[0]![0]!, q[1]![1]!, q[1]![0]!].map(BigInt); };
  return [...g1(vk.vk_alpha_1), ...g2(vk.vk_beta_2), ...g2(vk.vk_gamma_2), ...g2(vk.vk_delta_2), ...(vk.IC as unknown[]).flatMap(g1)];
}

/**
 * The verifier's `vkHash()`: keccak256 of its packed verification key constants (alpha, beta, gamma, delta, IC).
 * The attestor binds each vkHash to one circuit id (docs/eth.md "InferenceAttestor").
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

/**
 * Solidity source of a Groth16 verifier for a circuit (snarkjs's template, contract `Groth16Verifier`,
 * `verifyProof(uint[2] pA, uint[2][2] pB, uint[2] pC, uint[N] pubSignals) returns (bool)`, plus `vkHash()`), with a header
 * naming the circuit id and its security level. Artifacts are hash-checked first.
 */
export async function exportSolidityVerifier(dir: string): Promise<{ source: string; circuitId: string; security: string; nPublic: number }> {
  const art = await loadArtifacts(dir, { need: ['zkey', 'vk'] });
  const body = withVkHash(await snarkjs.zKey.exportSolidityVerifier(art.paths.zkey, { groth16: await groth16Template() }));
  const md = art.metadata;
  const warn = md.security === 'INSECURE-DEV'
    ? '// INSECURE-DEV: this key comes from a powers of tau with a KNOWN secret; proofs can be forged. Development only.\n'
    : '';
  const header = `// zkinfer Groth16 verifier for circuit "${md.name}"\n// circuit id (sha256 of the canonical vk): ${md.id}\n// security: ${md.security}\n${warn}`;
  return { source: header + body, circuitId: md.id, security: md.security, nPublic: md.publicLayout.total };
}
