/**
 * `zkinfer verify DIR P1 P2 …`: read several proof files and check them as one batch (docs/zkml-prove.md,
 * batch verification). Prints a line per file (or JSON) and returns the exit code: 0 all valid, 1 any invalid.
 * Unreadable files and a batch mixing circuits throw (exit 2 in the CLI).
 */
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors/base.js';
import { verifyBatch } from './batch.js';
import { VerifyError } from './errors.js';
import { loadVerifierKey } from './index.js';

export async function verifyFilesBatch(dir: string, files: readonly string[], o: { input?: string; json?: boolean }): Promise<number> {
  if (o.input !== undefined) {
    throw new InvalidInputError('--input binds one input to one proof', { hint: 'verify each proof with its own --input, or drop --input to check several proofs against the inputs they carry' });
  }
  const key = await loadVerifierKey(dir);
  const texts = await Promise.all(files.map(async (f) => {
    try { return await readFile(f, 'utf8'); } catch (cause) { throw new VerifyError('PROOF_FORMAT', `cannot read ${f}`, { cause }); }
  }));
  const t0 = performance.now();
  const b = await verifyBatch(key, texts.map((proofFile) => ({ proofFile })));
  const ms = performance.now() - t0;
  const nValid = b.results.filter((r) => r.valid).length;
  if (o.json) {
    console.log(JSON.stringify({ results: b.results.map((r, i) => ({ file: files[i], ...r })), checks: b.checks, ms }));
  } else {
    if (key.metadata?.security === 'INSECURE-DEV') console.log('INSECURE-DEV: development keys (known-secret powers of tau) — a valid proof here is not a real guarantee');
    b.results.forEach((r, i) => console.log(r.valid ? `valid    ${files[i]}  outputs ${JSON.stringify(r.outputs ?? [])}` : `INVALID  ${files[i]}: ${r.reason}`));
    console.log(`${nValid} of ${files.length} proofs valid (batch: ${b.checks} multi-pairing check${b.checks === 1 ? '' : 's'}, ${ms.toFixed(0)} ms); inputs NOT bound: checked against the inputs inside each proof file`);
  }
  return nValid === files.length ? 0 : 1;
}
