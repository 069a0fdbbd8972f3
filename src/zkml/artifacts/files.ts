import { open } from 'node:fs/promises';
import { loadNativeAddon } from '../prove/native/addon.js';
import { nodeCrypto } from '../format/circuit-id-node.js';
import { takePrefetchedHash } from './prefetch.js';

export { ARTIFACT_FILES } from './names.js';

/**
 * sha256 (hex) of a file. With the native addon built, the file is read and hashed on libuv's pool
 * (native/src/sha256.cpp), so the JS thread computes the witness meanwhile (docs/network.md "CLI start-up", round 8);
 * a file it cannot read goes to the JS path below, whose error is the file system's own.
 */
export async function sha256File(path: string): Promise<string> {
  const early = takePrefetchedHash(path); // a one-shot `zkinfer prove` started it before its bundle loaded (prefetch.ts)
  if (early) {
    try {
      return await early;
    } catch {
      /* hashed again below */
    }
  }
  const native = loadNativeAddon()?.sha256File;
  if (native) {
    try {
      return await native(path);
    } catch {
      /* the JS read below reports why */
    }
  }
  return sha256FileJs(path);
}

/**
 * sha256 (hex) of a file on the JS thread, read in 1 MiB chunks into one reused buffer (memory flat for keys of any
 * size; no stream machinery, which a one-shot `zkinfer prove` pays for, docs/network.md "CLI start-up"). WebCrypto's
 * async digest is no cheaper on Node 20: it spends longer on the main thread copying the data than hashing it takes.
 */
export async function sha256FileJs(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const hash = nodeCrypto().createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return hash.digest('hex');
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
