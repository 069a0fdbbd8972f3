/** Ridge least squares for the baseline submissions (docs/competitions.md, baselines). */
import { solve } from '../models/scoring/polyfit.js';

/**
 * Fit y ≈ W·x + b for each target column by ridge regression (bias not penalised). `xs[i]` features, `ys[i]`
 * targets. Returns W as rows per target (the Gemm transB layout) and b.
 */
export function ridgeFit(xs: readonly number[][], ys: readonly number[][], lambda: number): { W: number[][]; b: number[] } {
  const d = xs[0]!.length + 1;
  const A: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const nOut = ys[0]!.length;
  const B: number[][] = Array.from({ length: nOut }, () => new Array<number>(d).fill(0));
  xs.forEach((x, i) => {
    const phi = [...x, 1];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) A[r]![c]! += phi[r]! * phi[c]!;
      for (let k = 0; k < nOut; k++) B[k]![r]! += phi[r]! * ys[i]![k]!;
    }
  });
  for (let r = 0; r < d - 1; r++) A[r]![r]! += lambda;
  const sol = B.map((rhs) => solve(A, rhs));
  return { W: sol.map((s) => s.slice(0, d - 1)), b: sol.map((s) => s[d - 1]!) };
}
