import { readFile } from 'node:fs/promises';
import { WitnessCalculatorBuilder } from 'circom_runtime';

/**
 * Run a circom witness wasm on `{ in: [...] }` (field-element strings) and return the full witness vector.
 * `quiet` hides circom_runtime's console report of a failed assert (for callers that expect the failure).
 */
export async function computeWitness(wasmPath: string, input: Record<string, unknown>, opts: { quiet?: boolean } = {}): Promise<bigint[]> {
  const wc = await WitnessCalculatorBuilder(await readFile(wasmPath));
  if (!opts.quiet) return wc.calculateWitness(input, true);
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await wc.calculateWitness(input, true);
  } finally {
    console.log = log;
    console.error = err;
  }
}
