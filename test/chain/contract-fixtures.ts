// Reads test/fixtures/subtensor/<name> from the sources or from the compiled dist/test tree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export function readSubtensorFixture(name: string, gunzip = false): Buffer {
  for (const u of [new URL(`../fixtures/subtensor/${name}`, import.meta.url), new URL(`../../../test/fixtures/subtensor/${name}`, import.meta.url)]) {
    let b: Buffer;
    try { b = readFileSync(fileURLToPath(u)); } catch { continue; }
    return gunzip ? gunzipSync(b) : b;
  }
  throw new Error(`fixture test/fixtures/subtensor/${name} not found`);
}
