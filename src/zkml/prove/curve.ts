/**
 * snarkjs shares one BN254 curve (ffjavascript, WASM + worker threads) per process, built on first use
 * and kept in globalThis.curve_bn128. Its workers keep a process alive: call this when done proving or
 * verifying (CLI commands, tests). A later snarkjs call builds a fresh curve.
 */
export async function releaseSnarkjsCurve(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  const curve = g.curve_bn128;
  g.curve_bn128 = null;
  if (curve) await curve.terminate();
}

/** The shared snarkjs BN254 curve (built once per process). snarkjs is loaded here, on first use only. */
export async function snarkjsCurve(): Promise<any> {
  const snarkjs = await import('snarkjs');
  return snarkjs.curves.getCurveFromName('bn128');
}
