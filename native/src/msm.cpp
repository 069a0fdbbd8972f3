// Pippenger bucket MSM with a window chosen per size, split across threads by points, and a small-scalar
// path: each scalar s is folded to min(s, r - s) (negating the point for r - s, so small negative field
// values p - |x| become |x|), then terms are grouped by bit length and each group runs only the windows
// its longest scalar needs.
#include "msm.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

namespace zk {

unsigned workerThreads() {
  static unsigned n = [] {
    const char* env = getenv("ZKINFER_NATIVE_THREADS");
    if (env) {
      int v = atoi(env);
      if (v > 0 && v <= 256) return (unsigned)v;
    }
    unsigned h = std::thread::hardware_concurrency();
    return h ? h : 1u;
  }();
  return n;
}

namespace {

struct Term {
  uint64_t s[4];
  uint32_t idx;
  uint32_t neg;
};

// Bit-length classes: a term lands in the first class whose limit covers its folded scalar.
const int CLASS_BITS[] = {8, 16, 24, 32, 48, 64, 96, 128, 192, 254};
const int N_CLASSES = sizeof(CLASS_BITS) / sizeof(CLASS_BITS[0]);

inline uint32_t digitAt(const uint64_t s[4], int off, int c) {
  int limb = off >> 6, sh = off & 63;
  if (limb > 3) return 0;
  uint64_t v = s[limb] >> sh;
  if (sh + c > 64 && limb < 3) v |= s[limb + 1] << (64 - sh);
  return (uint32_t)(v & ((1ULL << c) - 1));
}

// Window size minimising (windows)·(additions per window + bucket reduction).
int chooseWindow(size_t n, int bits) {
  int best = 1;
  double bestCost = 1e300;
  for (int c = 1; c <= 20 && c <= bits; c++) {
    double wins = (bits + c - 1) / c;
    double cost = wins * ((double)n + 2.0 * (double)(1u << c));
    if (cost < bestCost) { bestCost = cost; best = c; }
  }
  return best;
}

template <class F>
Jac<F> pippenger(const Affine<F>* pts, const Term* terms, size_t n, int bits) {
  Jac<F> result = Jac<F>::inf();
  if (n == 0) return result;
  int c = chooseWindow(n, bits);
  int nWin = (bits + c - 1) / c;
  std::vector<Jac<F>> buckets((1u << c) - 1);
  for (int w = nWin - 1; w >= 0; w--) {
    for (int k = 0; k < c; k++) result = result.dbl();
    std::fill(buckets.begin(), buckets.end(), Jac<F>::inf());
    int off = w * c;
    for (size_t i = 0; i < n; i++) {
      uint32_t d = digitAt(terms[i].s, off, c);
      if (!d) continue;
      const Affine<F>& p = pts[terms[i].idx];
      if (terms[i].neg) buckets[d - 1].addMixed(p.x, -p.y);
      else buckets[d - 1].addMixed(p.x, p.y);
    }
    Jac<F> running = Jac<F>::inf(), sum = Jac<F>::inf();
    for (size_t k = buckets.size(); k-- > 0;) {
      running.add(buckets[k]);
      sum.add(running);
    }
    result.add(sum);
  }
  return result;
}

const uint64_t* halfR() {
  static uint64_t h[4];
  static bool init = [] {
    const uint64_t* r = FR_PARAMS.p;
    for (int i = 0; i < 4; i++) h[i] = (r[i] >> 1) | (i < 3 ? (r[i + 1] << 63) : 0);
    return true;
  }();
  (void)init;
  return h;
}

template <class F>
Jac<F> msm(const Affine<F>* points, const uint64_t* scalars, size_t n, MsmStats* stats) {
  auto t0 = std::chrono::steady_clock::now();
  const uint64_t* r = FR_PARAMS.p;
  const uint64_t* half = halfR();
  std::vector<std::vector<Term>> classes(N_CLASSES);
  size_t nonZero = 0, small = 0, negated = 0;
  for (size_t i = 0; i < n; i++) {
    const uint64_t* s = scalars + 4 * i;
    if (isZero4(s) || points[i].isInf()) continue;
    Term t;
    t.idx = (uint32_t)i;
    if (!geq4(half, s)) {  // s > r/2: use (r - s)·(-P)
      sub4(t.s, r, s);
      t.neg = 1;
      negated++;
    } else {
      memcpy(t.s, s, 32);
      t.neg = 0;
    }
    int bl = bitLength4(t.s);
    int k = 0;
    while (CLASS_BITS[k] < bl) k++;
    if (bl <= 64) small++;
    classes[k].push_back(t);
    nonZero++;
  }

  unsigned nThreads = workerThreads();
  Jac<F> total = Jac<F>::inf();
  for (int k = 0; k < N_CLASSES; k++) {
    const std::vector<Term>& terms = classes[k];
    if (terms.empty()) continue;
    int bits = CLASS_BITS[k];
    unsigned T = terms.size() >= 2048 ? nThreads : 1;
    if (T <= 1) {
      total.add(pippenger<F>(points, terms.data(), terms.size(), bits));
      continue;
    }
    std::vector<Jac<F>> partial(T, Jac<F>::inf());
    std::vector<std::thread> threads;
    size_t chunk = (terms.size() + T - 1) / T;
    for (unsigned t = 0; t < T; t++) {
      size_t from = std::min(terms.size(), t * chunk), to = std::min(terms.size(), from + chunk);
      threads.emplace_back([&, t, from, to] { partial[t] = pippenger<F>(points, terms.data() + from, to - from, bits); });
    }
    for (auto& th : threads) th.join();
    for (auto& p : partial) total.add(p);
  }
  if (stats) {
    stats->nonZero = nonZero;
    stats->small = small;
    stats->negated = negated;
    stats->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  return total;
}

}  // namespace

G1 msmG1(const G1Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats) { return msm<Fq>(points, scalars, n, stats); }
G2 msmG2(const G2Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats) { return msm<Fq2>(points, scalars, n, stats); }

}  // namespace zk
