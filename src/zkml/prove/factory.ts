import { SnarkjsProver } from './snarkjs.js';
import type { Groth16Prover } from './types.js';

import type { ProverKind } from './kinds.js';
import type { NativeKeyOptions } from './native/addon.js';

export { PROVER_KINDS, type ProverKind } from './kinds.js';

/**
 * A Groth16 backend by name. 'native' and 'auto' use the C++ addon (src/zkml/prove/native) when it is built
 * and loads, with `nativeKeys` for every key it loads; otherwise they fall back to snarkjs and say so through
 * `notice` (default: stderr).
 */
export async function getProver(
  kind: ProverKind = 'auto',
  notice: (msg: string) => void = (m) => console.error(m),
  nativeKeys: NativeKeyOptions = {},
): Promise<Groth16Prover> {
  if (kind === 'snarkjs') return new SnarkjsProver();
  let why = 'the native addon is not built (run `npm run build:native`)';
  try {
    const native = (await import('./native/index.js')) as { loadNativeProver?: (o: NativeKeyOptions) => Groth16Prover | null };
    const p = native.loadNativeProver?.(nativeKeys) ?? null;
    if (p) return p;
  } catch (err) {
    why = `the native prover failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
  notice(`notice: ${kind === 'native' ? 'native prover requested but ' : ''}${why}; proving with snarkjs`);
  return new SnarkjsProver();
}
