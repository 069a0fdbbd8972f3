// Multi-scalar multiplication: the one entry point a GPU implementation would replace.
#pragma once
#include <cstddef>
#include <cstdint>

#include "curve.hpp"
#include "mapped.hpp"

namespace zk {

struct MsmStats {
  size_t nonZero = 0;       // terms with a non-zero scalar and a finite point
  size_t small = 0;         // of those, terms whose (sign-folded) scalar has at most 64 bits
  size_t negated = 0;       // terms whose scalar was folded to r - s with the point negated
  double ms = 0;            // wall time of the whole call
};

// Fixed-base precomputation (docs/native-prover.md, "Fixed-base tables"): a proving key's points never change, so
// t − 1 extra copies of every point, multiplied by 2^(L·k) (k = 1 … t−1, L = ceil(254 / t)), let a 254-bit scalar
// be cut into t chunks of L bits that all share ONE set of Pippenger windows and buckets.
// tables[k] points to n affine points 2^(L·k)·P_i; tables[0] is the key's own points. t = 1: no tables.
template <class F>
struct FixedBases {
  const Affine<F>* const* tables;  // t pointers
  int t;
};
inline int chunkBits(int t) { return (254 + t - 1) / t; }

// Σ scalars[i]·points[i] for i < n. Scalars are canonical Fr integers (4 little-endian 64-bit limbs each,
// not Montgomery form), contiguous; points are affine, Montgomery form. Terms with a zero scalar or an infinite
// point are skipped.
G1 msmG1(const G1Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);
G2 msmG2(const G2Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);
// The same sum with precomputed tables (base.tables[0] are the points).
G1 msmG1(const FixedBases<Fq>& base, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);
G2 msmG2(const FixedBases<Fq2>& base, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);

// Fills out[k−1][i] = 2^(L·k)·points[i] for k = 1 … t−1 (each out[k−1] has room for n points), multi-threaded.
void buildTablesG1(const G1Affine* points, size_t n, int t, G1Affine* const* out);
void buildTablesG2(const G2Affine* points, size_t n, int t, G2Affine* const* out);

// Endomorphism split of scalars above 128 bits (curve.hpp): off by default, ZKINFER_NATIVE_ENDO=1 turns it on;
// this overrides both for the whole process (tests compare the two paths).
void msmSetEndomorphism(bool on);

// Forces the Pippenger window size c (2 … 15) of every bit-length class, 0 = the cost model's choice (default).
// For measurements only (native/tools/msm_bench.cpp sweeps it); results are the same for every c.
void msmSetWindow(int c);

// Threads used by the MSM and FFT (defaults to the hardware concurrency; ZKINFER_NATIVE_THREADS overrides),
// or the budget a ThreadBudget set on the calling thread.
unsigned workerThreads();

// While alive, workerThreads() on this thread returns `n` (batched proving splits the cores between proofs).
struct ThreadBudget {
  explicit ThreadBudget(unsigned n);
  ~ThreadBudget();
  unsigned previous;
};

}  // namespace zk
