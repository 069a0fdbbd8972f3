// BN254 Fq batch inversion and the MSM's batch-affine additions (G1 over Fq, G2 over Fq2) on eight AVX-512 IFMA
// lanes (docs/native-prover.md, "Round 12"). VPMADD52LUQ / VPMADD52HUQ multiply eight pairs of 52-bit limbs at once:
// an element is five such limbs, and one Montgomery product with R' = 2^260 (eight side by side) costs ≈ 2.4 ns a
// product at throughput here, against 12.4 ns for the scalar MULX product (field.hpp). Used where the CPU has
// AVX-512F and IFMA and ZKINFER_NATIVE_IFMA is not 0; other CPUs keep the scalar path.
//
// Forms: the scalar code holds x as xR (R = 2^256). A product of an R-form and an R'-form value is in R-form, and
// 16·xR = xR' is a limb shift (< 16p, not reduced), so no conversion multiplication is needed: d enters the chain
// as dR', prefix products stay in R'-form, the running inverse in R-form (or R'-form), and every product keeps one
// operand below 2p so that its result stays below 2p. Values written back to memory are reduced below p.
#pragma once
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "field.hpp"

// Built with GCC on x86-64 only: the lanes' helpers are lambdas with a `target` attribute, a GCC form; other
// compilers (clang on an Intel Mac) build the scalar path alone, and ifmaOn() is false there.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ZK_IFMA_BUILD 1
#include <immintrin.h>
#define ZK_IFMA __attribute__((target("avx512f,avx512ifma")))
#else
#define ZK_IFMA_BUILD 0
#endif

namespace zk {

// True when the 8-lane path runs: the CPU (and OS) support AVX-512F + IFMA, and ZKINFER_NATIVE_IFMA is not 0.
inline bool ifmaOn() {
#if ZK_IFMA_BUILD
  static const bool on = [] {
    const char* e = getenv("ZKINFER_NATIVE_IFMA");
    if (e && e[0] == '0') return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
  }();
  return on;
#else
  return false;
#endif
}

// Whether a batch of m elements goes to the lanes: the CPU has them (ifmaOn) and the batch fills two groups of eight
// (below that the scalar code's one chain is as fast).
inline bool lanesFor(size_t m) { return m >= 16 && ifmaOn(); }

#if ZK_IFMA_BUILD
// GCC 12's AVX-512 shift intrinsics pass an "undefined" vector as their unused merge source, and -Wall reports it
// as used uninitialized wherever they are inlined (a known false positive, fixed in GCC 13)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
namespace ifma {

constexpr uint64_t M52 = (1ULL << 52) - 1;

struct Consts {
  uint64_t p[5];
  uint64_t p2[5];  // 2p, carried limbs
  uint64_t pinv;   // −p^−1 mod 2^52
};
inline const Consts& consts() {
  static const Consts c = [] {
    Consts k;
    const uint64_t* p = FQ_PARAMS.p;
    k.p[0] = p[0] & M52;
    k.p[1] = ((p[0] >> 52) | (p[1] << 12)) & M52;
    k.p[2] = ((p[1] >> 40) | (p[2] << 24)) & M52;
    k.p[3] = ((p[2] >> 28) | (p[3] << 36)) & M52;
    k.p[4] = p[3] >> 16;
    uint64_t c = 0;
    for (int j = 0; j < 5; j++) {
      const uint64_t v = 2 * k.p[j] + c;
      c = j < 4 ? v >> 52 : 0;
      k.p2[j] = j < 4 ? v & M52 : v;
    }
    uint64_t inv = 1;  // Newton: p·inv ≡ 1 mod 2^64
    for (int i = 0; i < 6; i++) inv *= 2 - p[0] * inv;
    k.pinv = (0 - inv) & M52;
    return k;
  }();
  return c;
}

// Eight field elements, limb j of lane l in l[j][l].
struct V5 {
  __m512i l[5];
};

// a·b·2^−260 mod p, lane by lane, < 2p for a < 16p and b < 2p (p < 2^254: (32p² + 2^260·p) / 2^260 < 1.5p);
// limbs normalized below 2^52 (IFMA reads only a limb's low 52 bits).
ZK_IFMA inline V5 vmul(const V5& a, const V5& b) {
  const Consts& k = consts();
  __m512i t[6];
  for (int j = 0; j < 6; j++) t[j] = _mm512_setzero_si512();
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 5; j++) {
      t[j] = _mm512_madd52lo_epu64(t[j], a.l[j], b.l[i]);
      t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], a.l[j], b.l[i]);
    }
    const __m512i m = _mm512_madd52lo_epu64(_mm512_setzero_si512(), t[0], _mm512_set1_epi64((long long)k.pinv));
    for (int j = 0; j < 5; j++) {
      const __m512i pj = _mm512_set1_epi64((long long)k.p[j]);
      t[j] = _mm512_madd52lo_epu64(t[j], m, pj);
      t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], m, pj);
    }
    // t[0] ≡ 0 mod 2^52 now: carry its high bits up and shift one limb down
    t[1] = _mm512_add_epi64(t[1], _mm512_srli_epi64(t[0], 52));
    for (int j = 0; j < 5; j++) t[j] = t[j + 1];
    t[5] = _mm512_setzero_si512();
  }
  const __m512i mask = _mm512_set1_epi64((long long)M52);
  V5 r;
  __m512i c = _mm512_setzero_si512();
  for (int j = 0; j < 5; j++) {
    const __m512i v = _mm512_add_epi64(t[j], c);
    c = _mm512_srli_epi64(v, 52);
    r.l[j] = _mm512_and_si512(v, mask);
  }
  return r;
}

// Four 64-bit limb vectors (limb j of eight elements) into 52-bit limbs; shift4: times 16 (R-form → R'-form).
ZK_IFMA inline V5 from64(__m512i x0, __m512i x1, __m512i x2, __m512i x3, bool shift4) {
  const __m512i mask = _mm512_set1_epi64((long long)M52);
  V5 r;
  if (shift4) {  // 16·x < 2^258: bits 0–51, 52–103, …, 208–257 of x << 4
    r.l[0] = _mm512_and_si512(_mm512_slli_epi64(x0, 4), mask);
    r.l[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x0, 48), _mm512_slli_epi64(x1, 16)), mask);
    r.l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x1, 36), _mm512_slli_epi64(x2, 28)), mask);
    r.l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x2, 24), _mm512_slli_epi64(x3, 40)), mask);
    r.l[4] = _mm512_srli_epi64(x3, 12);
  } else {
    r.l[0] = _mm512_and_si512(x0, mask);
    r.l[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x0, 52), _mm512_slli_epi64(x1, 12)), mask);
    r.l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x1, 40), _mm512_slli_epi64(x2, 24)), mask);
    r.l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(x2, 28), _mm512_slli_epi64(x3, 36)), mask);
    r.l[4] = _mm512_srli_epi64(x3, 16);
  }
  return r;
}

// The Fq at byte offset idx[l] from base, for each lane l, into 52-bit limbs; shift4: times 16 (R-form → R'-form).
ZK_IFMA inline V5 gatherFq(const void* base, const __m512i& idx, bool shift4) {
  const char* b = static_cast<const char*>(base);
  return from64(_mm512_i64gather_epi64(idx, (const void*)(b + 0), 1), _mm512_i64gather_epi64(idx, (const void*)(b + 8), 1),
                _mm512_i64gather_epi64(idx, (const void*)(b + 16), 1), _mm512_i64gather_epi64(idx, (const void*)(b + 24), 1), shift4);
}

// Byte offsets of eight elements `stride` bytes apart.
ZK_IFMA inline __m512i strided(long long stride) {
  const long long t = stride;
  return _mm512_setr_epi64(0, t, 2 * t, 3 * t, 4 * t, 5 * t, 6 * t, 7 * t);
}

// The first n (≤ 8) lanes.
inline __mmask8 firstLanes(size_t n) { return (__mmask8)((1u << n) - 1); }

// Eight elements `stride` words apart (4: an Fq array; 8: one component of an Fq2 array) into 52-bit limbs.
ZK_IFMA inline V5 load8(const Fq* e, bool shift4, long long stride = 4) { return gatherFq(e, strided(8 * stride), shift4); }

// Signed carry propagation: every limb but the top one back to [0, 2^52), the top one keeps the sign.
ZK_IFMA inline void carry(V5& v) {
  const __m512i mask = _mm512_set1_epi64((long long)M52);
  for (int j = 0; j < 4; j++) {
    v.l[j + 1] = _mm512_add_epi64(v.l[j + 1], _mm512_srai_epi64(v.l[j], 52));
    v.l[j] = _mm512_and_si512(v.l[j], mask);
  }
}

// v − c where that is ≥ 0, else v (v carried, c = p or 2p as limbs).
ZK_IFMA inline V5 subIfGe(const V5& v, const uint64_t c[5]) {
  V5 t;
  for (int j = 0; j < 5; j++) t.l[j] = _mm512_sub_epi64(v.l[j], _mm512_set1_epi64((long long)c[j]));
  carry(t);
  const __mmask8 ge = _mm512_cmpge_epi64_mask(t.l[4], _mm512_setzero_si512());
  V5 r;
  for (int j = 0; j < 5; j++) r.l[j] = _mm512_mask_blend_epi64(ge, v.l[j], t.l[j]);
  return r;
}

// a + k − b − c (k a multiple of p as limbs, chosen so the result is positive), carried.
ZK_IFMA inline V5 addSub(const V5& a, const uint64_t k[5], const V5& b, const V5* c) {
  V5 r;
  for (int j = 0; j < 5; j++) {
    __m512i v = _mm512_sub_epi64(_mm512_add_epi64(a.l[j], _mm512_set1_epi64((long long)k[j])), b.l[j]);
    if (c) v = _mm512_sub_epi64(v, c->l[j]);
    r.l[j] = v;
  }
  carry(r);
  return r;
}

// a + b, carried.
ZK_IFMA inline V5 sum(const V5& a, const V5& b) {
  V5 r;
  for (int j = 0; j < 5; j++) r.l[j] = _mm512_add_epi64(a.l[j], b.l[j]);
  carry(r);
  return r;
}

// 16·v (carried limbs; < 32p for v < 2p).
ZK_IFMA inline V5 times16(const V5& v) {
  V5 r;
  for (int j = 0; j < 5; j++) r.l[j] = _mm512_slli_epi64(v.l[j], 4);
  carry(r);
  return r;
}

// 52-bit limbs (value < p) back to four 64-bit limb vectors.
ZK_IFMA inline void to64(const V5& v, __m512i x[4]) {
  x[0] = _mm512_or_si512(v.l[0], _mm512_slli_epi64(v.l[1], 52));
  x[1] = _mm512_or_si512(_mm512_srli_epi64(v.l[1], 12), _mm512_slli_epi64(v.l[2], 40));
  x[2] = _mm512_or_si512(_mm512_srli_epi64(v.l[2], 24), _mm512_slli_epi64(v.l[3], 28));
  x[3] = _mm512_or_si512(_mm512_srli_epi64(v.l[3], 36), _mm512_slli_epi64(v.l[4], 16));
}

// v (< p) to the Fq at byte offset idx[l] from base, for the lanes in `mask`.
ZK_IFMA inline void scatterFq(void* base, __mmask8 mask, const __m512i& idx, const V5& v) {
  __m512i x[4];
  to64(v, x);
  char* b = static_cast<char*>(base);
  for (int j = 0; j < 4; j++) _mm512_mask_i64scatter_epi64((void*)(b + 8 * j), mask, idx, x[j], 1);
}

// The first n (≤ 8) of eight values < 2p, reduced below p, to e[0 … n).
ZK_IFMA inline void store8(const V5& v, Fq* e, size_t n = 8) { scatterFq(e, firstLanes(n), strided(32), subIfGe(v, consts().p)); }

// Five limb vectors to / from 40 words (unaligned).
ZK_IFMA inline void put(uint64_t* w, const V5& v) {
  for (int j = 0; j < 5; j++) _mm512_storeu_si512((void*)(w + 8 * j), v.l[j]);
}
ZK_IFMA inline V5 get(const uint64_t* w) {
  V5 v;
  for (int j = 0; j < 5; j++) v.l[j] = _mm512_loadu_si512((const void*)(w + 8 * j));
  return v;
}

// Montgomery's trick on eight lanes: lane l runs the chain over elements 8g + l; loadD(g) gives group g's d in
// R'-form (< 16p; a last partial group padded with ones). The eight lane products are inverted together in scalar
// (one inversion), and the backward pass calls visit(g, iv) from the last group to the first with iv = the
// inverses of group g's d: R-form (R / d) when rPrime is false, R'-form (R' / d) when it is true. Every d must be
// non-zero.
template <class LoadD, class Visit>
ZK_IFMA inline void batchInverse(size_t m, bool rPrime, LoadD loadD, Visit visit) {
  const size_t G = (m + 7) / 8;
  // per group: the prefix and the R'-form d, 40 words each (unaligned loads and stores: a std::vector of a 64-byte
  // aligned type is not 64-byte aligned in every allocator path)
  thread_local std::vector<uint64_t> buf;
  if (buf.size() < 80 * G) buf.resize(80 * G);
  uint64_t* const pre = buf.data();
  uint64_t* const dd = pre + 40 * G;
  // forward: pre[g] = Π_{h<g} d_h (R'-form, lane by lane), from R' mod p reduced (16·R by modular doublings), so
  // that every vmul has one operand below 2p
  Fq lanes[8];
  for (auto& o : lanes) o = Fq::one().dbl().dbl().dbl().dbl();
  V5 acc = load8(lanes, false);
  for (size_t g = 0; g < G; g++) {
    put(pre + 40 * g, acc);
    const V5 d = loadD(g);
    put(dd + 40 * g, d);
    acc = vmul(acc, d);
  }
  // lane totals T_l·R' = (16·T_l)·R; the scalar trick gives (16·T_l)^−1·R; times 16 (R-form run) or 256 (R'-form)
  Fq tot[8], pref8[8];
  store8(acc, tot);
  Fq a = Fq::one();
  for (int l = 0; l < 8; l++) {
    pref8[l] = a;
    a = a * tot[l];
  }
  Fq r = a.inv();
  for (int l = 8; l-- > 0;) {
    Fq x = r * pref8[l];
    for (int k = 0; k < (rPrime ? 8 : 4); k++) x = x.dbl();
    lanes[l] = x;
    r = r * tot[l];
  }
  // backward: iv = vmul(run, pre[g]) = 1 / d in run's form; run = vmul(run, dd[g]) drops d_g from the running inverse
  V5 run = load8(lanes, false);
  for (size_t g = G; g-- > 0;) {
    const V5 iv = vmul(run, get(pre + 40 * g));
    run = vmul(run, get(dd + 40 * g));
    visit(g, iv);
  }
}

// Group g of an array of m elements (8 consecutive ones, or a copy padded with `fill` for the last partial group).
template <class T>
inline const T* group8(const T* a, size_t m, size_t g, T fill, T pad[8]) {
  if (8 * g + 8 <= m) return a + 8 * g;
  for (size_t l = 0; l < 8; l++) pad[l] = 8 * g + l < m ? a[8 * g + l] : fill;
  return pad;
}

// inv[k] = 1 / den[k] (R-form in and out, inv reduced below p) for k < m, every den[k] non-zero.
ZK_IFMA inline void invertAll(const Fq* den, Fq* inv, size_t m) {
  Fq pad[8];
  batchInverse(
      m, false, [&](size_t g) ZK_IFMA { return load8(group8(den, m, g, Fq::one(), pad), true); },
      [&](size_t g, const V5& iv) ZK_IFMA { store8(iv, inv + 8 * g, std::min<size_t>(8, m - 8 * g)); });
}

// The eight lanes' destination and source points of group g of a batch (Op: { Point* dst; const Point* src; … }),
// gathered and scattered by address relative to the first destination; lanes past the batch's end repeat its first
// op and are never written.
struct Lanes {
  const char* base;
  __m512i di, si;
  __mmask8 live;
  template <class Op>
  ZK_IFMA Lanes(const Op* ops, size_t m, size_t g) {
    const size_t n = std::min<size_t>(8, m - 8 * g);
    live = firstLanes(n);
    alignas(64) long long dOff[8], sOff[8];
    base = reinterpret_cast<const char*>(ops[8 * g].dst);
    for (size_t l = 0; l < 8; l++) {
      const Op& o = ops[8 * g + (l < n ? l : 0)];
      dOff[l] = reinterpret_cast<const char*>(o.dst) - base;
      sOff[l] = reinterpret_cast<const char*>(o.src) - base;
    }
    di = _mm512_load_si512(dOff);
    si = _mm512_load_si512(sOff);
  }
  // the Fq at byte offset `off` of every lane's destination (dst) or source (src) point
  ZK_IFMA V5 dst(int off) const { return gatherFq(base + off, di, false); }
  ZK_IFMA V5 src(int off) const { return gatherFq(base + off, si, false); }
  // writes v (< p) at byte offset `off` of the live lanes' destinations
  ZK_IFMA void write(int off, const V5& v) const { scatterFq(const_cast<char*>(base) + off, live, di, v); }
};

// (0, 4p) → [0, p)
ZK_IFMA inline V5 reduce4p(const V5& v) { return subIfGe(subIfGe(v, consts().p2), consts().p); }

// The affine additions of a G1 batch: for k < m, *ops[k].dst = *dst + src' where λ = num[k] / den[k] was prepared by
// the caller (src' = ±src, or a doubling with num = 3x², den = 2y): x3 = λ² − x1 − x2, y3 = λ·(x1 − x3) − y1, with
// x2 = src.x, stored reduced below p. Op: { Affine<Fq>* dst; const Affine<Fq>* src; … }.
template <class Op>
ZK_IFMA inline void addAll(const Op* ops, const Fq* den, const Fq* num, size_t m) {
  const Consts& k = consts();
  Fq pad[8];
  batchInverse(
      m, true, [&](size_t g) ZK_IFMA { return load8(group8(den, m, g, Fq::one(), pad), true); },
      [&](size_t g, const V5& iv) ZK_IFMA {
        const Lanes ln(ops, m, g);
        const V5 x1 = ln.dst(0), y1 = ln.dst(32), x2 = ln.src(0);
        const V5 lam = vmul(load8(group8(num, m, g, Fq::zero(), pad), false), iv);  // R-form: num·R · (R'/d) / R'
        const V5 lam16 = times16(lam);                                                // R'-form, < 32p
        const V5 x3 = reduce4p(addSub(vmul(lam, lam16), k.p2, x1, &x2));              // λ²·R − x1 − x2
        const V5 t = vmul(lam16, addSub(x1, k.p, x3, nullptr));                       // λ·(x1 − x3)·R, < 2p
        ln.write(0, x3);
        ln.write(32, reduce4p(addSub(t, k.p, y1, nullptr)));                          // (0, 3p) → [0, p)
      });
}

// The same for a G2 batch (Fq2 coordinates: c0 at byte 0, c1 at byte 32 of each; x at 0, y at 64 of a point). The
// lanes invert the norms N = d0² + d1² (1/d = conj(d) / N, as invertAll<Fq2>): λ = num·conj(den) / N, then
// x3 = λ² − x1 − x2 and y3 = λ·(x1 − x3) − y1 in Fq2 (u² = −1), every product on the lanes.
template <class Op>
ZK_IFMA inline void addAll2(const Op* ops, const Fq2* den, const Fq2* num, size_t m) {
  const Consts& k = consts();
  Fq2 pad[8];
  auto comps = [&](const Fq2* a, size_t g, Fq2 fill, V5& c0, V5& c1) ZK_IFMA {
    const Fq2* e = group8(a, m, g, fill, pad);
    c0 = load8(&e[0].c0, false, 8);
    c1 = load8(&e[0].c1, false, 8);
  };
  // a·b (a < 2p, b in R'-form < 32p, both Fq2): R-form, each component < 2p
  auto mul2 = [&](const V5& a0, const V5& a1, const V5& b0, const V5& b1, V5& r0, V5& r1) ZK_IFMA {
    r0 = subIfGe(addSub(vmul(a0, b0), k.p2, vmul(a1, b1), nullptr), k.p2);  // a0b0 − a1b1 + 2p, (0, 4p) → < 2p
    r1 = subIfGe(sum(vmul(a0, b1), vmul(a1, b0)), k.p2);
  };
  batchInverse(
      m, true,
      [&](size_t g) ZK_IFMA {
        V5 d0, d1;
        comps(den, g, Fq2::one(), d0, d1);
        // N·R = d0·(16·d0) + d1·(16·d1) over R', reduced, then ×16: N in R'-form, < 16p
        return times16(reduce4p(sum(vmul(d0, times16(d0)), vmul(d1, times16(d1)))));
      },
      [&](size_t g, const V5& iv) ZK_IFMA {
        const Lanes ln(ops, m, g);
        V5 a0, a1, d0, d1, u0, u1, s0, s1, t0, t1;
        comps(num, g, Fq2::zero(), a0, a1);
        comps(den, g, Fq2::one(), d0, d1);
        const V5 zero{};
        mul2(a0, a1, times16(d0), times16(addSub(zero, k.p, d1, nullptr)), u0, u1);  // num·conj(den)
        const V5 l0 = vmul(u0, iv), l1 = vmul(u1, iv);                               // λ, R-form
        const V5 L0 = times16(l0), L1 = times16(l1);                                 // λ, R'-form
        mul2(l0, l1, L0, L1, s0, s1);                                                // λ²
        const V5 x10 = ln.dst(0), x11 = ln.dst(32), y10 = ln.dst(64), y11 = ln.dst(96);
        const V5 x20 = ln.src(0), x21 = ln.src(32);
        const V5 x30 = reduce4p(addSub(s0, k.p2, x10, &x20)), x31 = reduce4p(addSub(s1, k.p2, x11, &x21));
        mul2(addSub(x10, k.p, x30, nullptr), addSub(x11, k.p, x31, nullptr), L0, L1, t0, t1);  // λ·(x1 − x3)
        ln.write(0, x30);
        ln.write(32, x31);
        ln.write(64, reduce4p(addSub(t0, k.p, y10, nullptr)));
        ln.write(96, reduce4p(addSub(t1, k.p, y11, nullptr)));
      });
}

}  // namespace ifma
#pragma GCC diagnostic pop
#endif

}  // namespace zk
