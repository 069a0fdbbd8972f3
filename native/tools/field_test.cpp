// Unit checks of the field arithmetic (docs/native-prover.md, "Field arithmetic"; run by test/native/field.test.ts).
//   field_test            reads operations on raw limbs from stdin, one per line, and prints each result in hex, so
//                         the test can compare them with BigInt: "<op> <q|r> <hex>..." with op one of mul, sqr,
//                         wide, red, inv, add, sub, f2mul, f2sqr (Fq only; prints c0 and c1)
//   field_test self N S   N random values (seed S): every new routine against the one it replaced
//                         (native/tools/field_ref.hpp) and the x86 path against the portable one; "ALL OK" at the end
// ZKINFER_NATIVE_NO_ASM=1 selects the portable paths for the first mode.
#include <algorithm>
#include <cstdio>
#include <vector>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include "field.hpp"
#include "field_ref.hpp"
#include "ifma.hpp"

using namespace zk;

static void parseHex(const std::string& s, uint64_t* out, int limbs) {
  memset(out, 0, 8 * limbs);
  int bit = 0;
  for (int i = (int)s.size() - 1; i >= 0; i--, bit += 4) {
    char c = s[i];
    uint64_t d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    if (d == 99 || bit >= 64 * limbs) { fprintf(stderr, "bad hex %s\n", s.c_str()); exit(2); }
    out[bit / 64] |= d << (bit % 64);
  }
}
static void printHex(const uint64_t* v, int limbs) {
  for (int i = limbs - 1; i >= 0; i--) printf("%016llx", (unsigned long long)v[i]);
}

static int failures = 0;
static void check(bool ok, const char* what, uint64_t i) {
  if (!ok && failures++ < 10) printf("FAIL %s at %llu\n", what, (unsigned long long)i);
}

#if ZK_IFMA_BUILD
// One batch of order.size() affine additions over F through addAll (ifma::addAll or addAll2) against the scalar
// formula: x3 = λ² − x1 − x2, y3 = λ·(x1 − x3) − y1 with λ = num / den; op k writes destination order[k].
template <class F, class RndF, class AddAll>
static void checkAddAll(const std::vector<size_t>& order, RndF rndF, AddAll addAll, const char* what) {
  struct Pt { F x, y; };
  struct Op { Pt* dst; const Pt* src; uint8_t dbl, neg; };
  const size_t m = order.size();
  std::vector<F> den(m), num(m);
  std::vector<Pt> dst(m), src(m), want(m);
  std::vector<Op> ops(m);
  for (size_t k = 0; k < m; k++) {
    do den[k] = rndF(); while (den[k].isZero());
    num[k] = rndF();
    dst[k] = {rndF(), rndF()};
    src[k] = {rndF(), rndF()};
  }
  for (size_t k = 0; k < m; k++) {
    const size_t d = order[k];  // op k writes a destination far from op k − 1's, before or after it
    ops[k] = {&dst[d], &src[k], 0, 0};
    const F l = num[k] * den[k].inv();
    const F x3 = l.sqr() - dst[d].x - src[k].x;
    want[d] = {x3, l * (dst[d].x - x3) - dst[d].y};
  }
  addAll(ops.data(), den.data(), num.data(), m);
  for (size_t k = 0; k < m; k++) check(dst[k].x == want[k].x && dst[k].y == want[k].y, what, k);
}
#endif

// The eight-lane IFMA batch inversion and affine additions (ifma.hpp) against the scalar formulas, for batch sizes
// around the lane count and the MSM's (partial last groups included), destinations in shuffled order.
template <class Rng, class Rnd>
static void ifmaSelfTest(Rng& rng, Rnd& rnd) {
#if ZK_IFMA_BUILD
  if (!ifmaOn()) {
    printf("no AVX-512 IFMA on this CPU (or ZKINFER_NATIVE_IFMA=0): the eight-lane path is not compared\n");
    return;
  }
  size_t checked = 0;
  for (size_t m : {1, 2, 7, 8, 9, 15, 16, 17, 31, 40, 100, 511, 512, 513, 1024}) {
    std::vector<Fq> den(m), inv(m);
    for (size_t k = 0; k < m; k++) {
      do den[k] = rnd(FQ_PARAMS, 1); while (den[k].isZero());
    }
    ifma::invertAll(den.data(), inv.data(), m);
    for (size_t k = 0; k < m; k++) check(inv[k] == den[k].inv() && !geq4(inv[k].v, FQ_PARAMS.p), "IFMA invertAll = inv, reduced", k);
    std::vector<size_t> order(m);
    for (size_t k = 0; k < m; k++) order[k] = k;
    std::shuffle(order.begin(), order.end(), rng);
    checkAddAll<Fq>(order, [&] { return rnd(FQ_PARAMS, 1); }, [](auto* ops, auto* d, auto* n, size_t c) { ifma::addAll(ops, d, n, c); },
                    "IFMA addAll = scalar affine addition");
    checkAddAll<Fq2>(order, [&] { return Fq2{rnd(FQ_PARAMS, 1), rnd(FQ_PARAMS, 1)}; },
                     [](auto* ops, auto* d, auto* n, size_t c) { ifma::addAll2(ops, d, n, c); }, "IFMA addAll2 = scalar Fq2 affine addition");
    checked += m;
  }
  printf("ok IFMA: eight-lane batch inversion and affine additions over Fq and Fq2 = scalar (%zu elements each, batches of 1 to 1024)\n", checked);
#else
  (void)rng;
  (void)rnd;
  printf("the eight-lane IFMA path is not built here (GCC on x86-64 only): not compared\n");
#endif
}

static int selfTest(uint64_t n, uint64_t seed) {
  if (!HAS_ADX) { printf("no ADX/BMI2 on this CPU: the x86 paths are not compared\n"); }
  std::mt19937_64 rng(seed);
  auto rnd = [&](const FieldParams& P, uint64_t bound2) {  // uniform below p (bound2 = 1) or below 2p (bound2 = 2)
    uint64_t v[4];
    for (;;) {
      for (int i = 0; i < 4; i++) v[i] = rng();
      v[3] >>= 2;
      uint64_t lim[4];
      if (bound2 == 2) add4(lim, P.p, P.p); else memcpy(lim, P.p, 32);
      if (!geq4(v, lim)) break;
    }
    Fq r;
    memcpy(r.v, v, 32);
    return r;
  };
  for (const FieldParams* PP : {&FQ_PARAMS, &FR_PARAMS}) {
    const FieldParams& P = *PP;
    for (uint64_t i = 0; i < n; i++) {
      Fq a = rnd(P, 2), b = rnd(P, 2);  // operands below 2p: the lazy routines' contract
      uint64_t m1[4], m2[4], w1[8], w2[8], r1[4], r2[4];
      montMulGeneric(m1, a.v, b.v, P);
      if (HAS_ADX) {
        montMulAdx(m2, a.v, b.v, P);
        check(!memcmp(m1, m2, 32), "montMulAdx = montMulGeneric (operands < 2p)", i);
        mulWideAdx(w1, a.v, b.v);
        mulWideGeneric(w2, a.v, b.v);
        check(!memcmp(w1, w2, 64), "mulWideAdx = mulWideGeneric", i);
        montRedAdx(r1, w1, P.p);
        montRedGeneric(r2, w1, P.p);
        check(!memcmp(r1, r2, 32) && !memcmp(r1, m1, 32), "montRed(a·b) = montMul(a, b)", i);
      }
      montMulGeneric(m1, a.v, a.v, P);
      montSqr(m2, a.v, P);
      check(!memcmp(m1, m2, 32), "montSqr = montMul(a, a)", i);
      uint64_t in[4];  // in place (r aliases a): the asm must read a before it writes r
      memcpy(in, a.v, 32);
      montSqr(in, in, P);
      check(!memcmp(in, m1, 32), "montSqr in place", i);
      memcpy(in, a.v, 32);
      montMul(in, in, in, P);
      check(!memcmp(in, m1, 32), "montMul in place", i);
      addMod(in, in, in, P.p);
      addMod(m2, m1, m1, P.p);
      check(!memcmp(in, m2, 32), "addMod in place", i);
      subMod(in, in, m1, P.p);
      check(!memcmp(in, m1, 32), "subMod in place", i);
      check(!geq4(m2, P.p), "montSqr fully reduced", i);
    }
    printf("ok %s: montMul/mulWide/montRed x86 = portable, montSqr = montMul(a, a), in place too (%llu pairs below 2p)\n", &P == &FQ_PARAMS ? "Fq" : "Fr",
           (unsigned long long)n);
  }
  for (uint64_t i = 0; i < n; i++) {
    Fq2 a{rnd(FQ_PARAMS, 1), rnd(FQ_PARAMS, 1)}, b{rnd(FQ_PARAMS, 1), rnd(FQ_PARAMS, 1)};
    check(a * b == ref::mul(a, b), "Fq2 lazy mul = Karatsuba", i);
    check(a.sqr() == ref::sqr(a), "Fq2 sqr = reference", i);
    check(a.c0.sqr() == ref::sqr(a.c0), "Fq sqr = a·a", i);
  }
  printf("ok Fq2: lazy Karatsuba and complex squaring = the reduced versions (%llu pairs)\n", (unsigned long long)n);
  uint64_t ni = n / 20 + 10;
  for (uint64_t i = 0; i < ni; i++) {
    Fq a = rnd(FQ_PARAMS, 1);
    Fq ai = a.inv();
    check(ai == ref::inv(a), "Fq inv = Fermat", i);
    check(a.isZero() || (ai * a) == Fq::one(), "Fq a·a^−1 = 1", i);
    Fr x;
    memcpy(x.v, rnd(FR_PARAMS, 1).v, 32);
    check(x.inv() == ref::inv(x), "Fr inv = Fermat", i);
    Fq2 z{rnd(FQ_PARAMS, 1), rnd(FQ_PARAMS, 1)};
    check(z.inv() * z == Fq2::one(), "Fq2 z·z^−1 = 1", i);
  }
  check(Fq::zero().inv().isZero() && Fr::zero().inv().isZero(), "inv(0) = 0", 0);
  printf("ok inverse: binary GCD = Fermat on Fq and Fr, a·a^−1 = 1 on Fq and Fq2, inv(0) = 0 (%llu values)\n", (unsigned long long)ni);
  ifmaSelfTest(rng, rnd);
  if (failures) { printf("%d FAILURES\n", failures); return 1; }
  printf("ALL OK\n");
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 2 && !strcmp(argv[1], "self")) return selfTest(argc > 2 ? strtoull(argv[2], 0, 10) : 10000, argc > 3 ? strtoull(argv[3], 0, 10) : 1);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string op, fld;
    in >> op >> fld;
    if (op.empty()) continue;
    const FieldParams& P = fld == "r" ? FR_PARAMS : FQ_PARAMS;
    std::string h[4];
    for (auto& s : h) in >> s;
    uint64_t a[8], b[8], c[8], d[8], r[8], r2[4];
    auto load = [&](uint64_t* v, const std::string& s, int limbs) { parseHex(s, v, limbs); };
    if (op == "mul" || op == "add" || op == "sub" || op == "wide") {
      load(a, h[0], 4);
      load(b, h[1], 4);
      if (op == "mul") montMul(r, a, b, P);
      else if (op == "add") addMod(r, a, b, P.p);
      else if (op == "sub") subMod(r, a, b, P.p);
      else { mulWide(r, a, b); printHex(r, 8); printf("\n"); continue; }
      printHex(r, 4);
    } else if (op == "sqr") {
      load(a, h[0], 4);
      montSqr(r, a, P);
      printHex(r, 4);
    } else if (op == "red") {
      load(a, h[0], 8);
      montRed(r, a, P);
      printHex(r, 4);
    } else if (op == "inv") {
      load(a, h[0], 4);
      invMont(r, a, P);
      printHex(r, 4);
    } else if (op == "f2mul" || op == "f2sqr") {
      Fq2 x, y;
      load(x.c0.v, h[0], 4);
      load(x.c1.v, h[1], 4);
      Fq2 z;
      if (op == "f2mul") {
        load(y.c0.v, h[2], 4);
        load(y.c1.v, h[3], 4);
        z = x * y;
      } else {
        z = x.sqr();
      }
      memcpy(r, z.c0.v, 32);
      memcpy(r2, z.c1.v, 32);
      printHex(r, 4);
      printf(" ");
      printHex(r2, 4);
    } else {
      fprintf(stderr, "unknown op %s\n", op.c_str());
      return 2;
    }
    printf("\n");
    (void)c; (void)d;
  }
  return 0;
}
