// MSM timing driver (no Node): msm_bench <zkey> <g1|g2> <n> <reps> [c ...]
// Takes the first n finite points of the key's C (G1) or B2 (G2) section, n random 254-bit scalars (fixed seed),
// and prints, for each window size c (0 = the cost model's choice), the median CPU time of `reps` MSMs (this
// process's user + system time, all threads: steadier than wall time on a loaded machine) and the wall median.
// MSM_BENCH_SMALL=1 takes signed 8-bit scalars instead; MSM_BENCH_T=t builds fixed-base tables of factor t (msm.hpp
// FixedBases) and runs the MSM on them. Every c must give the same sum; a mismatch exits 1. Run with ZKINFER_NATIVE_THREADS=1 for per-core cost.
// Build: g++ -O3 -std=c++17 -pthread -Inative/src native/tools/msm_bench.cpp native/src/{field,curve,fft,msm,zkey,keycache}.cpp
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <sys/resource.h>

#include "keycache.hpp"
#include "msm.hpp"

using namespace zk;

static double cpuMs() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

template <class F>
static int run(const Affine<F>* all, size_t avail, size_t n, int reps, const std::vector<int>& cs, const char* name) {
  std::vector<Affine<F>> pts;
  for (size_t i = 0; i < avail && pts.size() < n; i++)
    if (!all[i].isInf()) pts.push_back(all[i]);
  n = pts.size();
  std::mt19937_64 g(42);
  std::vector<uint64_t> sc(4 * n);
  // MSM_BENCH_SMALL=1: signed 8-bit scalars (x or r − x, |x| ≤ 128), as a quantized model's witness
  const char* smallEnv = getenv("MSM_BENCH_SMALL");
  const bool small = smallEnv && smallEnv[0] == '1';
  for (size_t i = 0; i < n; i++) {
    uint64_t* s = &sc[4 * i];
    if (small) {
      const uint64_t x[4] = {g() % 128 + 1, 0, 0, 0};
      if (g() & 1) sub4(s, FR_PARAMS.p, x);
      else memcpy(s, x, 32);
      continue;
    }
    do {
      for (int k = 0; k < 4; k++) s[k] = g();
      s[3] &= (1ULL << 62) - 1;
    } while (geq4(s, FR_PARAMS.p));
  }
  // MSM_BENCH_T=t: fixed-base tables of factor t built here (msm.hpp FixedBases)
  const char* tEnv = getenv("MSM_BENCH_T");
  const int t = tEnv ? std::max(1, atoi(tEnv)) : 1;
  std::vector<std::vector<Affine<F>>> tab(t);
  std::vector<const Affine<F>*> tp(t);
  std::vector<Affine<F>*> outp;
  tp[0] = pts.data();
  for (int k = 1; k < t; k++) {
    tab[k].resize(n);
    tp[k] = tab[k].data();
    outp.push_back(tab[k].data());
  }
  if constexpr (sizeof(F) == sizeof(Fq)) buildTablesG1(pts.data(), n, t, outp.data());
  else buildTablesG2(pts.data(), n, t, outp.data());
  const FixedBases<F> base{tp.data(), t};
  Affine<F> ref{};
  bool haveRef = false;
  for (int c : cs) {
    msmSetWindow(c);
    std::vector<double> cpu, wall;
    Affine<F> res{};
    for (int r = 0; r < reps; r++) {
      double c0 = cpuMs();
      auto t0 = std::chrono::steady_clock::now();
      Jac<F> j = [&] {
        if constexpr (sizeof(F) == sizeof(Fq)) return msmG1(base, sc.data(), n);
        else return msmG2(base, sc.data(), n);
      }();
      wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      cpu.push_back(cpuMs() - c0);
      res = j.toAffine();
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    printf("%s n=%zu c=%d threads=%u: cpu median %.1f ms, wall median %.1f ms (%.3f us/term cpu)\n", name, n, c, workerThreads(),
           cpu[cpu.size() / 2], wall[wall.size() / 2], cpu[cpu.size() / 2] * 1000 / (double)n);
    fflush(stdout);
    if (!haveRef) {
      ref = res;
      haveRef = true;
    } else if (!(ref.x == res.x && ref.y == res.y)) {
      printf("MISMATCH at c=%d\n", c);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: msm_bench <zkey> <g1|g2> <n> <reps> [c ...]\n");
    return 2;
  }
  try {
    std::shared_ptr<Zkey> z = loadZkey(argv[1], keyOptionsFromEnv());
    size_t n = strtoull(argv[3], nullptr, 10);
    int reps = atoi(argv[4]);
    std::vector<int> cs;
    for (int i = 5; i < argc; i++) cs.push_back(atoi(argv[i]));
    if (cs.empty()) cs.push_back(0);
    if (!strcmp(argv[2], "g2")) return run<Fq2>(z->B2[0], z->nVars, n, reps, cs, "G2");
    return run<Fq>(z->C[0], z->nC(), n, reps, cs, "G1");
  } catch (const std::exception& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
