import { readFile, stat } from 'node:fs/promises';
import type { Groth16Prover, Groth16ProveResult } from './types.js';

/**
 * The snarkjs Groth16 backend (WASM multi-exponentiations in ffjavascript's worker threads). Keeps each
 * zkey's bytes in memory after first use, so a warm prove reads nothing from disk. snarkjs itself is loaded on
 * the first proof, so a process proving natively never loads it (docs/network.md, "CLI start-up"). A key of
 * MEM_KEY_MAX bytes or more is passed by path (snarkjs pages it in: one Node buffer holds at most 2 GiB, and a
 * 2^22-constraint key is about that; docs/zkml-compile.md "Memory").
 */
export const MEM_KEY_MAX = 1 << 30;

export class SnarkjsProver implements Groth16Prover {
  readonly name = 'snarkjs' as const;
  private readonly zkeys = new Map<string, Promise<Uint8Array | string>>();

  /** `memKeyMax`: keys of this many bytes or more are proven from their file (default MEM_KEY_MAX). */
  constructor(private readonly memKeyMax = MEM_KEY_MAX) {}

  private zkey(path: string): Promise<Uint8Array | string> {
    let z = this.zkeys.get(path);
    if (!z) {
      z = stat(path).then(async (st) => (st.size >= this.memKeyMax ? path : readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))));
      z.catch(() => this.zkeys.delete(path));
      this.zkeys.set(path, z);
    }
    return z;
  }

  async prove(zkeyPath: string, wtns: Uint8Array): Promise<Groth16ProveResult> {
    const [zkey, snarkjs] = await Promise.all([this.zkey(zkeyPath), import('snarkjs')]);
    const { proof, publicSignals } = await snarkjs.groth16.prove(typeof zkey === 'string' ? zkey : { type: 'mem', data: zkey }, { type: 'mem', data: wtns });
    return { proof, publicSignals };
  }

  async close(): Promise<void> {
    this.zkeys.clear();
  }
}
