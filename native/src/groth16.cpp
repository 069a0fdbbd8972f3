#include "groth16.hpp"

#include <malloc.h>
#include <sys/random.h>

#include <cerrno>
#include <exception>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>


namespace zk {

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Uniform scalar in [1, r) from the kernel CSPRNG (rejection sampling on 254-bit draws).
Fr randomFr() {
  for (;;) {
    uint64_t v[4];
    size_t got = 0;
    while (got < sizeof v) {
      ssize_t k = getrandom(reinterpret_cast<uint8_t*>(v) + got, sizeof v - got, 0);
      if (k < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error("getrandom failed: cannot draw proof blinding factors");
      }
      got += (size_t)k;
    }
    v[3] &= (1ULL << 62) - 1;
    if (geq4(v, FR_PARAMS.p) || isZero4(v)) continue;
    return Fr::fromInt(v);
  }
}

void g1Strings(const G1& p, std::string out[2]) {
  G1Affine a = p.toAffine();
  uint64_t t[4];
  a.x.toInt(t); out[0] = toDecimal(t);
  a.y.toInt(t); out[1] = toDecimal(t);
}

// The H MSM's scalars: A(ω^i), B(ω^i) from the key's QAP coefficients times the witness, C = A·B pointwise (as
// snarkjs buildABC1); each moved to the odd coset (IFFT, multiply coefficient i by inc^i, FFT); then A·B − C on
// the coset, out of Montgomery form, written over A's storage (same 4-limb layout). B and C are unmapped on return.
MappedArray<Fr> quotientScalars(const Zkey& z, const Domain& d, const uint64_t* w, double* abcMs, double* fftMs,
                                size_t* released) {
  const size_t n = z.domainSize;
  auto t = Clock::now();
  // coefficients are stored as value·R², witness values are canonical: one Montgomery product is in Montgomery form
  const Fr* wc = reinterpret_cast<const Fr*>(w);
  // own zeroed mappings in huge pages (msm.hpp MappedArray: 4 KB page faults are expensive on the bench VM)
  MappedArray<Fr> a(n, true), bc(2 * n, true);
  Fr *b = bc.data(), *c = bc.data() + n;
  for (uint64_t i = 0; i < z.nCoef; i++) {
    const Coef& k = z.coefs[i];
    Fr* dst = k.matrix == 0 ? a.data() : b;
    dst[k.constraint] = dst[k.constraint] + k.value * wc[k.signal];
  }
  for (size_t i = 0; i < n; i++) c[i] = a[i] * b[i];
  *abcMs = msSince(t);
  // the coefficients' pages leave the process once this proof is done with them (zkey.hpp Zkey::release)
  *released = z.release(z.coefs, z.nCoef * sizeof(Coef));
  t = Clock::now();
  {
    std::thread ta([&] { toCoset(a.data(), d); });
    std::thread tb([&] { toCoset(b, d); });
    toCoset(c, d);
    ta.join();
    tb.join();
  }
  static_assert(sizeof(Fr) == 32, "Fr is 4 limbs");
  for (size_t i = 0; i < n; i++) (a[i] * b[i] - c[i]).toInt(a[i].v);
  *fftMs = msSince(t);
  return a;
}

}  // namespace

ProofStrings prove(const Zkey& z, const Domain& d, const uint64_t* w, size_t words, ProveTimings* tm) {
  auto tStart = Clock::now();
  if (words != (size_t)z.nVars * 4) {
    throw FormatError("witness has " + std::to_string(words / 4) + " signals but the circuit has " + std::to_string(z.nVars));
  }
  const size_t n = z.domainSize;

  // The quotient (A, B, C evaluations → odd coset → H scalars) needs only the witness, as do the four witness
  // MSMs: it runs on its own thread beside them, so its serial parts (the QAP evaluation, the FFT chains) fill
  // the cores the MSMs' tails leave idle; the H MSM follows (docs/native-prover.md, "Round 8").
  MappedArray<Fr> a;
  double abcMs = 0, fftMs = 0;
  size_t released = 0, witnessReleased = 0;  // key pages handed back (zkey.hpp Zkey::release)
  std::exception_ptr quotientError;
  std::thread quotient([&] {
    try { a = quotientScalars(z, d, w, &abcMs, &fftMs, &released); } catch (...) { quotientError = std::current_exception(); }
  });
  MsmStats sA, sB1, sB2, sC, sH;
  G1 piA, piB1, piC;
  G2 piB;
  try {
    piA = msmG1(FixedBases<Fq>{z.A.data(), z.t}, w, z.nVars, &sA);
    witnessReleased += z.releaseTables(z.A, z.nVars);
    piB1 = msmG1(FixedBases<Fq>{z.B1.data(), z.t}, w, z.nVars, &sB1);
    witnessReleased += z.releaseTables(z.B1, z.nVars);
    piB = msmG2(FixedBases<Fq2>{z.B2.data(), z.t}, w, z.nVars, &sB2);
    witnessReleased += z.releaseTables(z.B2, z.nVars);
    piC = msmG1(FixedBases<Fq>{z.C.data(), z.t}, w + 4 * (z.nPublic + 1), z.nC(), &sC);
    witnessReleased += z.releaseTables(z.C, z.nC());
  } catch (...) {
    quotient.join();
    throw;
  }
  quotient.join();
  if (quotientError) std::rethrow_exception(quotientError);
  released += witnessReleased;
  G1 resH = msmG1(FixedBases<Fq>{z.H.data(), z.t}, reinterpret_cast<const uint64_t*>(a.data()), n, &sH);
  released += z.releaseTables(z.H, n);
  a = MappedArray<Fr>();
  malloc_trim(0);  // hand the freed heap blocks back (glibc keeps them in its heap otherwise; "Memory" in the docs)

  Fr r = randomFr(), s = randomFr();
  uint64_t ri[4], si[4], rsi[4];
  r.toInt(ri);
  s.toInt(si);
  (-(r * s)).toInt(rsi);

  G1 delta1 = G1::fromAffine(z.delta1);
  piA.addAffine(z.alpha1);
  piA.add(delta1.mul(ri));

  piB.addAffine(z.beta2);
  piB.add(G2::fromAffine(z.delta2).mul(si));

  piB1.addAffine(z.beta1);
  piB1.add(delta1.mul(si));

  piC.add(resH);
  piC.add(piA.mul(si));
  piC.add(piB1.mul(ri));
  piC.add(delta1.mul(rsi));

  ProofStrings out;
  g1Strings(piA, out.a);
  g1Strings(piC, out.c);
  G2Affine bA = piB.toAffine();
  uint64_t tmp[4];
  bA.x.c0.toInt(tmp); out.b[0][0] = toDecimal(tmp);
  bA.x.c1.toInt(tmp); out.b[0][1] = toDecimal(tmp);
  bA.y.c0.toInt(tmp); out.b[1][0] = toDecimal(tmp);
  bA.y.c1.toInt(tmp); out.b[1][1] = toDecimal(tmp);
  for (uint32_t i = 1; i <= z.nPublic; i++) out.publicSignals.push_back(toDecimal(w + 4 * i));

  if (tm) {
    tm->abc = abcMs;
    tm->fft = fftMs;
    tm->msmA = sA.ms; tm->msmB1 = sB1.ms; tm->msmB2 = sB2.ms; tm->msmC = sC.ms; tm->msmH = sH.ms;
    tm->msmPoints = sA.nonZero + sB1.nonZero + sB2.nonZero + sC.nonZero + sH.nonZero;
    tm->witnessTerms = sA.nonZero + sB1.nonZero + sB2.nonZero + sC.nonZero;
    tm->smallTerms = sA.small + sB1.small + sB2.small + sC.small;
    tm->releasedBytes = released;
    tm->total = msSince(tStart);
  }
  return out;
}

void proveBatch(const Zkey& z, const Domain& d, std::vector<BatchItem>& items) {
  const size_t k = items.size();
  if (!k) return;
  const unsigned T = workerThreads();
  const size_t groups = std::min<size_t>(k, T);
  const unsigned per = std::max(1u, (unsigned)(T / groups));
  std::atomic<size_t> next{0};
  auto run = [&] {
    ThreadBudget budget(per);
    for (size_t i; (i = next.fetch_add(1)) < k;) {
      try {
        items[i].proof = prove(z, d, items[i].witness, &items[i].timings);
      } catch (const std::exception& e) {
        items[i].error = e.what();
      }
      std::vector<uint64_t>().swap(items[i].witness);
    }
  };
  std::vector<std::thread> pool;
  for (size_t g = 1; g < groups; g++) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
}

}  // namespace zk
