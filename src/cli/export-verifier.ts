import type { Command } from 'commander';
import { resolveCircuitDir } from '../circuit-ref.js';
import { checkOutputFile, writeOutputFile } from '../out-path.js';

/** `zkinfer export-verifier DIR --out Verifier.sol` */
export function registerExportVerifier(program: Command): void {
  program
    .command('export-verifier')
    .description('write a Solidity Groth16 verifier contract for a compiled circuit')
    .argument('<dir>', 'circuit artifacts directory')
    .requiredOption('--out <file>', 'Solidity file to write, e.g. Verifier.sol')
    .action(async (dir: string, o: { out: string }) => {
      checkOutputFile(o.out, 'Verifier.sol');
      const [{ exportSolidityVerifier }, { releaseSnarkjsCurve }] = await Promise.all([import('../zkml/format/solidity.js'), import('../zkml/prove/curve.js')]);
      try {
        const r = await exportSolidityVerifier(resolveCircuitDir(dir));
        writeOutputFile(o.out, r.source, 'Verifier.sol');
        if (r.security === 'INSECURE-DEV') console.log('INSECURE-DEV: the verifier accepts proofs from development keys (known secret) — do not deploy it for real use');
        console.log(`verifier for circuit ${r.circuitId} (${r.nPublic} public signals) written to ${o.out}`);
      } finally {
        await releaseSnarkjsCurve();
      }
    });
}
