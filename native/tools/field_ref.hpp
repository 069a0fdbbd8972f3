// The arithmetic the round-7 routines replaced (docs/native-prover.md, "Field arithmetic"), kept as references for
// native/tools/field_test.cpp (equality on random and edge values) and native/tools/micro_field.cpp (same-run
// timings): squaring as a plain Montgomery product, Fq2 Karatsuba with three reduced products, complex squaring
// with reduced operands, the inverse by Fermat, the intrinsic modular add/subtract.
#pragma once
#include <type_traits>

#include "field.hpp"

namespace zk {
namespace ref {

// The intrinsic add / subtract the x86 asm versions replaced.
static inline __attribute__((always_inline)) void addModIntrin(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4]) {
#if defined(__x86_64__)
  unsigned long long s0, s1, s2, s3, t0, t1, t2, t3;
  unsigned char c = _addcarry_u64(0, a[0], b[0], &s0);
  c = _addcarry_u64(c, a[1], b[1], &s1);
  c = _addcarry_u64(c, a[2], b[2], &s2);
  _addcarry_u64(c, a[3], b[3], &s3);
  unsigned char br = _subborrow_u64(0, s0, p[0], &t0);
  br = _subborrow_u64(br, s1, p[1], &t1);
  br = _subborrow_u64(br, s2, p[2], &t2);
  br = _subborrow_u64(br, s3, p[3], &t3);
  uint64_t keep = (uint64_t)0 - br;  // all ones when s < p
  r[0] = (s0 & keep) | (t0 & ~keep);
  r[1] = (s1 & keep) | (t1 & ~keep);
  r[2] = (s2 & keep) | (t2 & ~keep);
  r[3] = (s3 & keep) | (t3 & ~keep);
#else
  add4(r, a, b);
  if (geq4(r, p)) sub4(r, r, p);
#endif
}
static inline __attribute__((always_inline)) void subModIntrin(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4]) {
#if defined(__x86_64__)
  unsigned long long d0, d1, d2, d3;
  unsigned char br = _subborrow_u64(0, a[0], b[0], &d0);
  br = _subborrow_u64(br, a[1], b[1], &d1);
  br = _subborrow_u64(br, a[2], b[2], &d2);
  br = _subborrow_u64(br, a[3], b[3], &d3);
  uint64_t m = (uint64_t)0 - br;  // add p back when a < b
  unsigned char c = _addcarry_u64(0, d0, p[0] & m, &d0);
  c = _addcarry_u64(c, d1, p[1] & m, &d1);
  c = _addcarry_u64(c, d2, p[2] & m, &d2);
  _addcarry_u64(c, d3, p[3] & m, &d3);
  r[0] = d0; r[1] = d1; r[2] = d2; r[3] = d3;
#else
  if (sub4(r, a, b)) add4(r, r, p);
#endif
}

inline Fq add(const Fq& a, const Fq& b) { Fq r; addModIntrin(r.v, a.v, b.v, FQ_PARAMS.p); return r; }
inline Fq sub(const Fq& a, const Fq& b) { Fq r; subModIntrin(r.v, a.v, b.v, FQ_PARAMS.p); return r; }
inline Fq2 add(const Fq2& a, const Fq2& b) { return {add(a.c0, b.c0), add(a.c1, b.c1)}; }
inline Fq2 sub(const Fq2& a, const Fq2& b) { return {sub(a.c0, b.c0), sub(a.c1, b.c1)}; }
inline Fq sqr(const Fq& a) { return a * a; }
inline Fq2 mul(const Fq2& a, const Fq2& b) {
  Fq aa = a.c0 * b.c0, bb = a.c1 * b.c1;
  Fq cross = add(a.c0, a.c1) * add(b.c0, b.c1);
  return {sub(aa, bb), sub(sub(cross, aa), bb)};
}
inline Fq2 sqr(const Fq2& a) {
  Fq m = a.c0 * a.c1;
  return {add(a.c0, a.c1) * sub(a.c0, a.c1), add(m, m)};
}
template <class F>
F inv(const F& a) { return a.invFermat(); }

template <>
inline Fq2 inv<Fq2>(const Fq2& a) {
  Fq t = ref::inv(a.c0.sqr() + a.c1.sqr());
  return {a.c0 * t, -(a.c1 * t)};
}

// A field type whose products, squares and inverse are the replaced routines, so Jac<Old<F>> runs the curve
// formulas as they ran before (the micro-benchmark's "before" column for curve operations).
template <class F>
struct Old {
  F v;
  static Old zero() { return {F::zero()}; }
  static Old one() { return {F::one()}; }
  bool isZero() const { return v.isZero(); }
  bool operator==(const Old& o) const { return v == o.v; }
  friend Old operator+(const Old& a, const Old& b) { return {add(a.v, b.v)}; }
  friend Old operator-(const Old& a, const Old& b) { return {sub(a.v, b.v)}; }
  Old operator-() const { return {-v}; }
  friend Old operator*(const Old& a, const Old& b) {
    if constexpr (std::is_same<F, Fq2>::value) return {ref::mul(a.v, b.v)};
    else return {a.v * b.v};
  }
  Old sqr() const { return {ref::sqr(v)}; }
  Old dbl() const { return {add(v, v)}; }
  Old inv() const { return {ref::inv(v)}; }
};

}  // namespace ref
}  // namespace zk
