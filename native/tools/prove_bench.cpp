// Stand-alone timing driver for the prover core (no Node): prove_bench <zkey> <wtns> [runs]
// Prints the median wall time of `runs` proofs (after one warm-up), the per-phase timings of the last one and
// the process's peak RSS (the key's mapped pages included, as rapidsnark's /usr/bin/time figure).
// ZKINFER_NATIVE_PRECOMPUTE=t picks the fixed-base factor, ZKINFER_NATIVE_KEY_CACHE=0 skips the sidecar.
// Build: g++ -O3 -std=c++17 -pthread -Inative/src native/tools/prove_bench.cpp native/src/{field,curve,fft,msm,zkey,keycache,groth16}.cpp
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include <sys/resource.h>

#include "groth16.hpp"
#include "keycache.hpp"

static std::vector<uint8_t> readAll(const char* path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  std::vector<uint8_t> b((size_t)in.tellg());
  in.seekg(0);
  in.read(reinterpret_cast<char*>(b.data()), (std::streamsize)b.size());
  return b;
}

int main(int argc, char** argv) {
  if (argc < 3) { fprintf(stderr, "usage: prove_bench <zkey> <wtns> [runs]\n"); return 2; }
  int runs = argc > 3 ? atoi(argv[3]) : 5;
  try {
    zk::KeyLoadInfo li;
    std::shared_ptr<zk::Zkey> zp = zk::loadZkey(argv[1], zk::keyOptionsFromEnv(), &li);
    const zk::Zkey& z = *zp;
    printf("key load %.1f ms (t=%d, %s%s)\n", li.ms, z.t, li.cacheHit ? "sidecar hit" : "parsed+validated", li.cacheWritten ? ", sidecar written" : "");
    zk::Domain d = zk::makeDomain(z.power);
    std::vector<uint8_t> wb = readAll(argv[2]);
    std::vector<uint64_t> w = zk::parseWtns(wb.data(), wb.size());
    std::vector<uint8_t>().swap(wb);  // the file's bytes are not needed once parsed (peak RSS below)
    zk::ProveTimings t;
    zk::prove(z, d, w, &t);  // warm-up
    // CPU time (user + system, all threads) beside wall time: steadier than wall time on a loaded machine
    auto cpuMs = [] {
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    };
    std::vector<double> ms, cpu;
    for (int i = 0; i < runs; i++) {
      auto t0 = std::chrono::steady_clock::now();
      double c0 = cpuMs();
      zk::prove(z, d, w, &t);
      cpu.push_back(cpuMs() - c0);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    double med = ms[ms.size() / 2];
    // the fastest run beside the median: on a shared machine the minimum is the run least disturbed by others
    printf("cpu median %.1f ms; wall min %.1f ms\n", cpu[cpu.size() / 2], ms[0]);
    double msm = t.msmA + t.msmB1 + t.msmB2 + t.msmC + t.msmH;
    printf("threads=%u domain=%u nVars=%u median %.1f ms; msm %.0f ms (%.2f us/pt: A %.0f B1 %.0f B2 %.0f C %.0f H %.0f) fft %.0f abc %.0f; small terms %zu/%zu\n",
           zk::workerThreads(), z.domainSize, z.nVars, med, msm, msm * 1000 / (double)t.msmPoints, t.msmA, t.msmB1, t.msmB2, t.msmC, t.msmH, t.fft, t.abc,
           t.smallTerms, t.witnessTerms);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
  } catch (const std::exception& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
