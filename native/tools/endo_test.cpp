// Unit test of the MSM endomorphisms (docs/native-prover.md, "Endomorphisms"), run by test/native/endo.test.ts:
//   endo_test [n] [seed]
// Checks, on random points of G1 and G2 (random multiples of the generators) and random plus edge scalars
// (0, 1, 2, r−1, r−2, λ, μ, small, r/2 neighbours, 2^128 neighbours):
//  - φ(P) = λ·P and ψ(Q) = μ·Q against plain double-and-add;
//  - glvSplit / psiSplit: k ≡ ±k1 ± k2·eigenvalue (mod r) with both halves below 2^128;
//  - msmG1 / msmG2 with the split on, with it off, and Σ k_i·P_i by double-and-add agree (points at infinity,
//    repeated points and P, −P pairs included, so bucket doublings and cancellations run);
//  - large windows (batched bucket reduction, wait queue, overflow) against small Jacobian windows, and one
//    scalar for all terms (every term in one bucket) against k·ΣP;
//  - signed 8-bit scalars (the sorted-bucket window) against double-and-add;
//  - fft (forward and inverse) and toCoset against the O(n²) sums they compute (round 8 changed the butterflies).
// Prints one line per check and exits 1 on the first mismatch.
// Build: g++ -O2 -std=c++17 -pthread -Inative/src native/tools/endo_test.cpp native/src/{field,curve,msm,fft}.cpp
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <cstring>
#include <string>
#include <vector>

#include "fft.hpp"
#include "msm.hpp"

using namespace zk;

static int failures = 0;
static void check(bool ok, const std::string& what) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) failures++;
}

static void fromDecimal(const char* s, uint64_t out[4]) {
  out[0] = out[1] = out[2] = out[3] = 0;
  for (; *s; s++) {
    u128 carry = (u128)(*s - '0');
    for (int i = 0; i < 4; i++) {
      u128 v = (u128)out[i] * 10 + carry;
      out[i] = (uint64_t)v;
      carry = v >> 64;
    }
  }
}
static Fq fq(const char* dec) {
  uint64_t v[4];
  fromDecimal(dec, v);
  return Fq::fromInt(v);
}

struct Rng {
  std::mt19937_64 g;
  explicit Rng(uint64_t seed) : g(seed) {}
  void scalar(uint64_t out[4]) {
    do {
      for (int i = 0; i < 4; i++) out[i] = g();
      out[3] &= (1ULL << 62) - 1;
    } while (geq4(out, FR_PARAMS.p));
  }
};

// The edge scalars every check runs on.
static std::vector<std::vector<uint64_t>> edgeScalars() {
  const uint64_t* r = FR_PARAMS.p;
  std::vector<std::vector<uint64_t>> v;
  auto add = [&](const uint64_t a[4]) { v.push_back({a[0], a[1], a[2], a[3]}); };
  auto fromR = [&](uint64_t d) {  // r − d
    uint64_t t[4], dd[4] = {d, 0, 0, 0};
    sub4(t, r, dd);
    add(t);
  };
  const uint64_t small[][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {3, 0, 0, 0}, {255, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0},
                               {~0ULL, ~0ULL, 0, 0}, {~0ULL, ~0ULL, 1, 0}};
  for (auto& s : small) add(s);
  fromR(1);
  fromR(2);
  fromR(255);
  add(GLV_LAMBDA);
  add(PSI_MU);
  uint64_t t[4], half[4];
  for (int i = 0; i < 4; i++) half[i] = (r[i] >> 1) | (i < 3 ? r[i + 1] << 63 : 0);
  add(half);
  const uint64_t one[4] = {1, 0, 0, 0};
  add4(t, half, one);
  add(t);
  sub4(t, r, GLV_LAMBDA);
  add(t);
  sub4(t, r, PSI_MU);
  add(t);
  add4(t, PSI_MU, PSI_MU);
  add(t);
  return v;
}

template <class F>
static bool same(const Jac<F>& a, const Jac<F>& b) {
  Affine<F> x = a.toAffine(), y = b.toAffine();
  return a.isInf() == b.isInf() && x.x == y.x && x.y == y.y;
}

static Fr signedFr(const uint64_t m[4], bool neg) {
  Fr v = Fr::fromInt(m);
  return neg ? -v : v;
}

template <class F>
static void runCurve(const char* name, const Affine<F>& gen, const uint64_t eigen[4], void (*split)(const uint64_t*, EndoSplit&),
                     Affine<F> (*map)(const Affine<F>&), Jac<F> (*msm)(const Affine<F>*, const uint64_t*, size_t, MsmStats*), size_t n,
                     Rng& rng) {
  std::string N(name);
  // points: random multiples of the generator (a few at infinity, repeats and negations)
  std::vector<Affine<F>> pts(n);
  Jac<F> G = Jac<F>::fromAffine(gen);
  for (size_t i = 0; i < n; i++) {
    uint64_t k[4];
    rng.scalar(k);
    if (i % 97 == 5) pts[i] = Affine<F>::inf();
    else if (i % 31 == 7) pts[i] = pts[i - 1];
    else if (i % 37 == 9) pts[i] = Affine<F>{pts[i - 1].x, -pts[i - 1].y};
    else pts[i] = G.mul(k).toAffine();
  }
  // the endomorphism is the eigenvalue's multiplication
  bool mapOk = true;
  for (size_t i = 0; i < 16; i++) {
    const Affine<F>& P = pts[i];
    mapOk = mapOk && same(Jac<F>::fromAffine(map(P)), Jac<F>::fromAffine(P).mul(eigen));
  }
  check(mapOk, N + ": E(P) = eigenvalue·P on 16 random points");
  // the split
  std::vector<std::vector<uint64_t>> edge = edgeScalars();
  bool splitOk = true;
  int maxBits = 0;
  Fr ev = Fr::fromInt(eigen);
  for (size_t i = 0; i < edge.size() + 20000; i++) {
    uint64_t k[4];
    if (i < edge.size()) memcpy(k, edge[i].data(), 32);
    else rng.scalar(k);
    EndoSplit s;
    split(k, s);
    maxBits = std::max({maxBits, bitLength4(s.k1), bitLength4(s.k2)});
    if (!(signedFr(s.k1, s.neg1) + signedFr(s.k2, s.neg2) * ev == Fr::fromInt(k))) splitOk = false;
  }
  check(splitOk && maxBits <= 128, N + ": k = k1 + k2·eigenvalue (mod r) for edge and 20000 random scalars, halves ≤ 128 bits (max " +
                                       std::to_string(maxBits) + ")");
  // the MSM: scalars random, with the edge scalars spread over the input and a run of small values
  std::vector<uint64_t> sc(4 * n);
  for (size_t i = 0; i < n; i++) {
    if (i < edge.size()) memcpy(&sc[4 * i], edge[i].data(), 32);
    else if (i % 5 == 0) { sc[4 * i] = rng.g() & 0xff; sc[4 * i + 1] = sc[4 * i + 2] = sc[4 * i + 3] = 0; }
    else rng.scalar(&sc[4 * i]);
  }
  for (size_t m : {n, (size_t)40, edge.size()}) {
    Jac<F> part = Jac<F>::inf();
    for (size_t i = 0; i < m; i++)
      if (!pts[i].isInf()) part.add(Jac<F>::fromAffine(pts[i]).mul(&sc[4 * i]));
    msmSetEndomorphism(true);
    Jac<F> on = msm(pts.data(), sc.data(), m, nullptr);
    msmSetEndomorphism(false);
    Jac<F> off = msm(pts.data(), sc.data(), m, nullptr);
    check(same(on, part), N + ": MSM of " + std::to_string(m) + " terms, endomorphism on = double-and-add");
    check(same(off, part), N + ": MSM of " + std::to_string(m) + " terms, endomorphism off = double-and-add");
  }
  // large windows (batched bucket reduction, the wait queue and its Jacobian overflow): 4n terms over the points
  // repeated (so buckets double and cancel), against the same MSM with small Jacobian windows
  {
    const size_t big = 4 * n;
    std::vector<Affine<F>> bp(big);
    std::vector<uint64_t> bs(4 * big);
    for (size_t i = 0; i < big; i++) {
      bp[i] = pts[i % n];
      if (i % 3 == 1) memcpy(&bs[4 * i], &bs[4 * (i - 1)], 32);  // same scalar as the previous term
      else rng.scalar(&bs[4 * i]);
    }
    msmSetEndomorphism(true);
    msmSetWindow(6);
    Jac<F> ref = msm(bp.data(), bs.data(), big, nullptr);
    bool ok = true;
    for (int c : {12, 13, 14}) {
      msmSetWindow(c);
      ok = ok && same(msm(bp.data(), bs.data(), big, nullptr), ref);
    }
    check(ok, N + ": MSM of " + std::to_string(big) + " terms with windows 12, 13, 14 = with window 6");
    // one scalar for every term: all terms in one bucket per window (the queue fills and overflows)
    Jac<F> pointSum = Jac<F>::inf();
    for (size_t i = 0; i < big; i++) {
      memcpy(&bs[4 * i], &sc[4 * (edge.size() + 1)], 32);
      pointSum.addAffine(bp[i]);
    }
    msmSetWindow(13);
    Jac<F> skew = msm(bp.data(), bs.data(), big, nullptr);
    msmSetWindow(0);
    check(same(skew, pointSum.mul(&sc[4 * (edge.size() + 1)])), N + ": MSM of " + std::to_string(big) + " terms with one scalar = k·ΣP");
  }
  // signed 8-bit scalars (quantized witnesses; the sorted-bucket window under the cost model): 4n terms over the
  // points repeated, x and r − x on the same point (P and −P meet in one bucket and cancel in its tree), runs of
  // equal terms (doublings), zeros; against double-and-add
  {
    const size_t big = 4 * n;
    std::vector<Affine<F>> bp(big);
    std::vector<uint64_t> bs(4 * big, 0);
    Jac<F> ref = Jac<F>::inf();
    for (size_t i = 0; i < big; i++) {
      bp[i] = pts[i % n];
      uint64_t x = rng.g() % 129;
      if (i % 7 == 3) { bp[i] = bp[i - 1]; memcpy(&bs[4 * i], &bs[4 * (i - 1)], 32); }  // the term before again
      else if (i % 7 == 5) { bp[i] = bp[i - 1]; x = bs[4 * (i - 1)]; bs[4 * i] = x; }   // same point and scalar
      else if (i % 2 && x) { const uint64_t xi[4] = {x, 0, 0, 0}; sub4(&bs[4 * i], FR_PARAMS.p, xi); }  // r − x
      else bs[4 * i] = x;
      if (i % 11 == 6 && !isZero4(&bs[4 * (i - 1)])) { bp[i] = bp[i - 1]; sub4(&bs[4 * i], FR_PARAMS.p, &bs[4 * (i - 1)]); }  // cancels the one before
      if (!isZero4(&bs[4 * i])) ref.add(Jac<F>::fromAffine(bp[i]).mul(&bs[4 * i]));
    }
    check(same(msm(bp.data(), bs.data(), big, nullptr), ref), N + ": MSM of " + std::to_string(big) + " signed 8-bit terms = double-and-add");
  }
  // every term a single edge scalar on one point (catches a wrong sign of one half)
  bool singles = true;
  for (auto& k : edge) {
    msmSetEndomorphism(true);
    Jac<F> on = msm(&pts[0], k.data(), 1, nullptr);
    singles = singles && same(on, Jac<F>::fromAffine(pts[0]).mul(k.data()));
  }
  check(singles, N + ": single-term MSM of each edge scalar = double-and-add");
}

static G1 msm1(const G1Affine* p, const uint64_t* s, size_t n, MsmStats* st) { return msmG1(p, s, n, st); }
static G2 msm2(const G2Affine* p, const uint64_t* s, size_t n, MsmStats* st) { return msmG2(p, s, n, st); }

// fft(a, n, ω-table) = Σ_j a_j·ω^(ij) and toCoset = evaluations on inc·ω^i of the polynomial through the domain
// values, by direct O(n²) sums, for n = 2 … 256 (random and edge values: 0, 1, p − 1)
static void runFft(Rng& rng) {
  bool fftOk = true, cosetOk = true;
  for (int k = 1; k <= 8; k++) {
    const Domain d = makeDomain(k);
    const size_t n = d.n;
    const Fr w = d.n > 2 ? d.tw[1] : Fr::one() - Fr::one() - Fr::one();  // n = 2: ω = −1
    std::vector<Fr> a(n);
    for (size_t i = 0; i < n; i++) {
      uint64_t v[4];
      rng.scalar(v);
      a[i] = i == 0 ? Fr::zero() : i == 1 ? Fr::one() : i == 2 ? Fr::zero() - Fr::one() : Fr::fromInt(v);
    }
    // forward: Σ_j a_j ω^(ij); the inverse table (ω^-1) gives n · the inverse transform
    std::vector<Fr> f = a, g = a;
    fft(f.data(), n, d.tw);
    fft(g.data(), n, d.twInv);
    const Fr wi = w.inv();
    for (size_t i = 0; i < n; i++) {
      Fr sf = Fr::zero(), sg = Fr::zero(), x = Fr::one(), y = Fr::one();
      const Fr wiI = w.pow(std::vector<uint64_t>{i, 0, 0, 0}.data()), wiInv = wi.pow(std::vector<uint64_t>{i, 0, 0, 0}.data());
      for (size_t j = 0; j < n; j++) {
        sf = sf + a[j] * x;
        sg = sg + a[j] * y;
        x = x * wiI;
        y = y * wiInv;
      }
      fftOk = fftOk && sf == f[i] && sg == g[i];
    }
    // toCoset: coefficients c = (1/n)·Σ_j a_j ω^(-ij), then Σ_m c_m (inc·ω^i)^m; inc·ω^0 = d.cosetScale[1]·n
    std::vector<Fr> h = a;
    toCoset(h.data(), d);
    const Fr inc = d.n > 1 ? d.cosetScale[1] * Fr::fromU64(n) : Fr::zero();
    const Fr nInv = Fr::fromU64(n).inv();
    std::vector<Fr> c(n);
    for (size_t m = 0; m < n; m++) c[m] = g[m] * nInv;
    Fr pt = inc;
    for (size_t i = 0; i < n; i++) {
      Fr s = Fr::zero(), x = Fr::one();
      for (size_t m = 0; m < n; m++) {
        s = s + c[m] * x;
        x = x * pt;
      }
      cosetOk = cosetOk && s == h[i];
      pt = pt * w;
    }
  }
  check(fftOk, "fft with the ω and ω^-1 tables = Σ_j a_j·ω^(±ij) for n = 2 … 256");
  check(cosetOk, "toCoset = the interpolated polynomial at inc·ω^i for n = 2 … 256");
}

int main(int argc, char** argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1500;
  Rng rng(argc > 2 ? (uint64_t)atoll(argv[2]) : 1);
  G1Affine g1{Fq::fromU64(1), Fq::fromU64(2)};
  // the G2 generator of EIP-197 / snarkjs bn128
  G2Affine g2{Fq2{fq("10857046999023057135944570762232829481370756359578518086990519993285655852781"),
                  fq("11559732032986387107991004021392285783925812861821192530917403151452391805634")},
              Fq2{fq("8495653923123431417604973247489272438418190587263600148770280649306958101930"),
                  fq("4082367875863433681332203403145435568316851327593401208105741076214120093531")}};
  check(onCurveG1(g1) && onCurveG2(g2), "generators on their curves");
  check(Jac<Fq2>::fromAffine(g2).mul(FR_PARAMS.p).isInf(), "r·G2 = infinity (the generator is in the r-order group)");
  runCurve<Fq>("G1", g1, GLV_LAMBDA, glvSplit, endoG1, msm1, n, rng);
  runCurve<Fq2>("G2", g2, PSI_MU, psiSplit, endoG2, msm2, n, rng);
  runFft(rng);
  printf("%s\n", failures ? "FAILED" : "ALL OK");
  return failures ? 1 : 0;
}
