// Field/curve micro-benchmark: Montgomery multiplication latency and throughput, add/sub, mixed addition, inversion.
// Build: g++ -O3 -std=c++17 -pthread -Inative/src native/tools/micro_field.cpp native/src/field.cpp native/src/curve.cpp
#include "curve.hpp"
#include "field.hpp"
#include <chrono>
#include <cstdio>
#include <vector>
using namespace zk;
static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
int main() {
  Fq a = Fq::fromU64(123456789), b = Fq::fromU64(987654321), c = Fq::fromU64(5), d = Fq::fromU64(7);
  const int N = 20000000;
  double t = now();
  for (int i = 0; i < N; i++) { a = a * b; }
  double lat = (now() - t) / N * 1e9;
  t = now();
  for (int i = 0; i < N; i++) { a = a * b; c = c * d; b = b * d; d = d * a; }
  double thr = (now() - t) / N / 4 * 1e9;
  t = now();
  for (int i = 0; i < N; i++) { a = a + b; b = b - a; }
  double add = (now() - t) / N / 2 * 1e9;
  G1 g{Fq::fromU64(1), Fq::fromU64(2), Fq::one()};
  G1Affine ga = g.toAffine();
  G1 acc = g.dbl();
  t = now();
  for (int i = 0; i < 2000000; i++) acc.addMixed(ga.x, ga.y);
  double madd = (now() - t) / 2000000 * 1e9;
  t = now();
  for (int i = 0; i < 20; i++) a = a.inv();
  double inv = (now() - t) / 20 * 1e9;
  printf("montmul latency %.1f ns, throughput %.1f ns, add/sub %.1f ns, madd %.0f ns, inv %.0f ns (%llu %llu)\n", lat, thr, add, madd, inv,
         (unsigned long long)a.v[0] ^ c.v[0], (unsigned long long)acc.X.v[0]);
}
