// Multi-scalar multiplication: the one entry point a GPU implementation would replace.
#pragma once
#include <cstddef>
#include <cstdint>

#include "curve.hpp"

namespace zk {

struct MsmStats {
  size_t nonZero = 0;       // terms with a non-zero scalar and a finite point
  size_t small = 0;         // of those, terms whose (sign-folded) scalar has at most 64 bits
  size_t negated = 0;       // terms whose scalar was folded to r - s with the point negated
  double ms = 0;            // wall time of the whole call
};

// Σ scalars[i]·points[i] for i < n. Scalars are canonical Fr integers (4 little-endian 64-bit limbs each,
// not Montgomery form), contiguous; points are affine, Montgomery form. Terms with a zero scalar or an infinite
// point are skipped.
G1 msmG1(const G1Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);
G2 msmG2(const G2Affine* points, const uint64_t* scalars, size_t n, MsmStats* stats = nullptr);

// Threads used by the MSM and FFT (defaults to the hardware concurrency; ZKINFER_NATIVE_THREADS overrides).
unsigned workerThreads();

}  // namespace zk
