import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per-proof timings reported by the addon (milliseconds; counts of MSM terms). */
export interface NativeTimings {
  abcMs: number;
  fftMs: number;
  msmAMs: number;
  msmB1Ms: number;
  msmB2Ms: number;
  msmCMs: number;
  msmHMs: number;
  totalMs: number;
  /** Non-zero terms over all five MSMs. */
  msmPoints: number;
  /** Non-zero witness terms (A, B1, B2, C MSMs). */
  witnessTerms: number;
  /** Of those, terms whose scalar (folded to min(s, r − s)) fits in 64 bits. */
  smallTerms: number;
  /** Key pages this proof released from the process once it was done with them (0 for a key in anonymous memory). */
  releasedBytes: number;
}

/** What the C++ addon's ProvingKey.prove resolves to (checked with zod by the caller). */
export interface NativeRawProof {
  pi_a: unknown;
  pi_b: unknown;
  pi_c: unknown;
  publicSignals: unknown;
  timings: NativeTimings;
}

/** Options of one key load (defaults: $ZKINFER_NATIVE_PRECOMPUTE or 1, $ZKINFER_NATIVE_KEY_CACHE or on, releasePages off). */
export interface NativeKeyOptions {
  /** Fixed-base factor t (1–8): t − 1 precomputed tables per point set. */
  precompute?: number;
  /** Read/write the validated sidecar `<zkey>.t<t>.zkn` beside the key. */
  cache?: boolean;
  /**
   * Hand each key section's mapped pages back after its use in a proof (default: $ZKINFER_NATIVE_RELEASE_PAGES=1, else
   * off). For a process that proves once (`zkinfer prove`): a lower peak RSS. A warm prover keeps it off, since every
   * later proof would fault the key back in (docs/native-prover.md "Memory").
   */
  releasePages?: boolean;
  /**
   * Read a valid sidecar of at most this many bytes into 2 MB huge pages instead of mapping it (default 0: always
   * mapped). For a process that proves once: on a VM that shadows page tables each 4 KB page of a mapped key costs a
   * slow first touch (native/src/keycache.hpp; docs/native-prover.md "Page faults of a fresh process").
   */
  copyUpTo?: number;
}

/** What a loaded key reports (sizes, fixed-base factor, how it was loaded). */
export interface NativeKeyInfo {
  nVars: number;
  nPublic: number;
  domainSize: number;
  /** Bytes of the key's storage block (coefficients, points, tables). */
  bytes: number;
  precompute: number;
  /** The sidecar was valid: no parsing, no point validation. */
  cacheHit: boolean;
  cacheWritten: boolean;
  /** The .zkey content was hashed (first load, or its mtime changed). */
  hashed: boolean;
  /** The sidecar was read into huge pages (copyUpTo), not mapped. */
  copied: boolean;
  loadMs: number;
  /** Sidecar path ("" when none was used or written). */
  sidecar: string;
}

/** One loaded .zkey held in C++ memory. */
export interface NativeProvingKey {
  load(path: string, options?: NativeKeyOptions): Promise<void>;
  prove(wtns: Uint8Array): Promise<NativeRawProof>;
  /** One entry per witness: the proof, or `{error}` for a witness that could not be proven. */
  proveBatch(wtns: Uint8Array[]): Promise<Array<NativeRawProof | { error: string }>>;
  close(): void;
  info(): NativeKeyInfo | null;
}

export interface NativeAddon {
  ProvingKey: new () => NativeProvingKey;
  /** Worker threads the MSM/FFT use (hardware concurrency unless ZKINFER_NATIVE_THREADS is set). */
  threads: number;
  /**
   * Setup (native/src/setup.cpp): k_i·B for 32-byte little-endian scalars, base and result affine Montgomery LE
   * (as .ptau/.zkey store points). Absent in addons built before it was added.
   */
  fixedBaseMul?: (group: 'G1' | 'G2', base: Uint8Array, scalars: Uint8Array) => Promise<Uint8Array>;
  /**
   * Witness tape interpreter (native/src/witness.cpp, docs/zkml-compile.md "Witness tape"): writes the witness into
   * `out` and returns null, or says why not. Absent in addons built before it was added.
   */
  witnessTape?: (tape: Uint8Array, inputs: Uint8Array, recipient: Uint8Array, out: Uint8Array) =>
    null | { status: 'rejected' | 'overflow' | 'malformed'; message: string };
  /**
   * sha256 (lower-case hex) of a file, read and hashed on libuv's pool (native/src/sha256.cpp, OpenSSL's code from the
   * Node binary); rejects when the file cannot be read. Absent in addons built before it was added.
   */
  sha256File?: (path: string) => Promise<string>;
  /**
   * sha256 of each file, read and hashed one after another in one job on libuv's pool (null for a file that cannot be
   * read): no JS turn is needed between files. Absent in older addons.
   */
  sha256Files?: (paths: string[]) => Promise<(string | null)[]>;
  /** sha256 (lower-case hex) of bytes, on the calling thread (the same OpenSSL code). Absent in older addons. */
  sha256?: (data: Uint8Array) => string;
  /** The whole file as a one-byte string V8 reads from a mapping (external string); throws (code IO) when it cannot be mapped. Absent in older addons. */
  mapLatin1?: (path: string) => string;
  /** The whole file as an ArrayBuffer over a private mapping, unmapped when collected; throws (code IO) when it cannot be mapped. Absent in older addons. */
  mapFile?: (path: string) => ArrayBuffer;
  /**
   * A zeroed ArrayBuffer of `bytes` in whole 2 MB huge pages, given back to the addon's pool when collected: one page
   * fault per 2 MB instead of one per 4 KB (native/src/addon.cpp). Absent in older addons.
   */
  hugeBuffer?: (bytes: number) => ArrayBuffer;
}

/**
 * The key options of a process that proves once (`zkinfer prove`): a key of up to 32 MiB read into huge pages (fewer
 * page faults, for up to 32 MB more peak memory), a larger one mapped with each section's pages handed back after
 * its use (a lower peak RSS; docs/native-prover.md "Memory").
 */
export const ONE_SHOT_KEY_OPTIONS: NativeKeyOptions = { releasePages: true, copyUpTo: 32 * 1024 * 1024 };

/** The repository root: the nearest folder above this module with zkinfer's package.json (works from src/ and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'zkinfer') return dir;
      } catch {
        /* not ours; keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('zkinfer package root not found');
    dir = up;
  }
}

/** Path of the built addon: $ZKINFER_NATIVE_ADDON, else native/build/Release/zkinfer_prover.node. */
export function addonPath(): string {
  return process.env.ZKINFER_NATIVE_ADDON ?? join(packageRoot(), 'native', 'build', 'Release', 'zkinfer_prover.node');
}

let cached: { addon: NativeAddon | null; error: string | null } | undefined;

/** Load the compiled addon once; null (with the reason in `nativeAddonError()`) when it is not built or fails to load. */
export function loadNativeAddon(): NativeAddon | null {
  if (!cached) {
    try {
      const path = addonPath();
      if (!existsSync(path)) {
        cached = { addon: null, error: `native prover addon not built (${path} missing); run \`npm run build:native\`` };
      } else {
        const require = createRequire(import.meta.url);
        cached = { addon: require(path) as NativeAddon, error: null };
      }
    } catch (err) {
      cached = { addon: null, error: `native prover addon failed to load: ${(err as Error).message}` };
    }
  }
  return cached.addon;
}

/** Why `loadNativeAddon()` returned null (undefined when it loaded or was not tried). */
export function nativeAddonError(): string | undefined {
  return cached?.error ?? undefined;
}
