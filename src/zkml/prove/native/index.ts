import { resolve } from 'node:path';
import * as z from '../../../zod-mini.js';
import type { Groth16Prover, Groth16ProveResult } from '../types.js';
import { loadNativeAddon, type NativeAddon, type NativeKeyInfo, type NativeKeyOptions, type NativeProvingKey, type NativeRawProof, type NativeTimings } from './addon.js';
import { NativeProverError } from './errors.js';

export { NativeProverError } from './errors.js';
export { nativeAddonError, addonPath, type NativeTimings, type NativeKeyInfo, type NativeKeyOptions } from './addon.js';

const decimal = z.matching(/^[0-9]+$/);
/** The addon's answer, checked before it leaves this module (the C++ boundary; exported for test/zkml/schema-verdicts.test.ts). */
export const RawProofSchema = z.object({
  pi_a: z.tuple([decimal, decimal, z.literal('1')]),
  pi_b: z.tuple([z.tuple([decimal, decimal]), z.tuple([decimal, decimal]), z.tuple([z.literal('1'), z.literal('0')])]),
  pi_c: z.tuple([decimal, decimal, z.literal('1')]),
  publicSignals: z.array(decimal),
});

export interface NativeProveResult extends Groth16ProveResult {
  timings: NativeTimings;
}

/** One witness's outcome in `proveBatch`: its proof, or the typed error that witness alone got. */
export type NativeBatchResult = { ok: true; result: NativeProveResult } | { ok: false; error: NativeProverError };

/**
 * Groth16 prover backed by the C++ addon. Each .zkey is parsed once (validated: sizes, field elements, points
 * on the curve) and kept in native memory per resolved path until `unload(path)` or `close()`.
 */
export class NativeGroth16Prover implements Groth16Prover {
  readonly name = 'native' as const;
  private readonly keys = new Map<string, Promise<NativeProvingKey>>();

  /** `keyOptions` apply to every key this prover loads (see NativeKeyOptions for the defaults). */
  constructor(private readonly addon: NativeAddon, private readonly keyOptions: NativeKeyOptions = {}) {
    const t = keyOptions.precompute;
    if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= 8)) {
      throw new NativeProverError('NATIVE_PROVER_FAILED', `precompute must be an integer from 1 to 8, got ${t}`, { hint: 'use 1 (no tables) up to 8 (8× the key\'s point memory)' });
    }
  }

  /** Worker threads the addon uses for MSMs and FFTs. */
  get threads(): number {
    return this.addon.threads;
  }

  async prove(zkeyPath: string, wtns: Uint8Array): Promise<Groth16ProveResult> {
    const { proof, publicSignals } = await this.proveWithTimings(zkeyPath, wtns);
    return { proof, publicSignals };
  }

  /** Like `prove`, plus the addon's per-phase timings. */
  async proveWithTimings(zkeyPath: string, wtns: Uint8Array): Promise<NativeProveResult> {
    if (!(wtns instanceof Uint8Array)) {
      throw new NativeProverError('WITNESS_INVALID', 'witness must be the bytes of a .wtns file', { hint: 'pass the Uint8Array from snarkjs wtns.calculate or readFile(<file>.wtns)' });
    }
    const key = await this.key(zkeyPath);
    let raw;
    try {
      raw = await key.prove(wtns);
    } catch (err) {
      throw toError(err, zkeyPath);
    }
    return checkedProof(raw);
  }

  /**
   * Several witnesses of one key proven in one native pass (concurrent proofs share the cores; see
   * docs/native-prover.md "Batched proving"). Results keep the input order; a bad witness fails only its entry.
   */
  async proveBatch(zkeyPath: string, witnesses: Uint8Array[]): Promise<NativeBatchResult[]> {
    if (!Array.isArray(witnesses) || witnesses.some((w) => !(w instanceof Uint8Array))) {
      throw new NativeProverError('WITNESS_INVALID', 'proveBatch needs an array of .wtns byte arrays', { hint: 'pass Uint8Arrays from snarkjs wtns.calculate or readFile(<file>.wtns)' });
    }
    if (witnesses.length === 0) return [];
    const key = await this.key(zkeyPath);
    let raw;
    try {
      raw = await key.proveBatch(witnesses);
    } catch (err) {
      throw toError(err, zkeyPath);
    }
    return raw.map((r): NativeBatchResult => {
      if ('error' in r) return { ok: false, error: toError({ code: 'WITNESS_INVALID', message: r.error }, zkeyPath) };
      try {
        return { ok: true, result: checkedProof(r) };
      } catch (err) {
        return { ok: false, error: err as NativeProverError };
      }
    });
  }

  /** Load (or return the already loaded) key for a .zkey path. */
  async load(zkeyPath: string): Promise<NativeKeyInfo> {
    const info = (await this.key(zkeyPath)).info();
    if (!info) throw new NativeProverError('NATIVE_PROVER_FAILED', `proving key ${zkeyPath} was closed while in use`);
    return info;
  }

  /** Start loading a key in the background (the addon loads on libuv's thread pool); its error, if any, is the next prove's. */
  preload(zkeyPath: string): void {
    this.key(zkeyPath).catch(() => undefined);
  }

  /** Free the native memory held for one .zkey (a later prove loads it again). */
  async unload(zkeyPath: string): Promise<void> {
    const path = resolve(zkeyPath);
    const pending = this.keys.get(path);
    if (!pending) return;
    this.keys.delete(path);
    const key = await pending.catch(() => undefined);
    key?.close();
  }

  /** Free every loaded key. */
  async close(): Promise<void> {
    await Promise.all([...this.keys.keys()].map((p) => this.unload(p)));
  }

  private key(zkeyPath: string): Promise<NativeProvingKey> {
    const path = resolve(zkeyPath);
    let pending = this.keys.get(path);
    if (!pending) {
      const key = new this.addon.ProvingKey();
      pending = key.load(path, this.keyOptions).then(
        () => key,
        (err: unknown) => {
          this.keys.delete(path);
          throw toError(err, path);
        },
      );
      this.keys.set(path, pending);
    }
    return pending;
  }
}

/** The addon's answer checked with zod (the C++ boundary) and shaped as snarkjs's result. */
function checkedProof(raw: NativeRawProof): NativeProveResult {
  const parsed = RawProofSchema.safeParse(raw);
  if (!parsed.success) {
    throw new NativeProverError('NATIVE_PROVER_FAILED', `native prover returned a malformed proof: ${parsed.error.message}`, { hint: 'rebuild the addon (`npm run build:native`) or use --prover snarkjs' });
  }
  const { pi_a, pi_b, pi_c, publicSignals } = parsed.data;
  return { proof: { pi_a, pi_b, pi_c, protocol: 'groth16', curve: 'bn128' }, publicSignals, timings: raw.timings };
}

function toError(err: unknown, zkeyPath: string): NativeProverError {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  if (e?.code === 'ZKEY_INVALID') {
    return new NativeProverError('ZKEY_INVALID', `cannot use proving key ${zkeyPath}: ${message}`, {
      hint: 'regenerate the key with `zkinfer setup` (or snarkjs zkey new) — the file is missing, truncated or corrupted',
      cause: err,
    });
  }
  if (e?.code === 'WITNESS_INVALID') {
    return new NativeProverError('WITNESS_INVALID', `cannot prove with this witness: ${message}`, {
      hint: 'compute the witness with the witness generator (witness.json or witness.wasm) of the same circuit as the .zkey',
      cause: err,
    });
  }
  return new NativeProverError('NATIVE_PROVER_FAILED', `native prover failed: ${message}`, { hint: 'retry with --prover snarkjs', cause: err });
}

/** The native prover, or null (never throws) when the addon is not built or cannot load; see `nativeAddonError()`. */
export function loadNativeProver(keyOptions: NativeKeyOptions = {}): NativeGroth16Prover | null {
  const addon = loadNativeAddon();
  return addon ? new NativeGroth16Prover(addon, keyOptions) : null;
}

/** Whether the addon is built and loads. */
export function nativeProverAvailable(): boolean {
  return loadNativeAddon() !== null;
}

