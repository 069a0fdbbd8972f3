import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { loadArtifacts } from '../artifacts/index.js';

/** snarkjs's Groth16 Solidity template (node_modules/snarkjs/templates/verifier_groth16.sol.ejs). */
async function groth16Template(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('snarkjs'); // …/snarkjs/build/main.cjs
  return readFile(join(dirname(main), '..', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
}

/**
 * Solidity source of a Groth16 verifier for a circuit (snarkjs's template, contract `Groth16Verifier`,
 * `verifyProof(uint[2] pA, uint[2][2] pB, uint[2] pC, uint[N] pubSignals) returns (bool)`), with a header
 * naming the circuit id and its security level. Artifacts are hash-checked first.
 */
export async function exportSolidityVerifier(dir: string): Promise<{ source: string; circuitId: string; security: string; nPublic: number }> {
  const art = await loadArtifacts(dir, { need: ['zkey', 'vk'] });
  const body = await snarkjs.zKey.exportSolidityVerifier(art.paths.zkey, { groth16: await groth16Template() });
  const md = art.metadata;
  const warn = md.security === 'INSECURE-DEV'
    ? '// INSECURE-DEV: this key comes from a powers of tau with a KNOWN secret; proofs can be forged. Development only.\n'
    : '';
  const header = `// zkinfer Groth16 verifier for circuit "${md.name}"\n// circuit id (sha256 of the canonical vk): ${md.id}\n// security: ${md.security}\n${warn}`;
  return { source: header + body, circuitId: md.id, security: md.security, nPublic: md.publicLayout.total };
}
