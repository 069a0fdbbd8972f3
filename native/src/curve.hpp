// BN254 G1 (over Fq) and G2 (over Fq2, the sextic twist) in Jacobian coordinates, a = 0.
// Affine points use (0, 0) for the point at infinity, as snarkjs files do.
#pragma once
#include "field.hpp"

namespace zk {

template <class F>
struct Affine {
  F x, y;
  bool isInf() const { return x.isZero() && y.isZero(); }
  static Affine inf() { return {F::zero(), F::zero()}; }
};

template <class F>
struct Jac {
  F X, Y, Z;  // (X/Z^2, Y/Z^3); Z == 0 is infinity

  static Jac inf() { return {F::one(), F::one(), F::zero()}; }
  static Jac fromAffine(const Affine<F>& a) { return a.isInf() ? inf() : Jac{a.x, a.y, F::one()}; }
  bool isInf() const { return Z.isZero(); }

  Jac neg() const { return {X, -Y, Z}; }

  // dbl-2009-l
  Jac dbl() const {
    if (isInf()) return *this;
    F A = X.sqr(), B = Y.sqr(), C = B.sqr();
    F D = ((X + B).sqr() - A - C).dbl();
    F E = A.dbl() + A;
    F Fv = E.sqr();
    Jac r;
    r.X = Fv - D.dbl();
    F C8 = C.dbl().dbl().dbl();
    r.Y = E * (D - r.X) - C8;
    r.Z = (Y * Z).dbl();
    return r;
  }

  // this += (x, y) affine (madd-2007-bl). The affine point must not be infinity.
  void addMixed(const F& x2, const F& y2) {
    if (isInf()) { X = x2; Y = y2; Z = F::one(); return; }
    F Z1Z1 = Z.sqr();
    F U2 = x2 * Z1Z1;
    F S2 = y2 * Z * Z1Z1;
    F H = U2 - X;
    F rr = (S2 - Y).dbl();
    if (H.isZero()) {
      if (rr.isZero()) { *this = dbl(); } else { *this = inf(); }
      return;
    }
    F HH = H.sqr();
    F I = HH.dbl().dbl();
    F J = H * I;
    F V = X * I;
    F X3 = rr.sqr() - J - V.dbl();
    F Y3 = rr * (V - X3) - (Y * J).dbl();
    F Z3 = (Z + H).sqr() - Z1Z1 - HH;
    X = X3; Y = Y3; Z = Z3;
  }
  void addAffine(const Affine<F>& a) { if (!a.isInf()) addMixed(a.x, a.y); }

  // add-2007-bl
  void add(const Jac& o) {
    if (o.isInf()) return;
    if (isInf()) { *this = o; return; }
    F Z1Z1 = Z.sqr(), Z2Z2 = o.Z.sqr();
    F U1 = X * Z2Z2, U2 = o.X * Z1Z1;
    F S1 = Y * o.Z * Z2Z2, S2 = o.Y * Z * Z1Z1;
    F H = U2 - U1;
    F rr = (S2 - S1).dbl();
    if (H.isZero()) {
      if (rr.isZero()) { *this = dbl(); } else { *this = inf(); }
      return;
    }
    F I = H.dbl().sqr();
    F J = H * I;
    F V = U1 * I;
    F X3 = rr.sqr() - J - V.dbl();
    F Y3 = rr * (V - X3) - (S1 * J).dbl();
    F Z3 = ((Z + o.Z).sqr() - Z1Z1 - Z2Z2) * H;
    X = X3; Y = Y3; Z = Z3;
  }

  Affine<F> toAffine() const {
    if (isInf()) return Affine<F>::inf();
    F zi = Z.inv(), zi2 = zi.sqr();
    return {X * zi2, Y * zi2 * zi};
  }

  // k·P for a canonical 4-limb scalar (double-and-add; used only for a handful of points per proof).
  Jac mul(const uint64_t k[4]) const {
    Jac r = inf();
    for (int i = bitLength4(k) - 1; i >= 0; i--) {
      r = r.dbl();
      if ((k[i / 64] >> (i % 64)) & 1) r.add(*this);
    }
    return r;
  }
};

typedef Affine<Fq> G1Affine;
typedef Affine<Fq2> G2Affine;
typedef Jac<Fq> G1;
typedef Jac<Fq2> G2;

// Curve equations: G1 y^2 = x^3 + 3; G2 y^2 = x^3 + 3/(9+u).
bool onCurveG1(const G1Affine& p);
bool onCurveG2(const G2Affine& p);

// Endomorphisms (docs/native-prover.md, "Endomorphisms"): maps that multiply every point of the r-order group by
// a fixed scalar at the cost of one or two field multiplications, so a 254-bit scalar k can be cut into two
// halves of at most 128 bits: k·P = k1·P + k2·E(P).
//  - G1 (GLV): φ(x, y) = (β·x, y) = λ·P with β a cube root of unity in Fq and λ² + λ + 1 ≡ 0 (mod r).
//    k ≡ k1 + k2·λ (mod r) from the short lattice basis of {(a, b) : a + b·λ ≡ 0 (mod r)}; k1, k2 are signed.
//  - G2: ψ = untwist ∘ Frobenius ∘ twist, ψ(x, y) = (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)) with ξ = 9 + u, which is
//    μ·Q on G2 with μ = p mod r = 6·x_BN² (127 bits); k = k1 + k2·μ by division (both halves non-negative).
struct EndoSplit {
  uint64_t k1[4], k2[4];  // magnitudes, < 2^128
  bool neg1, neg2;        // k ≡ (neg1 ? −k1 : k1) + (neg2 ? −k2 : k2)·eigenvalue (mod r)
};
extern const uint64_t GLV_LAMBDA[4];  // φ's eigenvalue λ
extern const uint64_t PSI_MU[4];      // ψ's eigenvalue μ
void glvSplit(const uint64_t k[4], EndoSplit& out);  // k canonical (< r)
void psiSplit(const uint64_t k[4], EndoSplit& out);  // k canonical (< r)
G1Affine endoG1(const G1Affine& p);  // φ(P) = λ·P
G2Affine endoG2(const G2Affine& q);  // ψ(Q) = μ·Q

}  // namespace zk
