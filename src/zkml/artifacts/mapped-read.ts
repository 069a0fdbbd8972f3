// Whole files read by mapping them through the native addon (mapLatin1 / mapFile, native/src/addon.cpp;
// docs/network.md "CLI start-up", round 10): a one-shot `zkinfer prove` reads its ≈ 400 kB bundle, the bundle's
// ≈ 480 kB V8 code cache and the ≈ 1 MB witness tape this way, without reading them into fresh pages or copying them
// into a V8 string. Only for files that are replaced by rename, never rewritten in place (those three). Without the
// addon, or when mapping fails, readFileSync reads the file (and says why it cannot).
import { readFileSync } from 'node:fs';
import { loadNativeAddon } from '../prove/native/addon.js';

/** The file's bytes as a one-byte string (each byte one character, as readFileSync(path, 'latin1')). */
export function readLatin1(path: string): string {
  const map = loadNativeAddon()?.mapLatin1;
  if (map) {
    try { return map(path); } catch { /* readFileSync reads it or says why not */ }
  }
  return readFileSync(path, 'latin1');
}

/** The file's bytes (a copy-on-write private mapping: a write never reaches the file). */
export function readBytes(path: string): Buffer {
  const map = loadNativeAddon()?.mapFile;
  if (map) {
    try { return Buffer.from(map(path)); } catch { /* readFileSync reads it or says why not */ }
  }
  return readFileSync(path);
}
