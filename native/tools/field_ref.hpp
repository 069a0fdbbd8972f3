// The arithmetic the round-7 routines replaced (docs/native-prover.md, "Field arithmetic"), kept as references for
// native/tools/field_test.cpp (equality on random and edge values) and native/tools/micro_field.cpp (same-run
// timings): squaring as a plain Montgomery product, Fq2 Karatsuba with three reduced products, complex squaring
// with reduced operands, the inverse by Fermat.
#pragma once
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

}  // namespace ref
}  // namespace zk
