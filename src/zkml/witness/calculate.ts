import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { WitnessCalculator } from 'circom_runtime';
import { directWtns, inputIntegers } from './direct.js';
import { WitnessInputError } from './errors.js';
import { loadProgramWitness, type ProgramWitness } from './tape-cache.js';

type Generator = { kind: 'wasm'; wc: WitnessCalculator } | ({ kind: 'program' } & ProgramWitness);

/**
 * True when the file starts with the WebAssembly magic (a circom witness generator). Read synchronously, as are the
 * witness generator itself, the witness program and its tape (tape-cache.ts): once per circuit and process, and not
 * queued behind the artifacts' hash check on libuv's pool (docs/network.md "CLI start-up", rounds 8 and 10).
 */
function isWasm(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    return b.toString('latin1') === '\0asm';
  } finally {
    closeSync(fd);
  }
}

/**
 * Computes witnesses in memory from a circuit's witness generator, keeping one loaded generator per file: the
 * direct backend's witness program (`witness.json`, run as its recorded witness tape, or by the exact emulator's walk,
 * docs/zkml-compile.md) or a circom
 * witness.wasm (the same runtime snarkjs's `wtns calculate` uses, for hand-written circom circuits).
 */
export class WitnessEngine {
  private readonly generators = new Map<string, Promise<Generator>>();

  private generator(path: string): Promise<Generator> {
    let c = this.generators.get(path);
    if (!c) {
      c = (async (): Promise<Generator> => isWasm(path)
        ? { kind: 'wasm', wc: await (await import('circom_runtime')).WitnessCalculatorBuilder(readFileSync(path)) } // loaded for circom circuits only
        : { kind: 'program', ...await loadProgramWitness(path) })();
      c.catch(() => this.generators.delete(path));
      this.generators.set(path, c);
    }
    return c;
  }

  /** The witness of `signals` as .wtns bytes (what Groth16 provers take). */
  async wtns(path: string, signals: Record<string, unknown>): Promise<Uint8Array> {
    const gen = await this.generator(path);
    if (gen.kind === 'program') {
      const ins = signals['in'];
      if (!Array.isArray(ins)) throw new WitnessInputError('WITNESS_FAILED', 'the witness program takes its inputs as signals.in (an array of field elements)', { hint: 'quantize the input with quantizeInputs' });
      const r = signals['recipient'];
      const recipient = Array.isArray(r) ? (r[0] as string) : 0n;
      // the recorded tape (docs/zkml-compile.md "Witness tape"); an input it rejects goes through the emulator's
      // walk, whose typed error names the gadget and the value
      const out = gen.tape?.wtns(inputIntegers(ins as string[], gen.tape.header.nIn), BigInt(recipient));
      if (out instanceof Uint8Array) return out;
      const wtns = directWtns(await gen.program(), ins as string[], recipient);
      if (out === 'rejected') throw new Error('the witness tape rejected an input that the emulator accepts (a zkinfer bug: set ZKINFER_WITNESS_TAPE=0)');
      return wtns;
    }
    try {
      return await gen.wc.calculateWTNSBin(signals, true);
    } catch (cause) {
      const msg = cause instanceof Error ? cause.message : String(cause);
      throw new WitnessInputError('WITNESS_FAILED', `the circuit rejected the input while computing the witness: ${msg.split('\n')[0]}`, {
        hint: 'an in-circuit assertion failed (typically a value out of the range the circuit was compiled for)', cause,
      });
    }
  }

  forget(path?: string): void {
    if (path) this.generators.delete(path); else this.generators.clear();
  }
}
