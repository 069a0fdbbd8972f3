import { createHash, webcrypto } from 'node:crypto';
import { open } from 'node:fs/promises';

/** File names inside a circuit artifacts directory (docs/zkml-prove.md). */
export const ARTIFACT_FILES = {
  metadata: 'metadata.json',
  r1cs: 'circuit.r1cs',
  /** circom witness generator (hand-written circom circuits). */
  wasm: 'witness.wasm',
  /** Direct backend's witness program, run by the exact emulator (docs/zkml-compile.md). */
  program: 'witness.json',
  /** Readable Circom export of the same program, for audit (not used to prove). */
  circom: 'circuit.circom',
  sym: 'circuit.sym',
  zkey: 'circuit.zkey',
  vk: 'vk.json',
} as const;

/** Files up to this size are hashed whole, off the main thread; larger ones (keys of GBs) are streamed. */
const WHOLE_FILE_MAX = 64 << 20;

/**
 * sha256 (hex) of a file. A file up to 64 MiB is read whole and digested by WebCrypto, whose digest runs on libuv's
 * thread pool: the main thread stays free (a `zkinfer prove` computes its witness meanwhile, docs/network.md "CLI
 * start-up"). A larger one is streamed in 1 MiB reads, so memory stays flat.
 */
export async function sha256File(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    if ((await fh.stat()).size <= WHOLE_FILE_MAX) return Buffer.from(await webcrypto.subtle.digest('SHA-256', await fh.readFile())).toString('hex');
    const hash = createHash('sha256');
    for await (const chunk of fh.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await fh.close();
  }
}
