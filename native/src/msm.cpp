// Pippenger bucket MSM.
//  - Small-scalar path: each scalar s is folded to min(s, r − s) (negating the point for r − s, so a small
//    negative field value p − |x| costs like |x|); terms are grouped by bit length and each group runs only
//    the windows its longest scalar needs.
//  - Signed window digits in [−2^(c−1), 2^(c−1)] halve the buckets; the window size c comes from a cost model.
//  - Bucket accumulation in affine coordinates with batched inversion (Montgomery's trick): ~6 multiplications
//    per addition instead of ~11 for mixed Jacobian. A term whose bucket already waits in the current batch
//    waits in a queue for a later batch (a Jacobian accumulator only when the queue is full).
//  - Bucket reduction batched too: segments of buckets summed in lockstep with one inversion per step.
//  - Endomorphisms (off by default, ZKINFER_NATIVE_ENDO=1): a scalar above 128 bits is cut into two halves of
//    ≤ 128 bits, k·P = k1·P + k2·E(P), with E = φ (GLV) on G1 and ψ on G2 (curve.hpp): twice the terms, half
//    the windows, half the bucket reductions and doublings. E(P) costs one (G1) or two (G2) field
//    multiplications per point, made per call.
//  - Work is split into (window, point-chunk) tasks run on a pool of std::threads; the window size and chunking
//    come from a cost model that counts the idle tail (docs/native-prover.md, "MSM round").
#include "msm.hpp"

#include "ifma.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <thread>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace zk {

namespace {
thread_local unsigned budget = 0;
}

ThreadBudget::ThreadBudget(unsigned n) : previous(budget) { budget = n; }
ThreadBudget::~ThreadBudget() { budget = previous; }

unsigned workerThreads() {
  if (budget) return budget;
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

// The endomorphism split is off by default since the batched bucket reduction made the reductions it halves
// cheap: single-threaded CPU time, alternating pairs, it was slower in 5 of 6 pairs at 2^15 and most pairs at
// 2^17, and it costs 17 MB at 2^17 (docs/native-prover.md, "MSM round"). ZKINFER_NATIVE_ENDO=1 turns it on;
// msmSetEndomorphism overrides both.
std::atomic<int> endoOverride{-1};
bool endomorphismOn() {
  static bool env = [] {
    const char* e = getenv("ZKINFER_NATIVE_ENDO");
    return e && e[0] == '1';
  }();
  int o = endoOverride.load(std::memory_order_relaxed);
  return o < 0 ? env : o != 0;
}

template <class F>
struct Endo;
template <>
struct Endo<Fq> {
  static void split(const uint64_t k[4], EndoSplit& s) { glvSplit(k, s); }
  static Affine<Fq> map(const Affine<Fq>& p) { return endoG1(p); }
};
template <>
struct Endo<Fq2> {
  static void split(const uint64_t k[4], EndoSplit& s) { psiSplit(k, s); }
  static Affine<Fq2> map(const Affine<Fq2>& p) { return endoG2(p); }
};

// One MSM term after classification (8 bytes; the scalar itself lives only as its window digits): which point —
// key point `idx` of fixed-base table `table`, or its endomorphism image — and whether it is negated.
struct Ref {
  uint32_t idx;
  uint8_t table, endo, neg, pad;
};

// Resolves a Ref to its affine point.
template <class F>
struct Source {
  const Affine<F>* const* tables;
  const Affine<F>* endo;  // endo[idx] = E(point idx), written for the points whose scalar was split
  const Affine<F>& at(const Ref& r) const { return r.endo ? endo[r.idx] : tables[r.table][r.idx]; }
};

// Bit-length classes: a term lands in the first class whose limit covers its folded scalar.
constexpr int CLASS_BITS[] = {8, 16, 24, 32, 48, 64, 96, 128, 192, 254};
constexpr int N_CLASSES = sizeof(CLASS_BITS) / sizeof(CLASS_BITS[0]);
constexpr int HALF_CLASS = 7;  // the class of endomorphism halves (≤ 128 bits)
static_assert(CLASS_BITS[HALF_CLASS] == 128, "HALF_CLASS holds 128-bit scalars");

inline uint32_t bitsAt(const uint64_t s[4], int off, int c) {
  int limb = off >> 6, sh = off & 63;
  if (limb > 3) return 0;
  uint64_t v = s[limb] >> sh;
  if (sh + c > 64 && limb < 3) v |= s[limb + 1] << (64 - sh);
  return (uint32_t)(v & ((1ULL << c) - 1));
}

// out = bits [off, off + len) of s (len ≤ 256).
inline void bitRange(const uint64_t s[4], int off, int len, uint64_t out[4]) {
  out[0] = out[1] = out[2] = out[3] = 0;
  for (int w = 0; w * 64 < len; w++) {
    int take = std::min(64, len - w * 64);
    uint64_t lo = bitsAt(s, off + w * 64, std::min(32, take));
    uint64_t hi = take > 32 ? bitsAt(s, off + w * 64 + 32, take - 32) : 0;
    out[w] = lo | (hi << 32);
  }
}

// Batched bucket reduction (reduceAffine): segment length L, and the bucket count below which the Jacobian
// running sum is as cheap (c < 12).
constexpr size_t REDUCE_SEGMENT = 16;
constexpr size_t REDUCE_MIN_BUCKETS = 2048;

struct Plan {
  int c = 1;          // window bits
  int nWin = 1;       // windows (signed digits need bits + 1)
  bool affine = false;
  bool sorted = false;  // windowSorted (small windows with many terms per bucket)
  size_t batch = 0;   // affine batch size
  size_t chunks = 1;  // point chunks per window (tasks = nWin × chunks)
};

// ZKINFER_NATIVE_MSM_PATH=affine|jacobian|sorted forces one bucket strategy (tests cover each; default: cost model).
int forcedPath() {
  static int v = [] {
    const char* env = getenv("ZKINFER_NATIVE_MSM_PATH");
    if (!env) return 0;
    if (!strcmp(env, "affine")) return 1;
    if (!strcmp(env, "jacobian")) return 2;
    if (!strcmp(env, "sorted")) return 3;
    return 0;
  }();
  return v;
}

// msmSetWindow, or ZKINFER_NATIVE_MSM_WINDOW=c (2 … 15; tests force the large windows on small circuits):
// 0 = the cost model
int windowFromEnv() {
  const char* e = getenv("ZKINFER_NATIVE_MSM_WINDOW");
  int c = e ? atoi(e) : 0;
  return c >= 2 && c <= 15 ? c : 0;
}
std::atomic<int> windowOverride{windowFromEnv()};

// The plan of one bit-length class: window size c, bucket strategy and how many point chunks each window is cut
// into, chosen by a cost model in multiplications of the curve's field F (docs/native-prover.md, "Window size and
// schedule"). What the model counts, for n terms on T threads:
//  - a task is one (window, chunk): its terms' bucket additions (mixed Jacobian ~13, batch-affine ~7.5 plus the
//    batch's inversion / B) and its bucket reduction (Jacobian running sum ~27 per bucket; batched affine
//    reduceAffine ~2 × (6 + inversion / S) per bucket plus ~38 per segment);
//  - the tasks run on T threads, so the cost is ceil(tasks / T) × the cost of one task (the idle tail counts),
//    plus one Jacobian addition per task to combine them;
//  - when the affine bucket array is larger than half the L2 cache (sysconf; 1 MB on the EPYC it was measured
//    on), every bucket access misses it: `miss` more per addition (G1 at 2^17: c = 15, 1 MB of buckets, took
//    7 % longer than c = 13 single-threaded, where the count alone predicts 11 % less).
// In multiplications of F: an inversion ≈ 400 Fq (Fq2: one Fq inversion plus a few Fq products ≈ 140 Fq2); a
// miss ≈ 2 Fq ≈ 0.7 Fq2 (the same nanoseconds). With the IFMA lanes (ifma.hpp) a batch-affine addition costs ≈ 4.5
// products of F and a sorted-window one ≈ 6.5 (G1) / 7.5 (G2, whose tree additions stay scalar) (msm_bench, one
// thread: G1 and G2 at 2^15 take ≈ 0.6× the time; docs/native-prover.md, "Round 12").
struct CurveCosts {
  double inv, miss;
  size_t pointBytes;
  double affine = 7.5, sorted = 8.5;  // one batch-affine / sorted-window bucket addition
};
size_t l2Bytes() {
  static size_t v = [] {
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return l2 > 0 ? (size_t)l2 : (size_t)512 * 1024;
  }();
  return v;
}
double reduceCost(double nb, bool affine, const CurveCosts& k) {
  if (!affine || nb < (double)REDUCE_MIN_BUCKETS) return nb * 27.0;
  const double S = nb / (double)REDUCE_SEGMENT;
  return nb * 2.0 * (k.affine - 1.5 + k.inv / S) + S * 38.0;
}

// windowSorted's block of terms: its gathered points fill about half the L2 cache (8,192 G1 / 4,096 G2 points on
// the 1 MB L2 of the bench machine).
size_t sortedBlock(size_t pointBytes) { return std::max<size_t>(1024, l2Bytes() / 2 / pointBytes); }

Plan choosePlan(size_t n, int bits, unsigned T, const CurveCosts& k) {
  Plan best;
  double bestCost = 1e300;
  const int force = forcedPath();
  const int fixed = windowOverride.load(std::memory_order_relaxed);
  const size_t maxChunks = T > 1 ? 4 * (size_t)T : 1;
  for (int c = fixed ? fixed : 2; c <= (fixed ? fixed : 15); c++) {  // ≤ 15: digits fit int16
    const int nWin = (bits + 1 + c - 1) / c;
    const double nb = (double)(1u << (c - 1));
    // one window: digits ≤ 2^bits, so only that many buckets are reachable; a batch sized by nb would collide
    // (an 8-bit class at c = 10 reaches 256 of 512 buckets)
    const double reach = nWin == 1 ? std::min(nb, std::ldexp(1.0, bits)) : nb;
    const double B = std::max(1.0, std::min(1024.0, reach / 8.0));
    const double miss = nb * (double)k.pointBytes > (double)(l2Bytes() / 2) ? k.miss : 0.0;
    const double block = (double)sortedBlock(k.pointBytes);
    for (size_t chunks = 1; chunks <= maxChunks && chunks <= std::max<size_t>(1, n / 256); chunks++) {
      const double m = (double)n / (double)chunks;
      const size_t tasks = (size_t)nWin * chunks;
      const double rounds = (double)((tasks + T - 1) / T);
      const double combine = (double)tasks * 16.0;
      const double jac = rounds * (m * (13.0 + miss) + reduceCost(nb, false, k)) + combine;
      // sorted: the batch-affine additions (~7.5) plus the counting sort and gather (~1), one inversion per tree
      // level of every block; only where a block holds ≥ 4 terms per bucket (what it is made for)
      if ((nb * 4 <= block && force == 0) || force == 3) {
        const double levels = std::log2(std::max(2.0, std::min(m, block) / nb)) + 1.0;
        const double srt = rounds * (m * (k.sorted + miss) + std::ceil(m / block) * levels * k.inv + reduceCost(nb, true, k)) + combine;
        if (srt < bestCost) {
          bestCost = srt;
          best = {c, nWin, false, true, 0, chunks};
        }
      }
      if (force != 1 && force != 3 && jac < bestCost) {
        bestCost = jac;
        best = {c, nWin, false, false, 0, chunks};
      }
      if ((nb >= 64 && force != 3) || force == 1) {
        const double aff = rounds * (m * (k.affine + k.inv / B + miss) + reduceCost(nb, true, k)) + combine;
        if (force != 2 && aff < bestCost) {
          bestCost = aff;
          best = {c, nWin, true, false, (size_t)B, chunks};
        }
      }
    }
    if (c > bits + 1) break;
  }
  return best;
}

// Signed window digits of one scalar: dig[w * stride] in [−2^(c−1), 2^(c−1)] for w < nWin (c ≤ 15: int16).
inline void signedDigits(const uint64_t k[4], const Plan& p, int16_t* dig, size_t stride) {
  const int32_t half = 1 << (p.c - 1), full = 1 << p.c;
  int32_t carry = 0;
  for (int w = 0; w < p.nWin; w++) {
    int32_t d = (int32_t)bitsAt(k, w * p.c, p.c) + carry;
    carry = 0;
    if (d > half) { d -= full; carry = 1; }
    dig[(size_t)w * stride] = (int16_t)d;
  }
}

// Montgomery's trick: inv[k] = 1 / den[k] for k < m with one field inversion (every den[k] must be non-zero).
// Two interleaved product chains (even and odd k) instead of one: each chain step waits for the previous
// product's result, so one chain runs at the multiplication's latency (~26 ns here) and two side by side at
// about its throughput (docs/native-prover.md, "Round 10").
template <class F>
void invertAll(const F* den, F* inv, size_t m) {
  if (!m) return;
#if ZK_IFMA_BUILD
  if constexpr (std::is_same_v<F, Fq>) {
    if (lanesFor(m)) {  // eight lanes of AVX-512 IFMA (ifma.hpp)
      ifma::invertAll(den, inv, m);
      return;
    }
  }
#endif
  F a0 = F::one(), a1 = F::one();
  size_t k = 0;
  for (; k + 1 < m; k += 2) {
    inv[k] = a0;
    inv[k + 1] = a1;
    a0 = a0 * den[k];
    a1 = a1 * den[k + 1];
  }
  if (k < m) {  // m odd: the last one joins the even chain
    inv[k] = a0;
    a0 = a0 * den[k];
  }
  const F t = (a0 * a1).inv();
  F r0 = t * a1, r1 = t * a0;  // 1 / a0, 1 / a1
  if (m & 1) {
    inv[m - 1] = r0 * inv[m - 1];
    r0 = r0 * den[m - 1];
  }
  for (k = m & ~(size_t)1; k >= 2; k -= 2) {
    const F d0 = den[k - 2], d1 = den[k - 1];
    inv[k - 2] = r0 * inv[k - 2];
    inv[k - 1] = r1 * inv[k - 1];
    r0 = r0 * d0;
    r1 = r1 * d1;
  }
}

// Fq2: 1 / d = conj(d) / N(d) with the norm N(d) = d0² + d1² in Fq (non-zero for d ≠ 0: u² + 1 is irreducible),
// so Montgomery's trick runs on the norms in Fq — 2 squarings, 3 + 2 Fq products an element instead of 3 Fq2
// products (≈ 9 Fq) (docs/native-prover.md, "Round 10").
template <>
void invertAll<Fq2>(const Fq2* den, Fq2* inv, size_t m) {
  thread_local std::vector<Fq> norm, normInv;
  if (norm.size() < m) {
    norm.resize(m);
    normInv.resize(m);
  }
  for (size_t k = 0; k < m; k++) norm[k] = den[k].c0.sqr() + den[k].c1.sqr();
  invertAll<Fq>(norm.data(), normInv.data(), m);
  for (size_t k = 0; k < m; k++) inv[k] = {den[k].c0 * normInv[k], -(den[k].c1 * normInv[k])};
}

// A batch of affine additions dst += ±src whose denominators are inverted together (invertAll):
// ~6 multiplications per addition plus one inversion per batch. Each dst may appear once per batch.
template <class F>
struct AffineBatch {
  // dst += ±src: the operand is read where it lives (a key point, a bucket sum of the reduction) instead of being
  // copied into the batch (64 bytes a G1 term, 128 a G2 term; docs/native-prover.md, "Round 10")
  struct Op { Affine<F>* dst; const Affine<F>* src; uint8_t dbl, neg; };
  std::vector<Op> ops;  // ops[0 … m): the queued additions (a counter, not push_back: it was 3 % of a G1 MSM)
  std::vector<F> den, pref;  // pref: the inverses, or the numerators on the IFMA path
  size_t m = 0;
  explicit AffineBatch(size_t cap) : ops(cap), den(cap), pref(cap) {}
  size_t size() const { return m; }
  // Queues dst += (neg ? −src : src) for a finite dst; src must stay in place until the flush. Returns false,
  // queuing nothing, when the sum is infinity (dst = −(±src)): the caller then marks dst empty.
  bool add(Affine<F>& dst, const Affine<F>& src, bool neg) {
    if (dst.x == src.x) {
      const F y2 = neg ? -src.y : src.y;
      if (!(dst.y == y2)) return false;
      den[m] = y2.dbl();  // doubling
      ops[m++] = {&dst, &src, 1, neg};
      return true;
    }
    den[m] = src.x - dst.x;
    ops[m++] = {&dst, &src, 0, neg};
    return true;
  }
  // λ's numerator: Δy, or 3x² for a doubling
  static F numerator(const Op& o) {
    if (!o.dbl) return o.neg ? -(o.src->y + o.dst->y) : o.src->y - o.dst->y;
    const F xx = o.dst->x.sqr();
    return xx.dbl() + xx;
  }
  void flush() {
    if (!m) return;
#if ZK_IFMA_BUILD
    if (lanesFor(m)) {  // the inversion and the additions on eight IFMA lanes (ifma.hpp)
      for (size_t k = 0; k < m; k++) pref[k] = numerator(ops[k]);
      if constexpr (std::is_same_v<F, Fq>) ifma::addAll(ops.data(), den.data(), pref.data(), m);
      else ifma::addAll2(ops.data(), den.data(), pref.data(), m);
      m = 0;
      return;
    }
#endif
    invertAll(den.data(), pref.data(), m);
    // two additions side by side (their products are independent: the CPU overlaps them)
    size_t k = 0;
    for (; k + 1 < m; k += 2) {
      const Op &o0 = ops[k], &o1 = ops[k + 1];
      Affine<F>&b0 = *o0.dst, &b1 = *o1.dst;
      const F n0 = numerator(o0), n1 = numerator(o1);
      const F l0 = n0 * pref[k], l1 = n1 * pref[k + 1];
      const F s0 = l0.sqr(), s1 = l1.sqr();
      const F x0 = s0 - b0.x - o0.src->x, x1 = s1 - b1.x - o1.src->x;
      const F y0 = l0 * (b0.x - x0) - b0.y, y1 = l1 * (b1.x - x1) - b1.y;
      b0.x = x0;
      b1.x = x1;
      b0.y = y0;
      b1.y = y1;
    }
    if (k < m) {
      const Op& o = ops[k];
      Affine<F>& b = *o.dst;
      const F l = numerator(o) * pref[k];
      const F x3 = l.sqr() - b.x - o.src->x;
      const F y3 = l * (b.x - x3) - b.y;
      b.x = x3;
      b.y = y3;
    }
    m = 0;
  }
};

// Σ_k (k+1)·buckets[k] for Jacobian buckets: the running sum (two additions per bucket).
template <class F>
Jac<F> reduceJacobian(const Jac<F>* buckets, size_t nb) {
  Jac<F> running = Jac<F>::inf(), sum = Jac<F>::inf();
  for (size_t k = nb; k-- > 0;) {
    running.add(buckets[k]);
    sum.add(running);
  }
  return sum;
}

// Σ_k (k+1)·pt[k] over the filled affine buckets (meta[k] & 1), docs/native-prover.md "Bucket reduction". The
// nb buckets are cut into S = nb / L segments reduced in lockstep, so each step's S affine additions share one
// inversion: segment s gives R_s = Σ_j B_(sL+j) (its running sum) and T_s = Σ_j (j+1)·B_(sL+j); the total is
// Σ_s T_s + L·Σ_s s·R_s, the last sum by a Jacobian running sum over the S segments and log2 L doublings.
// ~2 × (6 + inversion / S) multiplications per bucket instead of ~27 for the Jacobian running sum.
template <class F>
Jac<F> reduceAffine(const Affine<F>* pt, const uint32_t* meta, size_t nb) {
  constexpr size_t L = REDUCE_SEGMENT;
  const size_t S = nb / L;
  std::vector<Affine<F>> run(S), sum(S);
  std::vector<uint8_t> hasRun(S, 0), hasSum(S, 0);
  AffineBatch<F> batch(S);
  for (size_t j = L; j-- > 0;) {
    for (size_t s = 0; s < S; s++) {
      const size_t k = s * L + j;
      if (!(meta[k] & 1)) continue;
      if (!hasRun[s]) {
        run[s] = pt[k];
        hasRun[s] = 1;
      } else if (!batch.add(run[s], pt[k], false)) {
        hasRun[s] = 0;
      }
    }
    batch.flush();
    for (size_t s = 0; s < S; s++) {
      if (!hasRun[s]) continue;
      if (!hasSum[s]) {
        sum[s] = run[s];
        hasSum[s] = 1;
      } else if (!batch.add(sum[s], run[s], false)) {
        hasSum[s] = 0;
      }
    }
    batch.flush();
  }
  Jac<F> total = Jac<F>::inf(), running = Jac<F>::inf(), weighted = Jac<F>::inf();
  for (size_t s = S; s-- > 1;) {
    if (hasRun[s]) running.addMixed(run[s].x, run[s].y);
    weighted.add(running);
  }
  for (size_t l = 1; l < L; l <<= 1) weighted = weighted.dbl();
  for (size_t s = 0; s < S; s++)
    if (hasSum[s]) total.addMixed(sum[s].x, sum[s].y);
  total.add(weighted);
  return total;
}

// Σ_k (k+1)·pt[k] over the filled buckets (meta[k] & 1): reduceAffine for large windows, else the Jacobian
// running sum.
template <class F>
Jac<F> reduceBuckets(const Affine<F>* pt, const uint32_t* meta, size_t nb) {
  if (nb >= REDUCE_MIN_BUCKETS) return reduceAffine(pt, meta, nb);
  std::vector<Jac<F>> jac(nb, Jac<F>::inf());
  for (size_t k = 0; k < nb; k++)
    if (meta[k] & 1) jac[k] = Jac<F>::fromAffine(pt[k]);
  return reduceJacobian(jac.data(), nb);
}

// Σ over terms [from, to) of digit·point for one window, with affine buckets and batched inversion.
//  - meta[b] = (round << 1) | filled: one small array (4 bytes a bucket) says whether bucket b holds a point and
//    whether it already has an addition waiting in the current batch (round);
//  - a term whose bucket is busy waits in a queue and joins a later batch, so every addition stays affine; only
//    when the queue is full (a skewed digit distribution) does a term go to a per-bucket Jacobian accumulator,
//    allocated on first use;
//  - the bucket point of the term PREFETCH ahead is prefetched (buckets are hit at random);
//  - the buckets are summed by reduceAffine (large windows) or the Jacobian running sum.
template <class F>
Jac<F> windowAffine(const Source<F>& src, const Ref* refs, const int16_t* dig, size_t from, size_t to, const Plan& p) {
  constexpr size_t PREFETCH = 8;
  const size_t nb = (size_t)1 << (p.c - 1);
  std::vector<Affine<F>> pt(nb);
  std::vector<uint32_t> meta(nb, 0);
  std::vector<Jac<F>> overflow;  // lazily: nb Jacobian points
  struct Wait { uint32_t b, i; };
  AffineBatch<F> batch(p.batch);
  std::vector<Wait> queue;
  const size_t queueCap = p.batch;
  queue.reserve(queueCap);
  uint32_t round = 1;

  auto flush = [&]() {
    if (!batch.size()) return;
    batch.flush();
    round++;
  };
  auto busy = [&](uint32_t b) { return (meta[b] >> 1) == round; };
  // Adds term i to its (free) bucket b: fills an empty bucket, or queues an affine addition / doubling.
  auto place = [&](uint32_t b, size_t i) {
    const Affine<F>& P = src.at(refs[i]);
    const bool neg = (dig[i] < 0) != (refs[i].neg != 0);
    if (!(meta[b] & 1)) {
      pt[b] = {P.x, neg ? -P.y : P.y};
      meta[b] |= 1;
    } else if (!batch.add(pt[b], P, neg)) {  // P + (−P)
      meta[b] &= ~1u;
    } else {
      meta[b] = (round << 1) | 1;
    }
  };
  auto toOverflow = [&](uint32_t b, size_t i) {
    if (overflow.empty()) overflow.assign(nb, Jac<F>::inf());
    const Affine<F>& P = src.at(refs[i]);
    const bool neg = (dig[i] < 0) != (refs[i].neg != 0);
    overflow[b].addMixed(P.x, neg ? -P.y : P.y);
  };
  // Moves waiting terms whose bucket is free into the batch (until it is full).
  auto drain = [&]() {
    size_t keep = 0;
    for (size_t k = 0; k < queue.size(); k++) {
      const Wait w = queue[k];
      if (batch.size() < p.batch && !busy(w.b)) place(w.b, w.i);
      else queue[keep++] = w;
    }
    queue.resize(keep);
  };
  auto bucketOf = [](int32_t d) { return (uint32_t)(d < 0 ? -d : d) - 1; };

  for (size_t i = from; i < to; i++) {
    if (i + PREFETCH < to && dig[i + PREFETCH]) __builtin_prefetch(&pt[bucketOf(dig[i + PREFETCH])]);
    const int32_t d = dig[i];
    if (!d) continue;
    const uint32_t b = bucketOf(d);
    if (busy(b)) {
      if (queue.size() < queueCap) queue.push_back({b, (uint32_t)i});
      else toOverflow(b, i);
      continue;
    }
    place(b, i);
    while (batch.size() == p.batch) {
      flush();
      drain();
    }
  }
  // the tail: batches from the queue while they stay worth an inversion, then the rest in Jacobian
  flush();
  while (!queue.empty()) {
    drain();
    if (batch.size() < 16) {
      for (const Wait& w : queue) toOverflow(w.b, w.i);
      queue.clear();
    }
    flush();
  }

  Jac<F> sum = reduceBuckets(pt.data(), meta.data(), nb);
  if (!overflow.empty()) sum.add(reduceJacobian(overflow.data(), nb));
  return sum;
}

// windowSorted's per-task arrays (≈ 1.6 MB for G1 at c = 13) in one unzeroed hugeblocks block (mapped.hpp), back to
// the pool when the task ends: faulted in once per process as 2 MB pages instead of ≈ 400 pages of 4 KB per block
// (≈ 1,200 faults of a fresh process's first staking-LSTM proof), and reused by later tasks and proofs.
class Scratch {
 public:
  explicit Scratch(size_t bytes) : b_(hugeblocks::take(bytes, false)) {}
  ~Scratch() { hugeblocks::give(b_); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  uint8_t* data() { return static_cast<uint8_t*>(b_.p); }

 private:
  hugeblocks::Block b_;
};

// Σ over terms [from, to) of digit·point for one window, for small windows with many terms per bucket (the
// small-scalar classes: 8-bit scalars put ~250 terms in each of 128 buckets at 2^15). Per block of terms:
//  - a counting sort by bucket gathers each bucket's points (sign applied) into one run, preceded by the
//    bucket's current sum;
//  - each run is summed as a tree: level by level every run's points are added in pairs (P + (−P) drops both,
//    equal points double), and all pairs of a level, over all runs, share one inversion (Montgomery's trick);
//  - what is left of a run (one point or none) is the bucket's new sum.
// Every addition is affine (~6 multiplications) with no busy-bucket conflicts, instead of a mixed Jacobian
// addition (~13) or small affine batches (nb / 8) that pay an inversion every few terms
// (docs/native-prover.md, "Round 8").
template <class F>
Jac<F> windowSorted(const Source<F>& src, const Ref* refs, const int16_t* dig, size_t from, size_t to, const Plan& p) {
  const size_t nb = (size_t)1 << (p.c - 1);
  const size_t block = sortedBlock(sizeof(Affine<F>));
  // the task's arrays, carved from one pooled scratch block (Scratch); only meta needs zeroes (cnt is cleared per
  // block of terms, the rest is written before it is read)
  const size_t nPts = block + nb, nDen = block / 2 + nb;
  Scratch scratch((nb + nPts) * sizeof(Affine<F>) + 2 * nDen * sizeof(F) + 4 * nb * sizeof(uint32_t));
  Affine<F>* bucket = reinterpret_cast<Affine<F>*>(scratch.data());
  Affine<F>* pts = bucket + nb;
  F* den = reinterpret_cast<F*>(pts + nPts);
  F* pref = den + nDen;
  uint32_t* meta = reinterpret_cast<uint32_t*>(pref + nDen);  // bit 0: bucket holds a point (reduceBuckets' format)
  uint32_t *cnt = meta + nb, *start = cnt + nb, *len = start + nb;
  std::fill(meta, meta + nb, 0);
  auto bucketOf = [](int32_t d) { return (uint32_t)(d < 0 ? -d : d) - 1; };
  for (size_t lo = from; lo < to; lo += block) {
    const size_t hi = std::min(to, lo + block);
    std::fill(cnt, cnt + nb, 0);
    for (size_t i = lo; i < hi; i++)
      if (dig[i]) cnt[bucketOf(dig[i])]++;
    size_t off = 0;
    for (size_t b = 0; b < nb; b++) {
      start[b] = (uint32_t)off;
      len[b] = 0;
      if (!cnt[b]) continue;
      if (meta[b] & 1) pts[off + len[b]++] = bucket[b];
      off += cnt[b] + len[b];
    }
    for (size_t i = lo; i < hi; i++) {
      const int32_t d = dig[i];
      if (!d) continue;
      const uint32_t b = bucketOf(d);
      const Affine<F>& P = src.at(refs[i]);
      const bool neg = (d < 0) != (refs[i].neg != 0);
      pts[start[b] + len[b]++] = {P.x, neg ? -P.y : P.y};
    }
    // tree levels: pair (2k, 2k+1) of every run; den / pref hold one entry per pair, in bucket order
    for (;;) {
      size_t m = 0;
      for (size_t b = 0; b < nb; b++) {
        const Affine<F>* r = &pts[start[b]];
        for (size_t k = 0; k + 1 < len[b]; k += 2, m++) {
          const Affine<F>&P = r[k], &Q = r[k + 1];
          den[m] = P.x == Q.x ? (P.y == Q.y ? P.y.dbl() : F::one()) : Q.x - P.x;
        }
      }
      if (!m) break;
      invertAll(den, pref, m);  // pref[k] = 1 / den[k]
      // results written forward over the run (pair k goes to slot ≤ k, which no later pair reads)
      size_t q = 0;
      for (size_t b = 0; b < nb; b++) {
        Affine<F>* r = &pts[start[b]];
        const size_t l = len[b];
        size_t w = 0;
        for (size_t k = 0; k + 1 < l; k += 2, q++) {
          const Affine<F>&P = r[k], &Q = r[k + 1];
          F lambda;
          if (P.x == Q.x) {
            if (!(P.y == Q.y)) continue;  // P + (−P): both drop out
            F xx = P.x.sqr();
            lambda = (xx.dbl() + xx) * pref[q];
          } else {
            lambda = (Q.y - P.y) * pref[q];
          }
          F x3 = lambda.sqr() - P.x - Q.x;
          F y3 = lambda * (P.x - x3) - P.y;
          r[w++] = {x3, y3};
        }
        if (l & 1) r[w++] = r[l - 1];
        len[b] = (uint32_t)w;
      }
    }
    for (size_t b = 0; b < nb; b++) {
      if (!cnt[b]) continue;
      if (len[b]) {
        bucket[b] = pts[start[b]];
        meta[b] = 1;
      } else {
        meta[b] = 0;
      }
    }
  }
  return reduceBuckets(bucket, meta, nb);
}

// Same with Jacobian buckets and mixed additions (small inputs, few buckets).
template <class F>
Jac<F> windowJacobian(const Source<F>& src, const Ref* refs, const int16_t* dig, size_t from, size_t to, const Plan& p) {
  const size_t nb = (size_t)1 << (p.c - 1);
  std::vector<Jac<F>> buckets(nb, Jac<F>::inf());
  for (size_t i = from; i < to; i++) {
    int32_t d = dig[i];
    if (!d) continue;
    const Affine<F>& P = src.at(refs[i]);
    uint32_t b = (uint32_t)(d < 0 ? -d : d) - 1;
    bool neg = (d < 0) != (refs[i].neg != 0);
    if (neg) buckets[b].addMixed(P.x, -P.y);
    else buckets[b].addMixed(P.x, P.y);
  }
  return reduceJacobian(buckets.data(), nb);
}

// Runs fn(task) for task in [0, nTasks) on up to `threads` threads.
template <class Fn>
void parallelFor(size_t nTasks, unsigned threads, Fn fn) {
  unsigned T = (unsigned)std::min<size_t>(threads, nTasks);
  if (T <= 1) {
    for (size_t k = 0; k < nTasks; k++) fn(k);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < T; t++) {
    pool.emplace_back([&] {
      for (size_t k; (k = next.fetch_add(1)) < nTasks;) fn(k);
    });
  }
  for (auto& th : pool) th.join();
}

// One bit-length class: its plan, and its terms as refs plus digits (dig[w * m + j] for term j, window w).
struct ClassWork {
  int bits = 0;
  size_t m = 0;        // terms
  unsigned T = 1;      // threads
  size_t chunks = 1;   // point chunks per window
  Plan p;
  MappedArray<Ref> refs;  // own mappings in huge pages, unmapped when the class is done (msm.hpp)
  MappedArray<int16_t> dig;
};

template <class F>
void planClass(ClassWork& cw) {
  const size_t n = cw.m;
  cw.T = n >= 1024 ? workerThreads() : 1;
  CurveCosts k = sizeof(F) == sizeof(Fq) ? CurveCosts{140.0, 2.0, sizeof(Affine<F>)} : CurveCosts{48.0, 0.7, sizeof(Affine<F>)};
  if (ifmaOn()) {
    k.affine = 4.5;
    k.sorted = sizeof(F) == sizeof(Fq) ? 6.5 : 7.5;
  }
  cw.p = choosePlan(n, cw.bits, cw.T, k);
  cw.chunks = cw.p.chunks;
  static const bool debug = [] {
    const char* e = getenv("ZKINFER_NATIVE_MSM_DEBUG");
    return e && e[0] == '1';
  }();
  if (debug)
    fprintf(stderr, "msm class: %zu terms of <= %d bits, c=%d, %d windows x %zu chunks on %u threads, %s batch %zu\n", n, cw.bits, cw.p.c,
            cw.p.nWin, cw.chunks, cw.T, cw.p.sorted ? "sorted" : cw.p.affine ? "affine" : "jacobian", cw.p.batch);
}

// The top window of a multi-window class: its digits are the scalar's last bits − (nWin − 1)·c bits (7 of a
// 254-bit scalar at c = 13) plus a carry, so they reach only 2^tb of the nb buckets. The affine batches there
// find few free buckets (a batch of nb / 8 over 128 reachable buckets): most terms waited in the full queue and
// went to Jacobian accumulators. Where each task holds ≥ 4 terms per reachable bucket the top window runs
// windowSorted over just those buckets (docs/native-prover.md, "Round 10"); returns a plan with sorted = false
// otherwise (and under ZKINFER_NATIVE_MSM_PATH).
template <class F>
Plan topWindowPlan(const Plan& p, int bits, size_t termsPerTask) {
  Plan top = p;
  top.sorted = false;
  const int tb = bits - (p.nWin - 1) * p.c;  // ≥ 0: the top digit is < 2^tb plus a carry, so |digit| ≤ 2^tb
  if (p.nWin < 2 || tb + 1 >= p.c || forcedPath() != 0) return top;  // a forced path runs every window
  const size_t reach = (size_t)1 << tb;
  if (reach * 4 > std::min(termsPerTask, sortedBlock(sizeof(Affine<F>)))) return top;
  top.c = tb + 1;  // nb = 2^tb buckets: digit k uses bucket k − 1
  top.sorted = true;
  top.affine = false;
  return top;
}

template <class F>
Jac<F> runClass(const Source<F>& src, const ClassWork& cw) {
  const size_t n = cw.m, chunks = cw.chunks;
  const Plan& p = cw.p;
  std::vector<Jac<F>> partial((size_t)p.nWin * chunks, Jac<F>::inf());
  size_t chunkLen = (n + chunks - 1) / chunks;
  const Plan top = topWindowPlan<F>(p, cw.bits, chunkLen);
  parallelFor(partial.size(), cw.T, [&](size_t task) {
    size_t w = task / chunks, ch = task % chunks;
    size_t from = std::min(n, ch * chunkLen), to = std::min(n, from + chunkLen);
    const int16_t* d = cw.dig.data() + w * n;
    partial[task] = w + 1 == (size_t)p.nWin && top.sorted && !p.sorted ? windowSorted<F>(src, cw.refs.data(), d, from, to, top)
                    : p.sorted ? windowSorted<F>(src, cw.refs.data(), d, from, to, p)
                    : p.affine ? windowAffine<F>(src, cw.refs.data(), d, from, to, p)
                               : windowJacobian<F>(src, cw.refs.data(), d, from, to, p);
  });

  Jac<F> result = Jac<F>::inf();
  for (int w = p.nWin - 1; w >= 0; w--) {
    for (int k = 0; k < p.c; k++) result = result.dbl();
    for (size_t ch = 0; ch < chunks; ch++) result.add(partial[(size_t)w * chunks + ch]);
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

// ZKINFER_NATIVE_SMALL_SCALARS=0 turns the small-scalar path off (for benchmarks): no sign folding, one class.
bool smallScalarPath() {
  static bool on = [] {
    const char* env = getenv("ZKINFER_NATIVE_SMALL_SCALARS");
    return !(env && env[0] == '0');
  }();
  return on;
}

struct TermOptions {
  bool fold, endo;
  int L;  // fixed-base chunk bits (254: no tables)
};

// The class of a term of `bl` bits: the first class covering it; without the small-scalar path one class for
// endomorphism halves (≤ 128 bits) and one for the rest.
inline int classOf(int bl, bool half, const TermOptions& o) {
  if (!o.fold) return half ? HALF_CLASS : N_CLASSES - 1;
  int k = 0;
  while (CLASS_BITS[k] < bl) k++;
  return k;
}

// Calls emit(ref, scalar, bits, class) for every term of input i: the sign-folded scalar whole, its two
// endomorphism halves, or its fixed-base chunks. Returns false for a skipped input (zero scalar, infinite point).
template <class F, class Emit>
inline bool termsOf(const FixedBases<F>& base, const uint64_t* s, uint32_t i, const TermOptions& o, bool* negated, Emit emit) {
  if (isZero4(s) || base.tables[0][i].isInf()) return false;
  uint64_t k[4];
  uint8_t neg = 0;
  if (o.fold && !geq4(halfR(), s)) {  // s > r/2: use (r − s)·(−P)
    sub4(k, FR_PARAMS.p, s);
    neg = 1;
  } else {
    memcpy(k, s, 32);
  }
  *negated = neg;
  const int bl = bitLength4(k);
  if (o.endo && bl > 128) {
    EndoSplit sp;
    Endo<F>::split(k, sp);
    int b1 = bitLength4(sp.k1), b2 = bitLength4(sp.k2);
    if (b1) emit(Ref{i, 0, 0, (uint8_t)(neg ^ sp.neg1), 0}, sp.k1, b1, classOf(b1, true, o));
    if (b2) emit(Ref{i, 0, 1, (uint8_t)(neg ^ sp.neg2), 0}, sp.k2, b2, classOf(b2, true, o));
    return true;
  }
  if (bl <= o.L) {
    emit(Ref{i, 0, 0, neg, 0}, k, bl, classOf(bl, false, o));
    return true;
  }
  // fixed-base split: chunk t of L bits multiplies the table point 2^(L·t)·P
  for (int t = 0; t * o.L < bl; t++) {
    uint64_t c[4];
    bitRange(k, t * o.L, o.L, c);
    int cb = bitLength4(c);
    if (cb) emit(Ref{i, (uint8_t)t, 0, neg, 0}, c, cb, classOf(cb, false, o));
  }
  return true;
}

// Two passes over the scalars, each split between the threads: the first counts the terms of every class (so
// each class's plan and arrays are sized exactly), the second writes every term's ref and window digits in
// place. Memory per term: 8 bytes + 2 bytes per window; E(P) is stored only for the points whose scalar is split.
template <class F>
Jac<F> msm(const FixedBases<F>& base, const uint64_t* scalars, size_t n, MsmStats* stats) {
  auto t0 = std::chrono::steady_clock::now();
  const TermOptions o{smallScalarPath(), endomorphismOn() && base.t == 1, chunkBits(base.t)};
  // E(P) storage: only the pages of points actually split become resident
  MappedArray<Affine<F>> endoPts(o.endo ? n : 0);
  const unsigned T = n >= 4096 ? workerThreads() : 1;
  const size_t per = (n + T - 1) / T;
  std::vector<size_t> count((size_t)T * N_CLASSES, 0);
  std::vector<size_t> nonZero(T, 0), small(T, 0), negated(T, 0);
  parallelFor(T, T, [&](size_t t) {
    size_t* cnt = &count[t * N_CLASSES];
    for (size_t i = std::min(n, t * per), end = std::min(n, (t + 1) * per); i < end; i++) {
      bool neg = false;
      bool any = termsOf<F>(base, scalars + 4 * i, (uint32_t)i, o, &neg, [&](const Ref&, const uint64_t*, int, int k) { cnt[k]++; });
      if (!any) continue;
      nonZero[t]++;
      negated[t] += neg;
      uint64_t k[4];
      if (neg) sub4(k, FR_PARAMS.p, scalars + 4 * i);
      else memcpy(k, scalars + 4 * i, 32);
      if (bitLength4(k) <= 64) small[t]++;
    }
  });

  std::vector<ClassWork> classes(N_CLASSES);
  std::vector<size_t> offset((size_t)T * N_CLASSES);
  for (int k = 0; k < N_CLASSES; k++) {
    ClassWork& cw = classes[k];
    cw.bits = std::min(CLASS_BITS[k], o.L);
    for (unsigned t = 0; t < T; t++) {
      offset[t * N_CLASSES + k] = cw.m;
      cw.m += count[t * N_CLASSES + k];
    }
    if (!cw.m) continue;
    planClass<F>(cw);
    cw.refs = MappedArray<Ref>(cw.m, true);
    cw.dig = MappedArray<int16_t>((size_t)cw.p.nWin * cw.m, true);
  }
  parallelFor(T, T, [&](size_t t) {
    size_t* pos = &offset[t * N_CLASSES];
    for (size_t i = std::min(n, t * per), end = std::min(n, (t + 1) * per); i < end; i++) {
      bool neg = false;
      termsOf<F>(base, scalars + 4 * i, (uint32_t)i, o, &neg, [&](const Ref& ref, const uint64_t* k, int, int c) {
        ClassWork& cw = classes[c];
        size_t j = pos[c]++;
        cw.refs[j] = ref;
        if (ref.endo) endoPts[i] = Endo<F>::map(base.tables[0][i]);
        signedDigits(k, cw.p, &cw.dig[j], cw.m);
      });
    }
  });

  const Source<F> src{base.tables, endoPts.data()};
  Jac<F> total = Jac<F>::inf();
  for (int k = 0; k < N_CLASSES; k++) {
    if (!classes[k].m) continue;
    total.add(runClass<F>(src, classes[k]));
    classes[k] = ClassWork();  // free this class's arrays before the next runs
  }
  // large MSMs: hand the freed term arrays back to the system now (glibc keeps freed blocks in its heap, and the
  // next MSM's peak would add to them; docs/native-prover.md, "Memory")
  if (n >= ((size_t)1 << 16)) malloc_trim(0);
  if (stats) {
    stats->nonZero = stats->small = stats->negated = 0;
    for (unsigned t = 0; t < T; t++) {
      stats->nonZero += nonZero[t];
      stats->small += small[t];
      stats->negated += negated[t];
    }
    stats->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  return total;
}

template <class F>
Jac<F> msmPlain(const Affine<F>* points, const uint64_t* scalars, size_t n, MsmStats* stats) {
  const Affine<F>* tables[1] = {points};
  return msm<F>(FixedBases<F>{tables, 1}, scalars, n, stats);
}

// out[k−1][i] = 2^(L·k)·points[i]: L doublings per table in Jacobian, then one batched inversion per block.
template <class F>
void buildTables(const Affine<F>* points, size_t n, int t, Affine<F>* const* out) {
  if (t <= 1 || n == 0) return;
  const int L = chunkBits(t);
  const size_t block = 1024;
  const size_t nBlocks = (n + block - 1) / block;
  parallelFor(nBlocks, workerThreads(), [&](size_t b) {
    const size_t from = b * block, to = std::min(n, from + block), m = to - from;
    std::vector<Jac<F>> cur(m);
    std::vector<F> pref(m);
    for (size_t i = 0; i < m; i++) cur[i] = Jac<F>::fromAffine(points[from + i]);
    for (int k = 1; k < t; k++) {
      for (size_t i = 0; i < m; i++)
        for (int d = 0; d < L; d++) cur[i] = cur[i].dbl();
      // batch affine conversion (Montgomery's trick; infinity stays (0, 0))
      F acc = F::one();
      for (size_t i = 0; i < m; i++) {
        pref[i] = acc;
        if (!cur[i].isInf()) acc = acc * cur[i].Z;
      }
      F inv = acc.inv();
      for (size_t i = m; i-- > 0;) {
        if (cur[i].isInf()) { out[k - 1][from + i] = Affine<F>::inf(); continue; }
        F zi = inv * pref[i];
        inv = inv * cur[i].Z;
        F zi2 = zi.sqr();
        out[k - 1][from + i] = {cur[i].X * zi2, cur[i].Y * zi2 * zi};
      }
    }
  });
}

}  // namespace

G1 msmG1(const G1Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats) { return msmPlain<Fq>(points, scalars, n, stats); }
G2 msmG2(const G2Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats) { return msmPlain<Fq2>(points, scalars, n, stats); }
G1 msmG1(const FixedBases<Fq>& base, const uint64_t* scalars, size_t n, MsmStats* stats) { return msm<Fq>(base, scalars, n, stats); }
G2 msmG2(const FixedBases<Fq2>& base, const uint64_t* scalars, size_t n, MsmStats* stats) { return msm<Fq2>(base, scalars, n, stats); }
void msmSetEndomorphism(bool on) { endoOverride.store(on ? 1 : 0); }
void msmSetWindow(int c) { windowOverride.store(c >= 2 && c <= 15 ? c : 0); }
void buildTablesG1(const G1Affine* points, size_t n, int t, G1Affine* const* out) { buildTables<Fq>(points, n, t, out); }
void buildTablesG2(const G2Affine* points, size_t n, int t, G2Affine* const* out) { buildTables<Fq2>(points, n, t, out); }

}  // namespace zk
