/**
 * Least-squares fit of an odd polynomial around a centre: f(x) ≈ f0 + Σ_k c_k·(x − centre)^(2k+1), k = 0..K−1,
 * sampled on [lo, hi]. Small dense normal equations solved by Gaussian elimination with partial pivoting.
 */
export interface OddPoly {
  centre: number;
  offset: number;
  /** Coefficients of u, u³, u⁵, … */
  coeffs: number[];
}

export function fitOddPolynomial(f: (x: number) => number, terms: number, lo: number, hi: number, centre: number, points = 2000): OddPoly {
  const offset = f(centre);
  const A: number[][] = Array.from({ length: terms }, () => new Array<number>(terms).fill(0));
  const b = new Array<number>(terms).fill(0);
  for (let i = 0; i < points; i++) {
    const x = lo + ((hi - lo) * i) / (points - 1);
    const u = x - centre;
    const phi = Array.from({ length: terms }, (_, k) => u ** (2 * k + 1));
    const y = f(x) - offset;
    for (let r = 0; r < terms; r++) {
      b[r]! += phi[r]! * y;
      for (let c = 0; c < terms; c++) A[r]![c]! += phi[r]! * phi[c]!;
    }
  }
  return { centre, offset, coeffs: solve(A, b) };
}

export function evalOddPoly(p: OddPoly, x: number): number {
  const u = x - p.centre;
  const u2 = u * u;
  let acc = 0;
  for (let k = p.coeffs.length - 1; k >= 0; k--) acc = acc * u2 + p.coeffs[k]!;
  return p.offset + u * acc;
}

/** Solve the dense system A·x = b (Gaussian elimination, partial pivoting). */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = M[r]![c]! / M[c]![c]!;
      for (let j = c; j <= n; j++) M[r]![j]! -= k * M[c]![j]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}
