import { nowMs } from '../zkml/prove/clock.js';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { resolveCircuitDir } from '../circuit-ref.js';
import { PROVER_KINDS, type ProverKind } from '../zkml/prove/kinds.js';
import { ONE_SHOT_KEY_OPTIONS } from '../zkml/prove/native/addon.js';
import { checkOutputFile, writeOutputFile } from '../out-path.js';
import { printLine } from './sync-output.js';

/** Read a JSON file given on the command line, with a clear error (read synchronously: small, and a one-shot `zkinfer prove` then never loads node:fs/promises, bundle.ts). */
export async function readJsonArg(path: string, what: string): Promise<unknown> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (cause) { throw new InvalidInputError(`cannot read ${what} ${path}`, { cause }); }
  // a leading byte-order mark (Windows Notepad's UTF-8) is not part of the JSON
  try { return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown; } catch (cause) { throw new InvalidInputError(`${what} ${path} is not valid JSON`, { cause }); }
}

/**
 * `zkinfer prove DIR --input INPUT.json --out PROOF.json [--prover native|snarkjs|auto] [--recipient 0x…]`. With
 * `oneShot` (the prove bundle, whose process exits right after, program.ts runOneShot) the loaded key is not freed.
 */
export function registerProve(program: Command, opts: { oneShot?: boolean } = {}): void {
  program
    .command('prove')
    .description('prove one inference of a compiled circuit (Groth16) from an EZKL-style input file')
    .argument('<dir>', 'circuit artifacts directory (from `zkinfer compile`) or compiled zoo model name')
    .requiredOption('--input <file>', 'input JSON {"input_data": [[...floats]]}')
    .requiredOption('--out <file>', 'where to write PROOF.json')
    .option('--prover <backend>', `native | snarkjs | auto`, 'auto')
    .option('--recipient <address>', 'bind the proof to this Ethereum address (who `eth attest` credits); default 0', '0')
    .action(async (dir: string, o: { input: string; out: string; prover: string; recipient: string }) => {
      if (!PROVER_KINDS.includes(o.prover as ProverKind)) throw new InvalidInputError(`--prover must be one of ${PROVER_KINDS.join(', ')}, got "${o.prover}"`);
      const { parseRecipient } = await import('../zkml/witness/inputs.js');
      const recipient = parseRecipient(o.recipient);
      checkOutputFile(o.out, 'proof.json');
      const input = await readJsonArg(o.input, 'input file');
      const [{ InThreadProver, prove, releaseSnarkjsCurve }, { readMetadataFile }] = await Promise.all([import('../zkml/prove/index.js'), import('../zkml/artifacts/index.js')]);
      const circuit = resolveCircuitDir(dir);
      const { metadata, bytes } = readMetadataFile(circuit);
      // one proof: prove in this thread rather than start a worker that loads everything again, with the key loaded for
      // a single proof (ONE_SHOT_KEY_OPTIONS says how; docs/native-prover.md "Page faults of a fresh process", "Memory")
      const pool = new InThreadProver(o.prover as ProverKind, undefined, ONE_SHOT_KEY_OPTIONS);
      try {
        const t0 = nowMs();
        const { timings, ...file } = await prove(circuit, input, { pool, recipient, metadata });
        writeOutputFile(o.out, JSON.stringify(file, null, 1) + '\n', 'proof.json');
        // written synchronously to fd 1 (sync-output.ts): a one-shot process then never builds process.stdout
        if (file.security === 'INSECURE-DEV') printLine('INSECURE-DEV: proof made with development keys (known-secret powers of tau) — not a real guarantee');
        printLine(`proof written to ${o.out}  circuit ${file.circuit_id}  (${file.security})`);
        printLine(`outputs ${JSON.stringify(file.outputs)}`);
        printLine(`prover ${file.prover}  witness ${timings.witnessMs.toFixed(1)} ms  prove ${timings.proveMs.toFixed(1)} ms  total ${(nowMs() - t0).toFixed(0)} ms`);
        // the next `zkinfer prove` of this circuit can run without Node (plan.ts, native/src/cli_prove.cpp)
        if (file.prover === 'native') (await import('../zkml/prove/native/plan.js')).writeProvePlan(bytes, metadata);
      } finally {
        if (!opts.oneShot) await pool.close();
        await releaseSnarkjsCurve();
      }
    });
}
