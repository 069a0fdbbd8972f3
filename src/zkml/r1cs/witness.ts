import { readFile } from 'node:fs/promises';
import { WitnessCalculatorBuilder } from 'circom_runtime';

/** Run a circom witness wasm on `{ in: [...] }` (field-element strings) and return the full witness vector. */
export async function computeWitness(wasmPath: string, input: Record<string, unknown>): Promise<bigint[]> {
  const wc = await WitnessCalculatorBuilder(await readFile(wasmPath));
  return wc.calculateWitness(input, true);
}
