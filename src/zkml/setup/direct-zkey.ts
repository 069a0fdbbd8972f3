import { randomBytes } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2b';
import { BN254_Q } from './ptau.js';
import { readBinSections, readBytes } from './binfile.js';
import { BinWriter, bigIntLE, u32le } from './binwriter.js';
import type { DevToxic } from './dev-ptau.js';
import { SetupError } from './errors.js';
import { R, inv, lagrangeAt, lagrangeAtIndices, mod, mul, pow, powers } from './field.js';
import { scalarsToLE } from './fixed-base.js';
import { ParallelFixedBase } from './fixed-base-parallel.js';
import { readR1csHeader, requiredPower } from './r1cs-header.js';

type Progress = (stage: string, done: number, total: number) => void;

export interface DirectZkeyOptions {
  r1csPath: string;
  zkeyPath: string;
  toxic: DevToxic;
  /** Power of the dev ptau these secrets made (affects the largest Lagrange block, as in snarkjs). */
  ptauPower: number;
  /**
   * A phase-2 secret δ applied directly (instead of a later `zkey contribute`): the C and H sections are computed
   * with δ⁻¹ in their scalars, δ·G1/δ·G2 go into the header and a contribution record (with its proof of knowledge
   * of δ, as `zkey contribute` writes it) into section 10. Without it: δ = 1 and no contribution, byte for byte what
   * `snarkjs zkey new` writes.
   */
  contribution?: { delta: bigint; name: string };
  onProgress?: Progress;
}

/**
 * INSECURE-DEV: compute the initial Groth16 zkey (the one `snarkjs zkey new` would write from the dev
 * ptau, byte for byte, with γ = δ = 1) directly from the known toxic waste. Each wire's QAP polynomials
 * A_j, B_j, C_j are evaluated at τ from the Lagrange values L_c(τ) (O(non-zeros) field work), then every key
 * point is one fixed-base scalar multiplication. A phase-2 contribution (`zkey contribute`) follows.
 */
export async function writeDirectZkey(opts: DirectZkeyOptions): Promise<Uint8Array> {
  const progress = opts.onProgress ?? (() => {});
  const { tau, alpha, beta } = opts.toxic;
  const h = await readR1csHeader(opts.r1csPath);
  const cs = (await readBinSections(opts.r1csPath)).sections.get(2)?.[0];
  if (!cs) throw new SetupError('R1CS_INVALID', `${opts.r1csPath} has no constraint section`, { hint: 'pass the circuit.r1cs written by zkinfer compile or circom' });
  // the constraint section as raw bytes (36 bytes a term), visited in place: no per-term objects (docs/zkml-compile.md, "Memory")
  const rows = await readBytes(opts.r1csPath, cs.offset, cs.size);
  const cirPower = requiredPower(h);
  if (cirPower > opts.ptauPower) throw new SetupError('PTAU_TOO_SMALL', `circuit needs power ${cirPower}, dev ptau has ${opts.ptauPower}`);
  const n = 2 ** cirPower;
  const nPublic = h.nPublic;
  const nVars = h.nWires;
  const par = await ParallelFixedBase.create();
  const engine = par.engine;
  try {
    const Fr = engine.Fr;
    const omega = (k: number): bigint => BigInt(Fr.toObject(Fr.w[k]));
    progress('direct zkey', 0, 7);
    const L = lagrangeAt(tau, n, omega(cirPower));
    const a = new Array<bigint>(nVars).fill(0n), b = new Array<bigint>(nVars).fill(0n), c = new Array<bigint>(nVars).fill(0n);
    // Section 4 (coefficients of A and B, in snarkjs's order), converted exactly as zkey new does.
    const Rr = mod(1n << 256n);
    const R2r = Fr.e(mod(Rr * Rr));
    const one = new Uint8Array(32); Fr.toRprLE(one, 0, Fr.e(1));
    // section 4: one 44-byte entry (matrix, constraint, wire, coefficient in Montgomery form) per A and B term, in
    // constraint order, then the public-input rows of A; sized by a first pass over the term counts
    let nCoef = nPublic + 1;
    for (let o = 0, ci = 0; ci < h.nConstraints; ci++) {
      for (let m = 0; m < 3; m++) { const t = rows.readUInt32LE(o); if (m < 2) nCoef += t; o += 4 + 36 * t; }
    }
    const coefs = Buffer.alloc(4 + 44 * nCoef);
    coefs.writeUInt32LE(nCoef, 0);
    let at = 4;
    const coef = (matrix: number, constraint: number, wire: number, raw: Uint8Array, rawAt: number) => {
      coefs.writeUInt32LE(matrix, at); coefs.writeUInt32LE(constraint, at + 4); coefs.writeUInt32LE(wire, at + 8);
      Fr.toRprLE(coefs, at + 12, Fr.mul(Fr.fromRprLE(raw, rawAt), R2r));
      at += 44;
    };
    const fe = (o: number) => rows.readBigUInt64LE(o) | (rows.readBigUInt64LE(o + 8) << 64n) | (rows.readBigUInt64LE(o + 16) << 128n) | (rows.readBigUInt64LE(o + 24) << 192n);
    const acc = [a, b, c];
    for (let o = 0, ci = 0; ci < h.nConstraints; ci++) {
      const l = L[ci]!;
      for (let m = 0; m < 3; m++) {
        const t = rows.readUInt32LE(o); o += 4;
        const sum = acc[m]!;
        for (let i = 0; i < t; i++, o += 36) {
          const w = rows.readUInt32LE(o);
          sum[w] = sum[w]! + fe(o + 4) * l;
          if (m < 2) coef(m, ci, w, rows, o + 4);
        }
      }
      if (ci % 65536 === 0) progress('direct zkey', 0, 7);
    }
    for (let s = 0; s <= nPublic; s++) {
      a[s] = a[s]! + L[h.nConstraints + s]!;
      coef(0, h.nConstraints + s, s, one, 0);
    }
    for (let s = 0; s < nVars; s++) { a[s] = mod(a[s]!); b[s] = mod(b[s]!); c[s] = mod(c[s]!); }
    const k = (s: number) => mod(beta * a[s]! + alpha * b[s]! + c[s]!);
    const ic: bigint[] = [], cPriv: bigint[] = [], cPriv0: bigint[] = [];
    const invDelta = opts.contribution ? inv(opts.contribution.delta) : 1n;
    for (let s = 0; s <= nPublic; s++) ic.push(k(s));
    for (let s = nPublic + 1; s < nVars; s++) { const v = k(s); cPriv0.push(v); cPriv.push(mul(v, invDelta)); }
    // H: odd Lagrange points of the 2n domain (from the ptau's block 2n, which lacks τ^(2n−1) when 2n is the largest).
    // (only the n odd ones are computed: half the memory of the whole 2n block)
    const hs = lagrangeAtIndices(tau, 2 * n, omega(cirPower + 1), 1, 2, n, cirPower === opts.ptauPower).map((x) => mul(x, invDelta));
    // Circuit hash: snarkjs hashes (τ^(n+i) − τ^i)·G1 in chunks of 2^14 — n−1 points, or n when n > 2^14.
    const CH = 1 << 14;
    const nHash = Math.ceil((n - 1) / CH) * Math.min(n - 1, CH);
    const tn1 = mod(pow(tau, BigInt(n)) - 1n);
    const hHash = powers(tau, nHash).map((t) => mul(t, tn1));

    const g1 = engine.generator('G1'), g2 = engine.generator('G2');
    let step = 0;
    const total = 7;
    const G1 = (xs: bigint[], _section: string) => { progress('direct zkey', step++, total); return par.mulMany('G1', g1, scalarsToLE(xs)); };
    const G2 = (xs: bigint[], _section: string) => { progress('direct zkey', step++, total); return par.mulMany('G2', g2, scalarsToLE(xs)); };
    const pIC = await G1(ic, 'IC'), pH = await G1(hs, 'H'), pC = await G1(cPriv, 'C'), pA = await G1(a, 'A'), pB1 = await G1(b, 'B1'), pB2 = await G2(b, 'B2');
    const pHash = await G1(hHash, 'H hash');
    // the circuit hash covers the key before any contribution (δ = 1)
    const pC0 = opts.contribution ? await par.mulMany('G1', g1, scalarsToLE(cPriv0)) : pC;
    const [alpha1, beta1] = [engine.mulMany('G1', g1, scalarsToLE([alpha, beta]))].map((p) => [p.subarray(0, 64), p.subarray(64, 128)])[0]!;
    const beta2 = engine.mulMany('G2', g2, scalarsToLE([mod(beta)]));

    const hasher = blake2b.create({ dkLen: 64 });
    const u = (g: 'G1' | 'G2', p: Uint8Array) => engine.toUncompressed(g, p);
    const hashU32 = (x: number) => { const e = new Uint8Array(4); new DataView(e.buffer).setUint32(0, x, false); hasher.update(e); };
    hasher.update(u('G1', alpha1!)); hasher.update(u('G1', beta1!)); hasher.update(u('G2', beta2));
    hasher.update(u('G2', g2)); hasher.update(u('G1', g1)); hasher.update(u('G2', g2));
    hashU32(nPublic + 1); hasher.update(u('G1', pIC));
    hashU32(n - 1); hasher.update(u('G1', pHash));
    hashU32(nVars - nPublic - 1); hasher.update(u('G1', pC0));
    hashU32(nVars); hasher.update(u('G1', pA));
    hashU32(nVars); hasher.update(u('G1', pB1));
    hashU32(nVars); hasher.update(u('G2', pB2));
    const csHash = hasher.digest();

    // phase 2: δ·G1, δ·G2 and the contribution record (snarkjs zkey contribute's format and proof of knowledge)
    let delta1 = g1, delta2 = g2, mpc: Uint8Array[] = [u32le(0)];
    if (opts.contribution) {
      const d = mod(opts.contribution.delta);
      const sk = mod(BigInt('0x' + randomBytes(32).toString('hex')));
      const pts = engine.mulMany('G1', g1, scalarsToLE([d, sk, mul(sk, d)]));
      delta1 = pts.subarray(0, 64);
      const g1s = pts.subarray(64, 128), g1sx = pts.subarray(128, 192);
      delta2 = engine.mulMany('G2', g2, scalarsToLE([d]));
      const th = blake2b.create({ dkLen: 64 });
      th.update(csHash); th.update(u('G1', g1s)); th.update(u('G1', g1sx));
      const transcript = th.digest();
      const g2spx = engine.hashToG2Times(transcript, d);
      const nameBytes = new TextEncoder().encode(opts.contribution.name.substring(0, 64));
      mpc = [u32le(1), delta1, g1s, g1sx, g2spx, transcript, u32le(0), u32le(nameBytes.length + 2), new Uint8Array([1, nameBytes.length]), nameBytes];
    }

    const w = await BinWriter.create(opts.zkeyPath, 'zkey', 1, 10);
    await w.section(1, [u32le(1)]);
    await w.section(2, [u32le(32), bigIntLE(BN254_Q, 32), u32le(32), bigIntLE(R, 32), u32le(nVars, nPublic, n),
      alpha1!, beta1!, beta2, g2, delta1, delta2]);
    await w.section(4, [coefs]);
    await w.section(3, [pIC]);
    await w.section(9, [pH]);
    await w.section(8, [pC]);
    await w.section(5, [pA]);
    await w.section(6, [pB1]);
    await w.section(7, [pB2]);
    await w.section(10, [csHash, ...mpc]);
    await w.close();
    progress('direct zkey', total, total);
    return csHash;
  } finally {
    await par.close();
  }
}
