import { readFile } from 'node:fs/promises';
import { WitnessCalculatorBuilder, type WitnessCalculator } from 'circom_runtime';
import { WitnessInputError } from './errors.js';

/**
 * Computes witnesses in memory from a circom witness.wasm (the same runtime snarkjs's `wtns calculate` uses,
 * without circom's CommonJS generate_witness.js), keeping one compiled calculator per wasm file.
 */
export class WitnessEngine {
  private readonly calculators = new Map<string, Promise<WitnessCalculator>>();

  private calculator(wasmPath: string): Promise<WitnessCalculator> {
    let c = this.calculators.get(wasmPath);
    if (!c) {
      c = readFile(wasmPath).then((bytes) => WitnessCalculatorBuilder(bytes));
      c.catch(() => this.calculators.delete(wasmPath));
      this.calculators.set(wasmPath, c);
    }
    return c;
  }

  /** The witness of `signals` as .wtns bytes (what Groth16 provers take). */
  async wtns(wasmPath: string, signals: Record<string, unknown>): Promise<Uint8Array> {
    const wc = await this.calculator(wasmPath);
    try {
      return await wc.calculateWTNSBin(signals, true);
    } catch (cause) {
      const msg = cause instanceof Error ? cause.message : String(cause);
      throw new WitnessInputError('WITNESS_FAILED', `the circuit rejected the input while computing the witness: ${msg.split('\n')[0]}`, {
        hint: 'an in-circuit assertion failed (typically a value out of the range the circuit was compiled for)', cause,
      });
    }
  }

  forget(wasmPath?: string): void {
    if (wasmPath) this.calculators.delete(wasmPath); else this.calculators.clear();
  }
}
