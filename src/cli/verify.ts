import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ZkinferError } from '../errors/base.js';
import { resolveCircuitDir } from '../circuit-ref.js';
import { readJsonArg } from './prove.js';

/**
 * `zkinfer verify DIR PROOF.json [--input INPUT.json]` — exit 0 valid, 1 invalid, 2 error. With several proof
 * files: one batch check (docs/zkml-prove.md, batch verification), a line per file, exit 1 when any is invalid and
 * 2 when any file is not a proof file at all (as `verify DIR FILE` alone). With --json an error is a JSON object
 * on stdout too.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a proof (exit 0 valid, 1 invalid, 2 error); with --input, against YOUR inputs')
    .argument('<dir>', 'circuit artifacts directory')
    .argument('<proofs...>', 'PROOF.json from `zkinfer prove` (several: verified as one batch)')
    .option('--input <file>', 'your own input {"input_data": [[...]]}: substituted into the public signals before checking')
    .option('--recipient <address>', 'with --input: the recipient the proof must be bound to (default 0)', '0')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, proofPaths: string[], o: { input?: string; recipient: string; json?: boolean }) => {
      const [{ verifyFile, parseProofFile }, { releaseSnarkjsCurve }, { parseRecipient }] = await Promise.all([
        import('../zkml/verify/index.js'), import('../zkml/prove/curve.js'), import('../zkml/witness/inputs.js'),
      ]);
      try {
        if (proofPaths.length > 1) {
          const { verifyFilesBatch } = await import('../zkml/verify/batch-files.js');
          const code = await verifyFilesBatch(resolveCircuitDir(dir), proofPaths, o);
          // a file that is no proof file is an error (2), as it is alone; each is listed above with its reason
          process.exitCode = code !== 0 && proofPaths.some((p) => !isProofFile(p, parseProofFile)) ? 2 : code;
          return;
        }
        const proofPath = proofPaths[0]!;
        const input = o.input ? await readJsonArg(o.input, 'input file') : undefined;
        const t0 = performance.now();
        const r = await verifyFile(resolveCircuitDir(dir), proofPath, input === undefined ? {} : { input, recipient: parseRecipient(o.recipient) });
        const ms = performance.now() - t0;
        if (o.json) {
          console.log(JSON.stringify({ ...r, ms }));
        } else {
          if (r.security === 'INSECURE-DEV') console.log('INSECURE-DEV: development keys (known-secret powers of tau) — a valid proof here is not a real guarantee');
          if (r.valid) {
            console.log(`valid  circuit ${r.circuitId}${r.inputsBound ? '  (bound to your inputs)' : ''}`);
            if (!r.inputsBound) console.log('inputs NOT bound: checked against the inputs inside the proof file — pass --input YOUR.json to check the proof is about your input');
            if (r.outputs) console.log(`outputs ${JSON.stringify(r.outputs)}`);
          } else {
            console.log(`INVALID: ${r.reason}`);
          }
        }
        process.exitCode = r.valid ? 0 : 1;
      } catch (err) {
        // Exit code 1 means "invalid proof"; anything that stopped verification is an error (2).
        const message = err instanceof Error ? err.message : String(err);
        console.error(`error: ${err instanceof ZkinferError ? err.describe() : message}`);
        if (o.json) console.log(JSON.stringify({ valid: false, error: { code: err instanceof ZkinferError ? err.code : 'INTERNAL', message, ...(err instanceof ZkinferError && err.hint ? { hint: err.hint } : {}) } }));
        process.exitCode = 2;
      } finally {
        await releaseSnarkjsCurve();
      }
    });
}

/** Whether `path` reads as a proof file (the check `verify DIR FILE` makes before anything else). */
function isProofFile(path: string, parse: (x: unknown) => unknown): boolean {
  try {
    parse(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}
