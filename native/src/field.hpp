// BN254 prime fields in Montgomery form on four 64-bit limbs, and the quadratic extension Fq2.
// Elements are kept in Montgomery form (a·2^256 mod p); fromMont/toMont convert at the boundaries.
#pragma once
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <string>
#include "field_wide.hpp"
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace zk {

typedef unsigned __int128 u128;

// invMont's schedule (field.cpp): INV_OUTER rounds of INV_INNER binary-GCD steps, 2·254 − 1 ≤ 17·31.
const int INV_INNER = 31;
const int INV_OUTER = 17;

struct FieldParams {
  uint64_t p[4];    // modulus
  uint64_t inv;     // -p^-1 mod 2^64
  uint64_t r2[4];   // 2^512 mod p (to enter Montgomery form)
  uint64_t one[4];  // 2^256 mod p (Montgomery one)
  uint64_t invK[4]; // 2^(33·INV_OUTER + 768) mod p: invMont's final correction (field.cpp)
};

// Computes inv, r2 and one from p (called once per field at static-init time).
FieldParams makeParams(const uint64_t p[4]);

// Little helpers on raw 4-limb integers.
inline bool geq4(const uint64_t a[4], const uint64_t b[4]) {
  for (int i = 3; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return true;
}
// Carry chains with _addcarry_u64 / _subborrow_u64 on x86-64 (one ADC/SBB per limb; the u128 loops compile to two
// instructions and a mask per limb), the u128 loop elsewhere.
template <int N>
inline uint64_t subN(uint64_t* r, const uint64_t* a, const uint64_t* b) {
#if defined(__x86_64__)
  unsigned char br = 0;
  for (int i = 0; i < N; i++) {
    unsigned long long d;
    br = _subborrow_u64(br, a[i], b[i], &d);
    r[i] = d;
  }
  return br;
#else
  uint64_t borrow = 0;
  for (int i = 0; i < N; i++) {
    u128 d = (u128)a[i] - b[i] - borrow;
    r[i] = (uint64_t)d;
    borrow = (uint64_t)(d >> 64) & 1;
  }
  return borrow;
#endif
}
template <int N>
inline uint64_t addN(uint64_t* r, const uint64_t* a, const uint64_t* b) {
#if defined(__x86_64__)
  unsigned char c = 0;
  for (int i = 0; i < N; i++) {
    unsigned long long s;
    c = _addcarry_u64(c, a[i], b[i], &s);
    r[i] = s;
  }
  return c;
#else
  uint64_t carry = 0;
  for (int i = 0; i < N; i++) {
    u128 s = (u128)a[i] + b[i] + carry;
    r[i] = (uint64_t)s;
    carry = (uint64_t)(s >> 64);
  }
  return carry;
#endif
}
inline uint64_t sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { return subN<4>(r, a, b); }
inline uint64_t add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { return addN<4>(r, a, b); }
// 512-bit subtraction r = a − b mod 2^512; returns the borrow.
inline uint64_t sub8(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) { return subN<8>(r, a, b); }
inline bool isZero4(const uint64_t a[4]) { return (a[0] | a[1] | a[2] | a[3]) == 0; }
inline int bitLength4(const uint64_t a[4]) {
  for (int i = 3; i >= 0; i--) {
    if (a[i]) return i * 64 + 64 - __builtin_clzll(a[i]);
  }
  return 0;
}

// Montgomery multiplication with MULX/ADCX/ADOX (two carry chains), for CPUs with BMI2 + ADX.
// Same contract as montMul; P.inv must directly follow P.p in FieldParams (offset 32).
static inline __attribute__((always_inline)) void montMulAdx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const FieldParams& P) {
  asm volatile(
      "movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %%r8, %%r9\n\t"
      "mulxq 8(%[a]), %%r14, %%r10\n\t"
      "addq %%r14, %%r9\n\t"
      "mulxq 16(%[a]), %%r14, %%r11\n\t"
      "adcq %%r14, %%r10\n\t"
      "mulxq 24(%[a]), %%r14, %%r12\n\t"
      "adcq %%r14, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "movq %%r8, %%rdx\n\t"
      "imulq 32(%[p]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r13, %%r9\n\t"
      "mulxq 8(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r13, %%r10\n\t"
      "mulxq 16(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r13, %%r11\n\t"
      "mulxq 24(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "adoxq %%r15, %%r12\n\t"
      "movq 8(%[b]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r13, %%r10\n\t"
      "mulxq 8(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r13, %%r11\n\t"
      "mulxq 16(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 24(%[a]), %%r14, %%r8\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r15, %%r8\n\t"
      "adoxq %%r15, %%r8\n\t"
      "movq %%r9, %%rdx\n\t"
      "imulq 32(%[p]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r13, %%r10\n\t"
      "mulxq 8(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r13, %%r11\n\t"
      "mulxq 16(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 24(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "adoxq %%r15, %%r8\n\t"
      "movq 16(%[b]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r13, %%r11\n\t"
      "mulxq 8(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 16(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "mulxq 24(%[a]), %%r14, %%r9\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r15, %%r9\n\t"
      "adoxq %%r15, %%r9\n\t"
      "movq %%r10, %%rdx\n\t"
      "imulq 32(%[p]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r13, %%r11\n\t"
      "mulxq 8(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 16(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "mulxq 24(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r13, %%r9\n\t"
      "adoxq %%r15, %%r9\n\t"
      "movq 24(%[b]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 8(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "mulxq 16(%[a]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r13, %%r9\n\t"
      "mulxq 24(%[a]), %%r14, %%r10\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r15, %%r10\n\t"
      "adoxq %%r15, %%r10\n\t"
      "movq %%r11, %%rdx\n\t"
      "imulq 32(%[p]), %%rdx\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "mulxq 0(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r13, %%r12\n\t"
      "mulxq 8(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "mulxq 16(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r13, %%r9\n\t"
      "mulxq 24(%[p]), %%r14, %%r13\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r13, %%r10\n\t"
      "adoxq %%r15, %%r10\n\t"
      ZK_ASM_REDUCE_ONCE_STORE
      :
      : [r] "r"(r), [a] "r"(a), [b] "r"(b), [p] "r"(P.p)
      : "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

// True when the CPU has BMI2 and ADX (checked once at load with __builtin_cpu_supports).
extern const bool HAS_ADX;
static_assert(offsetof(FieldParams, inv) == 32, "montMulAdx reads inv at p + 32");

// Montgomery multiplication (CIOS). Requires p < 2^255 so intermediate values fit in 5 limbs.
static inline __attribute__((always_inline)) void montMulGeneric(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const FieldParams& P) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
  for (int i = 0; i < 4; i++) {
    u128 c = (u128)a[0] * b[i] + t0;
    t0 = (uint64_t)c;
    c = (u128)a[1] * b[i] + t1 + (uint64_t)(c >> 64);
    t1 = (uint64_t)c;
    c = (u128)a[2] * b[i] + t2 + (uint64_t)(c >> 64);
    t2 = (uint64_t)c;
    c = (u128)a[3] * b[i] + t3 + (uint64_t)(c >> 64);
    t3 = (uint64_t)c;
    t4 += (uint64_t)(c >> 64);
    uint64_t m = t0 * P.inv;
    c = (u128)m * P.p[0] + t0;
    c = (u128)m * P.p[1] + t1 + (uint64_t)(c >> 64);
    t0 = (uint64_t)c;
    c = (u128)m * P.p[2] + t2 + (uint64_t)(c >> 64);
    t1 = (uint64_t)c;
    c = (u128)m * P.p[3] + t3 + (uint64_t)(c >> 64);
    t2 = (uint64_t)c;
    c = (u128)t4 + (uint64_t)(c >> 64);
    t3 = (uint64_t)c;
    t4 = (uint64_t)(c >> 64);
  }
  uint64_t t[4] = {t0, t1, t2, t3};
  if (t4 || geq4(t, P.p)) {
    sub4(r, t, P.p);
  } else {
    r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
  }
}

static inline __attribute__((always_inline)) void montMul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const FieldParams& P) {
  if (__builtin_expect(HAS_ADX, 1)) montMulAdx(r, a, b, P);
  else montMulGeneric(r, a, b, P);
}

// Montgomery squaring a·a·2^−256 mod p (docs/native-prover.md, "Field arithmetic"), for a < 2p.
static inline __attribute__((always_inline)) void montSqr(uint64_t r[4], const uint64_t a[4], const FieldParams& P) {
  if (__builtin_expect(HAS_ADX, 1)) montSqrAdx(r, a, P.p);
  else montMulGeneric(r, a, a, P);
}
// The two halves of a Montgomery multiplication, for lazy reduction: t = a·b (512 bits), r = t·2^−256 mod p for
// t < p·2^256.
static inline __attribute__((always_inline)) void mulWide(uint64_t t[8], const uint64_t a[4], const uint64_t b[4]) {
  if (__builtin_expect(HAS_ADX, 1)) mulWideAdx(t, a, b);
  else mulWideGeneric(t, a, b);
}
static inline __attribute__((always_inline)) void montRed(uint64_t r[4], const uint64_t t[8], const FieldParams& P) {
  if (__builtin_expect(HAS_ADX, 1)) montRedAdx(r, t, P.p);
  else montRedGeneric(r, t, P.p);
}

// Montgomery-form inverse by Pornin's optimized binary GCD (docs/native-prover.md, "Field arithmetic"): r = a^−1
// in Montgomery form for a in Montgomery form; the inverse of zero is zero. About 5× faster than a^(p−2).
void invMont(uint64_t r[4], const uint64_t a[4], const FieldParams& P);

// Branch-free modular add / subtract for p < 2^255 (inputs < p). On x86-64 one ADD/ADC chain, one SUB/SBB chain
// and CMOVs (addMod), or SUB/SBB, a borrow mask and ADD/ADC (subMod), in registers; the intrinsic versions these
// replaced let the compiler move the mask selection into SSE registers (docs/native-prover.md, "Field arithmetic").
static inline __attribute__((always_inline)) void addMod(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4]) {
#if defined(__x86_64__)
  uint64_t s0 = a[0], s1 = a[1], s2 = a[2], s3 = a[3], t0, t1, t2, t3;
  asm("addq %[b0], %[s0]\n\t"
      "adcq %[b1], %[s1]\n\t"
      "adcq %[b2], %[s2]\n\t"
      "adcq %[b3], %[s3]\n\t"  // s = a + b < 2p < 2^256
      "movq %[s0], %[t0]\n\t"
      "subq %[p0], %[t0]\n\t"
      "movq %[s1], %[t1]\n\t"
      "sbbq %[p1], %[t1]\n\t"
      "movq %[s2], %[t2]\n\t"
      "sbbq %[p2], %[t2]\n\t"
      "movq %[s3], %[t3]\n\t"
      "sbbq %[p3], %[t3]\n\t"  // t = s − p; borrow when s < p: keep s
      "cmovcq %[s0], %[t0]\n\t"
      "cmovcq %[s1], %[t1]\n\t"
      "cmovcq %[s2], %[t2]\n\t"
      "cmovcq %[s3], %[t3]\n\t"
      : [s0] "+&r"(s0), [s1] "+&r"(s1), [s2] "+&r"(s2), [s3] "+&r"(s3), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [b0] "m"(b[0]), [b1] "m"(b[1]), [b2] "m"(b[2]), [b3] "m"(b[3]), [p0] "m"(p[0]), [p1] "m"(p[1]), [p2] "m"(p[2]), [p3] "m"(p[3])
      : "cc");
  r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3;
#else
  add4(r, a, b);
  if (geq4(r, p)) sub4(r, r, p);
#endif
}
static inline __attribute__((always_inline)) void subMod(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4]) {
#if defined(__x86_64__)
  uint64_t d0 = a[0], d1 = a[1], d2 = a[2], d3 = a[3], m, t0, t1, t2, t3;
  asm("subq %[b0], %[d0]\n\t"
      "sbbq %[b1], %[d1]\n\t"
      "sbbq %[b2], %[d2]\n\t"
      "sbbq %[b3], %[d3]\n\t"
      "sbbq %[m], %[m]\n\t"  // all ones when a < b: add p back
      "movq %[p0], %[t0]\n\t"
      "andq %[m], %[t0]\n\t"
      "movq %[p1], %[t1]\n\t"
      "andq %[m], %[t1]\n\t"
      "movq %[p2], %[t2]\n\t"
      "andq %[m], %[t2]\n\t"
      "movq %[p3], %[t3]\n\t"
      "andq %[m], %[t3]\n\t"
      "addq %[t0], %[d0]\n\t"
      "adcq %[t1], %[d1]\n\t"
      "adcq %[t2], %[d2]\n\t"
      "adcq %[t3], %[d3]\n\t"
      : [d0] "+&r"(d0), [d1] "+&r"(d1), [d2] "+&r"(d2), [d3] "+&r"(d3), [m] "=&r"(m), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
      : [b0] "m"(b[0]), [b1] "m"(b[1]), [b2] "m"(b[2]), [b3] "m"(b[3]), [p0] "m"(p[0]), [p1] "m"(p[1]), [p2] "m"(p[2]), [p3] "m"(p[3])
      : "cc");
  r[0] = d0; r[1] = d1; r[2] = d2; r[3] = d3;
#else
  if (sub4(r, a, b)) add4(r, r, p);
#endif
}

template <const FieldParams& P>
struct Fp {
  uint64_t v[4];

  static Fp zero() { Fp r; r.v[0] = r.v[1] = r.v[2] = r.v[3] = 0; return r; }
  static Fp one() { Fp r; memcpy(r.v, P.one, 32); return r; }
  static const FieldParams& params() { return P; }

  // From a canonical integer (< p) to Montgomery form.
  static Fp fromInt(const uint64_t a[4]) { Fp r; montMul(r.v, a, P.r2, P); return r; }
  static Fp fromU64(uint64_t x) { uint64_t a[4] = {x, 0, 0, 0}; return fromInt(a); }
  // Montgomery form back to a canonical integer.
  void toInt(uint64_t out[4]) const { static const uint64_t one1[4] = {1, 0, 0, 0}; montMul(out, v, one1, P); }

  bool isZero() const { return isZero4(v); }
  bool operator==(const Fp& o) const { return v[0] == o.v[0] && v[1] == o.v[1] && v[2] == o.v[2] && v[3] == o.v[3]; }
  bool operator!=(const Fp& o) const { return !(*this == o); }

  friend inline __attribute__((always_inline)) Fp operator*(const Fp& a, const Fp& b) { Fp r; montMul(r.v, a.v, b.v, P); return r; }
  friend inline Fp operator+(const Fp& a, const Fp& b) { Fp r; addMod(r.v, a.v, b.v, P.p); return r; }
  friend inline Fp operator-(const Fp& a, const Fp& b) { Fp r; subMod(r.v, a.v, b.v, P.p); return r; }
  Fp operator-() const { if (isZero()) return *this; Fp r; sub4(r.v, P.p, v); return r; }
  __attribute__((always_inline)) Fp sqr() const { Fp r; montSqr(r.v, v, P); return r; }
  Fp dbl() const { return *this + *this; }

  // a^e for a canonical 4-limb exponent.
  Fp pow(const uint64_t e[4]) const {
    Fp result = one(), base = *this;
    int bits = bitLength4(e);
    for (int i = bits - 1; i >= 0; i--) {
      result = result.sqr();
      if ((e[i / 64] >> (i % 64)) & 1) result = result * base;
    }
    return result;
  }
  // Inverse (binary GCD, invMont); inverse of zero is zero.
  Fp inv() const { Fp r; invMont(r.v, v, P); return r; }
  // Inverse by Fermat (a^(p−2)): the reference the tests and the micro-benchmark compare invMont with.
  Fp invFermat() const {
    uint64_t e[4];
    uint64_t two[4] = {2, 0, 0, 0};
    sub4(e, P.p, two);
    return pow(e);
  }
};

extern FieldParams FQ_PARAMS;
extern FieldParams FR_PARAMS;
typedef Fp<FQ_PARAMS> Fq;
typedef Fp<FR_PARAMS> Fr;

// Fq2 = Fq[u]/(u^2 + 1).
struct Fq2 {
  Fq c0, c1;
  static Fq2 zero() { return {Fq::zero(), Fq::zero()}; }
  static Fq2 one() { return {Fq::one(), Fq::zero()}; }
  bool isZero() const { return c0.isZero() && c1.isZero(); }
  bool operator==(const Fq2& o) const { return c0 == o.c0 && c1 == o.c1; }
  friend inline Fq2 operator+(const Fq2& a, const Fq2& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend inline Fq2 operator-(const Fq2& a, const Fq2& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
  Fq2 operator-() const { return {-c0, -c1}; }
  // Karatsuba with lazy reduction (docs/native-prover.md, "Field arithmetic"): the three 512-bit products are
  // combined unreduced — c0 = a0·b0 − a1·b1 (+ p·2^256 when negative), c1 = (a0+a1)(b0+b1) − a0·b0 − a1·b1 =
  // a0·b1 + a1·b0 < 2p² — and reduced twice instead of three times. Every input to montRed stays below p·2^256.
  friend inline Fq2 operator*(const Fq2& a, const Fq2& b) {
    uint64_t t0[8], t1[8], t2[8], sa[4], sb[4];
    mulWide(t0, a.c0.v, b.c0.v);
    mulWide(t1, a.c1.v, b.c1.v);
    add4(sa, a.c0.v, a.c1.v);  // < 2p, not reduced
    add4(sb, b.c0.v, b.c1.v);
    mulWide(t2, sa, sb);
    sub8(t2, t2, t0);
    sub8(t2, t2, t1);
    uint64_t neg = (uint64_t)0 - sub8(t0, t0, t1);
    const uint64_t pm[4] = {FQ_PARAMS.p[0] & neg, FQ_PARAMS.p[1] & neg, FQ_PARAMS.p[2] & neg, FQ_PARAMS.p[3] & neg};
    add4(t0 + 4, t0 + 4, pm);  // mod 2^512: a0·b0 − a1·b1 + p·2^256 ≥ 0 when the difference was negative
    Fq2 r;
    montRed(r.c0.v, t0, FQ_PARAMS);
    montRed(r.c1.v, t2, FQ_PARAMS);
    return r;
  }
  // Complex squaring (c0 + c1·u)² = (c0 + c1)(c0 − c1) + 2·c0·c1·u with unreduced operands: c0 + c1, c0 + p − c1
  // and 2·c1 are all < 2p, and a Montgomery product of operands < 2p is fully reduced (4p < 2^256).
  Fq2 sqr() const {
    uint64_t s[4], d[4], c1x2[4];
    add4(s, c0.v, c1.v);
    sub4(d, FQ_PARAMS.p, c1.v);
    add4(d, d, c0.v);
    add4(c1x2, c1.v, c1.v);
    Fq2 r;
    montMul(r.c0.v, s, d, FQ_PARAMS);
    montMul(r.c1.v, c0.v, c1x2, FQ_PARAMS);
    return r;
  }
  Fq2 dbl() const { return {c0.dbl(), c1.dbl()}; }
  Fq2 inv() const {
    Fq t = (c0.sqr() + c1.sqr()).inv();
    return {c0 * t, -(c1 * t)};
  }
};

// Decimal string of a canonical 4-limb integer.
std::string toDecimal(const uint64_t a[4]);

}  // namespace zk
