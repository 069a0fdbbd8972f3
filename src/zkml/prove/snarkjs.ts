import { readFile } from 'node:fs/promises';
import type { Groth16Prover, Groth16ProveResult } from './types.js';

/**
 * The snarkjs Groth16 backend (WASM multi-exponentiations in ffjavascript's worker threads). Keeps each
 * zkey's bytes in memory after first use, so a warm prove reads nothing from disk. snarkjs itself is loaded on
 * the first proof, so a process proving natively never loads it (docs/network.md, "CLI start-up").
 */
export class SnarkjsProver implements Groth16Prover {
  readonly name = 'snarkjs' as const;
  private readonly zkeys = new Map<string, Promise<Uint8Array>>();

  private zkey(path: string): Promise<Uint8Array> {
    let z = this.zkeys.get(path);
    if (!z) {
      z = readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      z.catch(() => this.zkeys.delete(path));
      this.zkeys.set(path, z);
    }
    return z;
  }

  async prove(zkeyPath: string, wtns: Uint8Array): Promise<Groth16ProveResult> {
    const [zkey, snarkjs] = await Promise.all([this.zkey(zkeyPath), import('snarkjs')]);
    const { proof, publicSignals } = await snarkjs.groth16.prove({ type: 'mem', data: zkey }, { type: 'mem', data: wtns });
    return { proof, publicSignals };
  }

  async close(): Promise<void> {
    this.zkeys.clear();
  }
}
