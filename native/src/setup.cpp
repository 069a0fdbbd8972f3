// Setup only (issue #11, docs/zkml-compile.md "Setup"): fixed-base batch scalar multiplication k_i·B for the dev
// powers of tau and the direct zkey, on all cores. Comb method: a table T[j][d] = d·2^(8j)·B (32 windows × 255
// entries, affine) turns each multiplication into at most 32 mixed additions; results are made affine with one
// batch inversion per chunk. Points in and out are affine Montgomery little-endian, (0, 0) for infinity, exactly as
// .ptau/.zkey files store them (and as the WASM engine in src/zkml/setup/fixed-base.ts returns them).
#include "setup.hpp"

#include <cstring>
#include <thread>
#include <vector>

#include "curve.hpp"
#include "msm.hpp"

namespace zk {
namespace {

template <class F>
F readF(const uint8_t* p);
template <>
Fq readF<Fq>(const uint8_t* p) { Fq r; memcpy(r.v, p, 32); return r; }
template <>
Fq2 readF<Fq2>(const uint8_t* p) { return {readF<Fq>(p), readF<Fq>(p + 32)}; }
void writeF(uint8_t* p, const Fq& x) { memcpy(p, x.v, 32); }
void writeF(uint8_t* p, const Fq2& x) { writeF(p, x.c0); writeF(p + 32, x.c1); }

// Jacobian points → affine with one inversion (Montgomery's trick); infinity → (0, 0).
template <class F>
void batchAffine(const std::vector<Jac<F>>& in, size_t n, uint8_t* out) {
  constexpr size_t S = sizeof(F);
  std::vector<F> pre(n);
  F acc = F::one();
  for (size_t i = 0; i < n; i++) { pre[i] = acc; if (!in[i].isInf()) acc = acc * in[i].Z; }
  F inv = acc.inv();
  for (size_t i = n; i-- > 0;) {
    uint8_t* o = out + i * 2 * S;
    if (in[i].isInf()) { memset(o, 0, 2 * S); continue; }
    F zi = inv * pre[i];
    inv = inv * in[i].Z;
    F zi2 = zi.sqr();
    writeF(o, in[i].X * zi2);
    writeF(o + S, in[i].Y * zi2 * zi);
  }
}

template <class F>
void fixedBase(const uint8_t* base, const uint8_t* scalars, size_t n, uint8_t* out, unsigned threads) {
  constexpr size_t S = sizeof(F);
  Affine<F> B{readF<F>(base), readF<F>(base + S)};
  // comb table, affine
  std::vector<Jac<F>> tj(32 * 256);
  Jac<F> w = Jac<F>::fromAffine(B);
  for (int j = 0; j < 32; j++) {
    tj[j * 256] = Jac<F>::inf();
    for (int d = 1; d < 256; d++) { tj[j * 256 + d] = tj[j * 256 + d - 1]; tj[j * 256 + d].add(w); }
    for (int k = 0; k < 8; k++) w = w.dbl();
  }
  std::vector<uint8_t> tabBytes(32 * 256 * 2 * S);
  batchAffine(tj, tj.size(), tabBytes.data());
  std::vector<Affine<F>> tab(32 * 256);
  for (size_t i = 0; i < tab.size(); i++) tab[i] = {readF<F>(&tabBytes[i * 2 * S]), readF<F>(&tabBytes[i * 2 * S + S])};

  const size_t CHUNK = 4096;
  size_t nChunks = (n + CHUNK - 1) / CHUNK;
  const unsigned nt = std::max(1u, std::min<unsigned>(threads, (unsigned)nChunks));
  auto work = [&](unsigned t) {
    std::vector<Jac<F>> acc(CHUNK);
    for (size_t c = t; c < nChunks; c += nt) {
      size_t lo = c * CHUNK, hi = std::min(n, lo + CHUNK);
      for (size_t i = lo; i < hi; i++) {
        Jac<F> a = Jac<F>::inf();
        const uint8_t* k = scalars + i * 32;
        for (int j = 0; j < 32; j++) if (k[j]) a.addAffine(tab[j * 256 + k[j]]);
        acc[i - lo] = a;
      }
      batchAffine(acc, hi - lo, out + lo * 2 * S);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < nt; t++) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

}  // namespace

void fixedBaseMul(bool g2, const uint8_t* base, const uint8_t* scalars, size_t n, uint8_t* out) {
  unsigned threads = workerThreads();
  if (g2) fixedBase<Fq2>(base, scalars, n, out, threads);
  else fixedBase<Fq>(base, scalars, n, out, threads);
}

}  // namespace zk
