// The arithmetic the round-7 routines replaced (docs/native-prover.md, "Field arithmetic"), kept as references for
// native/tools/field_test.cpp (equality on random and edge values) and native/tools/micro_field.cpp (same-run
// timings): squaring as a plain Montgomery product, Fq2 Karatsuba with three reduced products, complex squaring
// with reduced operands, the inverse by Fermat.
#pragma once
#include <type_traits>

#include "field.hpp"

namespace zk {
namespace ref {

inline Fq sqr(const Fq& a) { return a * a; }
inline Fq2 mul(const Fq2& a, const Fq2& b) {
  Fq aa = a.c0 * b.c0, bb = a.c1 * b.c1;
  Fq cross = (a.c0 + a.c1) * (b.c0 + b.c1);
  return {aa - bb, cross - aa - bb};
}
inline Fq2 sqr(const Fq2& a) {
  Fq m = a.c0 * a.c1;
  return {(a.c0 + a.c1) * (a.c0 - a.c1), m + m};
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
  friend Old operator+(const Old& a, const Old& b) { return {a.v + b.v}; }
  friend Old operator-(const Old& a, const Old& b) { return {a.v - b.v}; }
  Old operator-() const { return {-v}; }
  friend Old operator*(const Old& a, const Old& b) {
    if constexpr (std::is_same<F, Fq2>::value) return {ref::mul(a.v, b.v)};
    else return {a.v * b.v};
  }
  Old sqr() const { return {ref::sqr(v)}; }
  Old dbl() const { return {v.dbl()}; }
  Old inv() const { return {ref::inv(v)}; }
};

}  // namespace ref
}  // namespace zk
