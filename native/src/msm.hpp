// Multi-scalar multiplication: the one entry point a GPU implementation would replace.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include <sys/mman.h>

#include "curve.hpp"

namespace zk {

// An uninitialised array in its own anonymous mapping, unmapped when destroyed. Holds the endomorphism images
// E(P) (the MSM's largest temporary, n points): their memory goes back to the system at once instead of staying
// in malloc's heap, where freed blocks kept the peak RSS 14 MB higher at 2^17 (docs/native-prover.md, "Memory").
// Pages never written are never resident; they start zeroed.
// With `huge` (the per-proof buffers: the quotient's A, B, C, the MSM term arrays) an array of ≥ 2 MB is mapped
// at a 2 MB boundary with MADV_HUGEPAGE, and a smaller one comes from malloc (calloc), whose heap is reused
// proof after proof. On the bench machine's VM a 4 KB page fault costs ~11 µs, so these buffers faulted in 4 KB at
// a time cost ~80 ms of a 2^17 8-bit proof (7,164 faults); in 2 MB pages ~40× less (docs/native-prover.md,
// "Round 8"). Only whole 2 MB extents inside the array get huge pages, so the residency stays that of the array.
template <class T>
class MappedArray {
 public:
  MappedArray() = default;
  explicit MappedArray(size_t n, bool huge = false) : n_(n) {
    if (!n) return;
    const size_t bytes = n * sizeof(T), H = (size_t)2 << 20;
    if (huge && bytes < H) {
      p_ = static_cast<T*>(calloc(n, sizeof(T)));
      if (!p_) throw std::bad_alloc();
      heap_ = true;
      return;
    }
    const size_t len = huge ? bytes + H : bytes;
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    char* at = static_cast<char*>(p);
    if (huge) {  // keep the 2 MB-aligned part, hand back the rest; the advice is only a hint
      char* aligned = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(at) + H - 1) & ~(uintptr_t)(H - 1));
      const size_t keep = (bytes + 4095) & ~(size_t)4095;
      if (aligned > at) munmap(at, (size_t)(aligned - at));
      if (at + len > aligned + keep) munmap(aligned + keep, (size_t)(at + len - (aligned + keep)));
      madvise(aligned, keep, MADV_HUGEPAGE);
      at = aligned;
    }
    p_ = reinterpret_cast<T*>(at);
  }
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;
  MappedArray(MappedArray&& o) noexcept : p_(o.p_), n_(o.n_), heap_(o.heap_) { o.p_ = nullptr; o.n_ = 0; }
  MappedArray& operator=(MappedArray&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    std::swap(heap_, o.heap_);
    return *this;
  }
  ~MappedArray() {
    if (!p_) return;
    if (heap_) free(p_);
    else munmap(p_, n_ * sizeof(T));
  }
  T* data() { return p_; }
  const T* data() const { return p_; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }
  size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
  bool heap_ = false;
};

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
