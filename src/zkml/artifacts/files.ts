import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** File names inside a circuit artifacts directory (ARCHITECTURE.md §3). */
export const ARTIFACT_FILES = {
  metadata: 'metadata.json',
  r1cs: 'circuit.r1cs',
  wasm: 'witness.wasm',
  zkey: 'circuit.zkey',
  vk: 'vk.json',
} as const;

/** sha256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
