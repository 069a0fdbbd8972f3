// Reads test/fixtures/subtensor/<name> from the sources or from the compiled dist/test tree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';

export function readSubtensorFixture(name: string, gunzip = false): Buffer {
  for (const u of [new URL(`../fixtures/subtensor/${name}`, import.meta.url), new URL(`../../../test/fixtures/subtensor/${name}`, import.meta.url)]) {
    let b: Buffer;
    try { b = readFileSync(fileURLToPath(u)); } catch { continue; }
    return gunzip ? gunzipSync(b) : b;
  }
  throw new Error(`fixture test/fixtures/subtensor/${name} not found`);
}

/** The transcript placeholders for the stored metadata: `$METADATA` (raw bytes) and `$METADATA_OPTION` (as `Option<Bytes>`). */
export function metadataSubstitutions(meta: Uint8Array): Record<string, string> {
  return { $METADATA: u8aToHex(meta), $METADATA_OPTION: u8aToHex(new TypeRegistry().createType('Option<Bytes>', u8aToHex(meta)).toU8a()) };
}
