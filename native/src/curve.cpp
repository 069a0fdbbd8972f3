#include "curve.hpp"

namespace zk {

bool onCurveG1(const G1Affine& p) {
  if (p.isInf()) return true;
  static const Fq b = Fq::fromU64(3);
  return p.y.sqr() == p.x.sqr() * p.x + b;
}

bool onCurveG2(const G2Affine& p) {
  if (p.isInf()) return true;
  static const Fq2 b = Fq2{Fq::fromU64(3), Fq::zero()} * Fq2{Fq::fromU64(9), Fq::fromU64(1)}.inv();
  return p.y.sqr() == p.x.sqr() * p.x + b;
}

}  // namespace zk

namespace zk {

// Constants of the BN254 endomorphisms (docs/native-prover.md, "Endomorphisms"); derived from p, r and
// x_BN = 4965661367192848881, the lattice basis by the extended Euclidean algorithm on (r, λ) stopped at √r.
const uint64_t GLV_LAMBDA[4] = {0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL, 0xb3c4d79d41a91758ULL, 0};
const uint64_t PSI_MU[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};

namespace {

const uint64_t GLV_BETA[4] = {0x5763473177fffffeULL, 0xd4f263f1acdb5c4fULL, 0x59e26bcea0d48bacULL, 0};
// basis v1 = (A1, −B1N), v2 = (A2, B2) with a + b·λ ≡ 0 (mod r)
const uint64_t A1[4] = {0x89d3256894d213e3ULL, 0, 0, 0};
const uint64_t B1N[4] = {0x8211bbeb7d4f1128ULL, 0x6f4d8248eeb859fcULL, 0, 0};
const uint64_t A2[4] = {0x0be4e1541221250bULL, 0x6f4d8248eeb859fdULL, 0, 0};
const uint64_t B2[4] = {0x89d3256894d213e3ULL, 0, 0, 0};
// ⌊2^256·B2 / r⌋, ⌊2^256·B1N / r⌋, ⌊2^256 / μ⌋: c = (k·g) >> 256 rounds k·B/r down (off by at most one)
const uint64_t G1C[4] = {0xd91d232ec7e0b3d7ULL, 0x2ULL, 0, 0};
const uint64_t G2C[4] = {0x7a7bd9d4391eb18dULL, 0x4ccef014a773d2cfULL, 0x2ULL, 0};
const uint64_t GMU[4] = {0x2cb62031c8e01941ULL, 0x4ccef014a773d2d5ULL, 0x2ULL, 0};

// (a·b) >> 256 and (a·b) mod 2^256 of 4-limb integers.
void mulHigh(const uint64_t a[4], const uint64_t b[4], uint64_t out[4]) {
  uint64_t t[8] = {0};
  for (int i = 0; i < 4; i++) {
    u128 carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 v = (u128)a[i] * b[j] + t[i + j] + carry;
      t[i + j] = (uint64_t)v;
      carry = v >> 64;
    }
    t[i + 4] = (uint64_t)carry;
  }
  memcpy(out, t + 4, 32);
}
void mulLow(const uint64_t a[4], const uint64_t b[4], uint64_t out[4]) {
  uint64_t t[4] = {0};
  for (int i = 0; i < 4; i++) {
    u128 carry = 0;
    for (int j = 0; i + j < 4; j++) {
      u128 v = (u128)a[i] * b[j] + t[i + j] + carry;
      t[i + j] = (uint64_t)v;
      carry = v >> 64;
    }
  }
  memcpy(out, t, 32);
}
// a two's-complement value mod 2^256 (|v| < 2^255) to magnitude and sign.
void toSigned(const uint64_t v[4], uint64_t mag[4], bool& neg) {
  neg = v[3] >> 63;
  if (neg) {
    const uint64_t zero[4] = {0, 0, 0, 0};
    sub4(mag, zero, v);
  } else {
    memcpy(mag, v, 32);
  }
}

Fq2 powFq2(Fq2 base, const uint64_t e[4]) {
  Fq2 r = Fq2::one();
  for (int i = bitLength4(e) - 1; i >= 0; i--) {
    r = r.sqr();
    if ((e[i / 64] >> (i % 64)) & 1) r = r * base;
  }
  return r;
}

struct PsiCoeffs {
  Fq2 gx, gy;
};
const PsiCoeffs& psiCoeffs() {
  static const PsiCoeffs c = [] {
    const Fq2 xi{Fq::fromU64(9), Fq::fromU64(1)};
    uint64_t pm1[4], e3[4] = {0, 0, 0, 0}, e2[4];
    const uint64_t one[4] = {1, 0, 0, 0};
    sub4(pm1, FQ_PARAMS.p, one);
    // (p − 1) / 3 and (p − 1) / 2 by long division on 64-bit limbs
    u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
      u128 cur = (rem << 64) | pm1[i];
      e3[i] = (uint64_t)(cur / 3);
      rem = cur % 3;
    }
    for (int i = 0; i < 4; i++) e2[i] = (pm1[i] >> 1) | (i < 3 ? pm1[i + 1] << 63 : 0);
    return PsiCoeffs{powFq2(xi, e3), powFq2(xi, e2)};
  }();
  return c;
}

}  // namespace

void glvSplit(const uint64_t k[4], EndoSplit& out) {
  uint64_t c1[4], c2[4], t[4], u[4], k1[4], k2[4];
  mulHigh(k, G1C, c1);
  mulHigh(k, G2C, c2);
  // k1 = k − c1·A1 − c2·A2, k2 = c1·B1N − c2·B2 (mod 2^256; both are small signed values)
  mulLow(c1, A1, t);
  sub4(k1, k, t);
  mulLow(c2, A2, u);
  sub4(k1, k1, u);
  mulLow(c1, B1N, t);
  mulLow(c2, B2, u);
  sub4(k2, t, u);
  toSigned(k1, out.k1, out.neg1);
  toSigned(k2, out.k2, out.neg2);
}

void psiSplit(const uint64_t k[4], EndoSplit& out) {
  uint64_t q[4], t[4];
  mulHigh(k, GMU, q);  // ⌊k/μ⌋ or one less: k − q·μ ≥ 0 stays below 2μ < 2^128
  mulLow(q, PSI_MU, t);
  sub4(out.k1, k, t);
  memcpy(out.k2, q, 32);
  out.neg1 = out.neg2 = false;
}

G1Affine endoG1(const G1Affine& p) {
  static const Fq beta = Fq::fromInt(GLV_BETA);
  if (p.isInf()) return p;
  return {p.x * beta, p.y};
}

G2Affine endoG2(const G2Affine& q) {
  if (q.isInf()) return q;
  const PsiCoeffs& c = psiCoeffs();
  return {Fq2{q.x.c0, -q.x.c1} * c.gx, Fq2{q.y.c0, -q.y.c1} * c.gy};
}

}  // namespace zk
