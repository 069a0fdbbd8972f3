import { buildBn128, ChaCha } from 'ffjavascript';

/** One BN254 group in ffjavascript's WASM: G1 (prefix g1m, 32-byte coordinates) or G2 (g2m, 64-byte). */
export type GroupName = 'G1' | 'G2';

/**
 * Fast fixed-base scalar multiplication k·G for many scalars k, in the BN254 WASM of ffjavascript, for
 * setup only (dev ptau, direct zkey). A comb table T[j][d] = d·2^(8j)·G (32 windows × 255 entries) turns
 * each multiplication into ≤ 32 mixed additions instead of ~380 group operations of a plain double-and-add.
 * Output points are affine in Montgomery form ("LEM"), exactly as .ptau/.zkey files store them.
 * Uses a private single-thread curve instance, so it never touches the shared snarkjs curve.
 */
export class FixedBaseEngine {
  private constructor(private readonly curve: any) {}

  static async create(): Promise<FixedBaseEngine> {
    return new FixedBaseEngine(await buildBn128(true));
  }

  private get ex(): any { return this.curve.tm.instance.exports; }
  private get u8(): Uint8Array { return this.curve.tm.u8; }

  /** Bytes of an affine point of the group. */
  static affineSize(g: GroupName): number { return g === 'G1' ? 64 : 128; }

  /** Reserve `bytes` of WASM memory (growing it if needed); returns a pointer. Released by reset(). */
  private alloc(bytes: number): number {
    const tm = this.curve.tm;
    const p = tm.alloc(bytes);
    // WASM batch functions take scratch space above the free pointer: keep 16 MiB of headroom.
    const need = p + bytes + (16 << 20) - tm.memory.buffer.byteLength;
    if (need > 0) {
      tm.memory.grow(Math.ceil(need / 65536) + 16);
      tm.u8 = new Uint8Array(tm.memory.buffer);
      tm.u32 = new Uint32Array(tm.memory.buffer);
    }
    return p;
  }

  private mark(): number { return this.curve.tm.u32[0]; }
  private release(mark: number): void { this.curve.tm.u32[0] = mark; }

  /** Affine LEM bytes of the group generator. */
  generator(g: GroupName): Uint8Array {
    const G = g === 'G1' ? this.curve.G1 : this.curve.G2;
    const out = new Uint8Array(FixedBaseEngine.affineSize(g));
    G.toRprLEM(out, 0, G.g);
    return out;
  }

  /**
   * k_i·B for every scalar (each < 2^256, little-endian 32 bytes in `scalars`), base B given as affine LEM.
   * Returns n affine LEM points, concatenated.
   */
  mulMany(g: GroupName, baseAffine: Uint8Array, scalars: Uint8Array, onChunk?: (done: number, total: number) => void): Uint8Array {
    const pre = g === 'G1' ? 'g1m' : 'g2m';
    const sA = FixedBaseEngine.affineSize(g);
    const sJ = (sA / 2) * 3;
    const n = scalars.length / 32;
    const ex = this.ex;
    const zero = ex[`${pre}_zero`], add = ex[`${pre}_add`], dbl = ex[`${pre}_double`], addMixed = ex[`${pre}_addMixed`];
    const toJac = ex[`${pre}_toJacobian`], batchToAffine = ex[`${pre}_batchToAffine`];
    const m0 = this.mark();
    try {
      // Comb table: 32 windows × 256 entries (entry 0 unused), built in Jacobian then made affine in one batch.
      const pTabJ = this.alloc(32 * 256 * sJ);
      const pTab = this.alloc(32 * 256 * sA);
      const pB = this.alloc(sA);
      this.u8.set(baseAffine, pB);
      const pW = this.alloc(sJ); // 2^(8j)·B
      toJac(pB, pW);
      for (let j = 0; j < 32; j++) {
        const row = pTabJ + j * 256 * sJ;
        zero(row);
        for (let d = 1; d < 256; d++) add(row + (d - 1) * sJ, pW, row + d * sJ);
        for (let k = 0; k < 8; k++) dbl(pW, pW);
      }
      batchToAffine(pTabJ, 32 * 256, pTab);

      const CHUNK = 4096;
      const out = new Uint8Array(n * sA);
      const pAcc = this.alloc(CHUNK * sJ);
      const pOut = this.alloc(CHUNK * sA);
      for (let c0 = 0; c0 < n; c0 += CHUNK) {
        const c1 = Math.min(n, c0 + CHUNK);
        for (let i = c0; i < c1; i++) {
          const acc = pAcc + (i - c0) * sJ;
          zero(acc);
          const so = i * 32;
          for (let j = 0; j < 32; j++) {
            const d = scalars[so + j]!;
            if (d !== 0) addMixed(acc, pTab + (j * 256 + d) * sA, acc);
          }
        }
        batchToAffine(pAcc, c1 - c0, pOut);
        out.set(this.u8.subarray(pOut, pOut + (c1 - c0) * sA), c0 * sA);
        onChunk?.(c1, n);
      }
      return out;
    } finally {
      this.release(m0);
    }
  }

  /** Affine LEM points → snarkjs's uncompressed form (for hashing, as zkey files' circuit hash does). */
  toUncompressed(g: GroupName, points: Uint8Array): Uint8Array {
    const pre = g === 'G1' ? 'g1m' : 'g2m';
    const sA = FixedBaseEngine.affineSize(g);
    const m0 = this.mark();
    try {
      const n = points.length / sA;
      const p = this.alloc(points.length);
      this.u8.set(points, p);
      this.ex[`${pre}_batchLEMtoU`](p, n, p);
      return this.u8.slice(p, p + points.length);
    } finally {
      this.release(m0);
    }
  }

  /** a − b for pairs of affine LEM G1 points (same count), returned affine LEM. */
  subAffineG1(a: Uint8Array, b: Uint8Array): Uint8Array {
    const m0 = this.mark();
    try {
      const n = a.length / 64;
      const pa = this.alloc(a.length), pb = this.alloc(b.length), pj = this.alloc(n * 96);
      this.u8.set(a, pa); this.u8.set(b, pb);
      for (let i = 0; i < n; i++) this.ex.g1m_subAffine(pa + i * 64, pb + i * 64, pj + i * 96);
      this.ex.g1m_batchToAffine(pj, n, pa);
      return this.u8.slice(pa, pa + a.length);
    } finally {
      this.release(m0);
    }
  }

  /**
   * k·H(transcript) in G2, affine LEM: H is snarkjs's hash to G2 for phase-2 contributions (a ChaCha stream seeded
   * by the transcript's first 32 bytes, big-endian words, into G2.fromRng), needed to write a contribution record
   * that `snarkjs zkey verify` accepts (docs/zkml-compile.md, "Setup").
   */
  hashToG2Times(transcript: Uint8Array, k: bigint): Uint8Array {
    const v = new DataView(transcript.buffer, transcript.byteOffset, transcript.byteLength);
    const rng = new ChaCha(Array.from({ length: 8 }, (_, i) => v.getUint32(i * 4)));
    const G2 = this.curve.G2;
    const p = G2.toAffine(G2.timesFr(G2.fromRng(rng), this.curve.Fr.e(k)));
    const out = new Uint8Array(128);
    G2.toRprLEM(out, 0, p);
    return out;
  }

  /** The curve's Fr (for converting r1cs coefficients exactly as snarkjs does). */
  get Fr(): any { return this.curve.Fr; }

  async close(): Promise<void> { await this.curve.terminate?.(); }
}

/** Scalars (BigInt, already reduced mod r) → little-endian 32-byte buffer. */
export function scalarsToLE(xs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(xs.length * 32);
  const dv = new DataView(out.buffer);
  // four 64-bit limbs a scalar (a quarter of the BigInt operations of byte-wise shifting)
  for (let i = 0; i < xs.length; i++) {
    let x = xs[i]!;
    for (let o = i * 32; x > 0n; o += 8) { dv.setBigUint64(o, BigInt.asUintN(64, x), true); x >>= 64n; }
  }
  return out;
}
