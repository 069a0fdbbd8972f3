import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CircuitMetadata } from './metadata.js';

let template: Promise<string> | undefined;
/** snarkjs's Groth16 Solidity template (its CommonJS entry is build/main.cjs; templates/ sits beside build/). */
function groth16Template(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('snarkjs');
  template ??= readFile(join(dirname(main), '..', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
  return template;
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
  const body = await snarkjs.zKey.exportSolidityVerifier(zkeyPath, { groth16: await groth16Template() });
  const warn = metadata.security === 'INSECURE-DEV' ? INSECURE_DEV_SOLIDITY_BANNER : '';
  return `${warn}// zkinfer Groth16 verifier for circuit "${metadata.name}"\n// circuit id (sha256 of the canonical vk): ${metadata.id}\n// security: ${metadata.security}\n` + body;
}

/** Export the Solidity verifier of an artifacts directory (zkey, vk and metadata checked against each other first). */
export async function exportSolidityVerifier(dir: string): Promise<{ source: string; circuitId: string; security: CircuitMetadata['security']; nPublic: number; metadata: CircuitMetadata }> {
  const { loadArtifacts } = await import('../artifacts/index.js');
  const art = await loadArtifacts(dir, { need: ['zkey', 'vk'] });
  const md = art.metadata;
  return { source: await solidityVerifierSource(art.paths.zkey, md), circuitId: md.id, security: md.security, nPublic: md.publicLayout.total, metadata: md };
}
