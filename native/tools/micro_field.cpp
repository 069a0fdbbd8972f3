// Field/curve micro-benchmark (docs/native-prover.md, "Field arithmetic"): each routine beside the one it replaced
// (native/tools/field_ref.hpp), alternating in the same run, ROUNDS rounds, median ns per operation:
// Montgomery multiply (latency: one dependent chain; throughput: four independent chains), squaring, add/sub,
// Fq2 multiply and square, the inverse, G1/G2 mixed Jacobian addition, and a batch-affine bucket addition as
// msm.cpp does it (5M + 1S per addition plus one inverse per batch of 256, Montgomery's trick).
// Build: g++ -O3 -std=c++17 -pthread -Inative/src native/tools/micro_field.cpp native/src/field.cpp native/src/curve.cpp
// Usage: micro_field [rounds=5]
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "curve.hpp"
#include "field.hpp"
#include "field_ref.hpp"
using namespace zk;

// thread CPU time: steadier than wall time on a shared, loaded machine
static double now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
static volatile uint64_t sink;

// ns per operation: f(iters) runs iters loop iterations of ops operations each
static double timeIt(const std::function<void(int)>& f, int iters, int ops) {
  double t = now();
  f(iters);
  return (now() - t) / iters / ops * 1e9;
}

template <class F>
F seedF(uint64_t k) { return F::fromU64(k * 0x9e3779b97f4a7c15ULL >> 3); }
template <>
Fq2 seedF<Fq2>(uint64_t k) { return {seedF<Fq>(k), seedF<Fq>(k + 77)}; }

// Batch-affine additions into one running point per slot, as msm.cpp's flush (Montgomery's trick: one inverse
// per batch, 3 products per element to share it, then λ, λ², y3: 5M + 1S per addition).
template <class F>
void batchAffine(std::vector<Affine<F>>& acc, const std::vector<Affine<F>>& pts, int rounds) {
  size_t m = acc.size();
  std::vector<F> den(m), pref(m);
  for (int r = 0; r < rounds; r++) {
    const Affine<F>* P = &pts[(size_t)r * m];
    F prod = F::one();
    for (size_t k = 0; k < m; k++) {
      den[k] = P[k].x - acc[k].x;
      pref[k] = prod;
      prod = prod * den[k];
    }
    F inv = prod.inv();
    for (size_t k = m; k-- > 0;) {
      F dinv = inv * pref[k];
      inv = inv * den[k];
      F lambda = (P[k].y - acc[k].y) * dinv;
      F x3 = lambda.sqr() - acc[k].x - P[k].x;
      acc[k].y = lambda * (acc[k].x - x3) - acc[k].y;
      acc[k].x = x3;
    }
  }
}
// The same points and accumulators with the replaced arithmetic (field_ref.hpp's Old<F>).
template <class F>
std::vector<Affine<ref::Old<F>>> toOld(const std::vector<Affine<F>>& v) {
  std::vector<Affine<ref::Old<F>>> out;
  for (auto& p : v) out.push_back({{p.x}, {p.y}});
  return out;
}

template <class F>
std::vector<Affine<F>> randomPoints(size_t n, const Jac<F>& g) {
  std::vector<Affine<F>> out;
  Jac<F> cur = g;
  for (size_t i = 0; i < n; i++) {
    cur.add(g);
    cur = cur.dbl();
    out.push_back(cur.toAffine());
  }
  return out;
}

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  const int N = 4000000;
  struct Row { const char* name; std::function<void(int)> oldF, newF; std::vector<double> o, n; int iters; int ops = 1; };
  Fq a = seedF<Fq>(1), b = seedF<Fq>(2), c = seedF<Fq>(3), d = seedF<Fq>(4);
  Fq2 x = seedF<Fq2>(5), y = seedF<Fq2>(6), z = seedF<Fq2>(7), w = seedF<Fq2>(8);
  G1 g1 = G1{Fq::fromU64(1), Fq::fromU64(2), Fq::one()};
  const G2Affine g2a = {Fq2{Fq::fromInt((const uint64_t[4]){0x46debd5cd992f6edULL, 0x674322d4f75edaddULL, 0x426a00665e5c4479ULL, 0x1800deef121f1e76ULL}),
                             Fq::fromInt((const uint64_t[4]){0x97e485b7aef312c2ULL, 0xf1aa493335a9e712ULL, 0x7260bfb731fb5d25ULL, 0x198e9393920d483aULL})},
                        Fq2{Fq::fromInt((const uint64_t[4]){0x4ce6cc0166fa7daaULL, 0xe3d1e7690c43d37bULL, 0x4aab71808dcb408fULL, 0x12c85ea5db8c6debULL}),
                             Fq::fromInt((const uint64_t[4]){0x55acdadcd122975bULL, 0xbc4b313370b38ef3ULL, 0xec9e99ad690c3395ULL, 0x090689d0585ff075ULL})}};
  if (!onCurveG2(g2a)) { fprintf(stderr, "G2 generator not on the curve\n"); return 1; }
  G2 g2 = G2::fromAffine(g2a);
  const size_t BATCH = 256, BR = 40;
  auto p1 = randomPoints<Fq>(BATCH * (BR + 1), g1);
  auto p2 = randomPoints<Fq2>(BATCH * (BR + 1), g2);
  std::vector<G1Affine> acc1(p1.end() - BATCH, p1.end());
  std::vector<G2Affine> acc2(p2.end() - BATCH, p2.end());
  auto o1 = toOld(p1), oacc1 = toOld(acc1);
  auto o2 = toOld(p2), oacc2 = toOld(acc2);
  G1Affine q1 = p1[3];
  G2Affine q2 = p2[3];
  G1 j1 = g1.dbl();
  G2 j2 = g2.dbl();
  Jac<ref::Old<Fq>> k1{{j1.X}, {j1.Y}, {j1.Z}};
  Jac<ref::Old<Fq2>> k2{{j2.X}, {j2.Y}, {j2.Z}};
  const ref::Old<Fq> r1x{q1.x}, r1y{q1.y};
  const ref::Old<Fq2> r2x{q2.x}, r2y{q2.y};
  std::vector<Row> rows = {
      {"Fq mul latency (one chain)", [&](int n) { for (int i = 0; i < n; i++) a = a * b; }, [&](int n) { for (int i = 0; i < n; i++) a = a * b; }, {}, {}, N},
      {"Fq mul throughput (4 chains)", [&](int n) { for (int i = 0; i < n; i++) { a = a * b; c = c * d; b = b * d; d = d * a; } }, [&](int n) { for (int i = 0; i < n; i++) { a = a * b; c = c * d; b = b * d; d = d * a; } }, {}, {}, N / 4, 4},
      {"Fq sqr latency (a·a → montSqr)", [&](int n) { for (int i = 0; i < n; i++) a = ref::sqr(a); }, [&](int n) { for (int i = 0; i < n; i++) a = a.sqr(); }, {}, {}, N},
      {"Fq sqr throughput (4 chains)", [&](int n) { for (int i = 0; i < n; i++) { a = ref::sqr(a); b = ref::sqr(b); c = ref::sqr(c); d = ref::sqr(d); } }, [&](int n) { for (int i = 0; i < n; i++) { a = a.sqr(); b = b.sqr(); c = c.sqr(); d = d.sqr(); } }, {}, {}, N / 4, 4},
      {"Fq add/sub", [&](int n) { for (int i = 0; i < n; i++) { a = ref::add(a, b); b = ref::sub(b, a); } }, [&](int n) { for (int i = 0; i < n; i++) { a = a + b; b = b - a; } }, {}, {}, N, 2},
      {"Fq2 mul latency", [&](int n) { for (int i = 0; i < n; i++) x = ref::mul(x, y); }, [&](int n) { for (int i = 0; i < n; i++) x = x * y; }, {}, {}, N / 4},
      {"Fq2 mul throughput (2 chains)", [&](int n) { for (int i = 0; i < n; i++) { x = ref::mul(x, y); z = ref::mul(z, w); } }, [&](int n) { for (int i = 0; i < n; i++) { x = x * y; z = z * w; } }, {}, {}, N / 8, 2},
      {"Fq2 sqr latency", [&](int n) { for (int i = 0; i < n; i++) x = ref::sqr(x); }, [&](int n) { for (int i = 0; i < n; i++) x = x.sqr(); }, {}, {}, N / 4},
      {"Fq inverse (Fermat → binary GCD)", [&](int n) { for (int i = 0; i < n; i++) a = ref::inv(a) + b; }, [&](int n) { for (int i = 0; i < n; i++) a = a.inv() + b; }, {}, {}, 2000},
      {"Fr inverse (Fermat → binary GCD)", [&](int n) { Fr r = Fr::fromU64(n + 3); for (int i = 0; i < n; i++) r = ref::inv(r) + Fr::one(); sink = r.v[0]; }, [&](int n) { Fr r = Fr::fromU64(n + 3); for (int i = 0; i < n; i++) r = r.inv() + Fr::one(); sink = r.v[0]; }, {}, {}, 2000},
      {"G1 mixed add (madd-2007-bl, 7M+4S)", [&](int n) { for (int i = 0; i < n; i++) k1.addMixed(r1x, r1y); }, [&](int n) { for (int i = 0; i < n; i++) j1.addMixed(q1.x, q1.y); }, {}, {}, N / 10},
      {"G2 mixed add (madd-2007-bl, 7M+4S)", [&](int n) { for (int i = 0; i < n; i++) k2.addMixed(r2x, r2y); }, [&](int n) { for (int i = 0; i < n; i++) j2.addMixed(q2.x, q2.y); }, {}, {}, N / 40},
      {"G1 batch-affine add (5M+1S+inv/256)", [&](int n) { batchAffine(oacc1, o1, n / (int)BATCH); }, [&](int n) { batchAffine(acc1, p1, n / (int)BATCH); }, {}, {}, (int)(BATCH * BR)},
      {"G2 batch-affine add (5M+1S+inv/256)", [&](int n) { batchAffine(oacc2, o2, n / (int)BATCH); }, [&](int n) { batchAffine(acc2, p2, n / (int)BATCH); }, {}, {}, (int)(BATCH * BR)},
  };
  for (int r = 0; r < rounds; r++) {
    for (auto& row : rows) {  // alternate: old, new (first round is a warm-up too: medians over all rounds)
      row.o.push_back(timeIt(row.oldF, row.iters, row.ops));
      row.n.push_back(timeIt(row.newF, row.iters, row.ops));
    }
  }
  auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  printf("%-40s %10s %10s %8s\n", "operation (median thread-CPU ns per op)", "before", "after", "gain");
  for (auto& row : rows) {
    double o = med(row.o), n = med(row.n);
    printf("%-40s %10.1f %10.1f %7.2fx\n", row.name, o, n, o / n);
  }
  printf("HAS_ADX=%d rounds=%d (%llu %llu %llu %llu)\n", (int)HAS_ADX, rounds, (unsigned long long)a.v[0], (unsigned long long)x.c0.v[0],
         (unsigned long long)j1.X.v[0] ^ j2.X.c0.v[0] ^ k1.X.v.v[0] ^ k2.X.v.c0.v[0],
         (unsigned long long)acc1[0].x.v[0] ^ acc2[0].x.c1.v[0] ^ oacc1[0].x.v.v[0] ^ oacc2[0].x.v.c1.v[0]);
}
