// MappedArray: large temporaries in their own anonymous mappings (huge pages where they are large enough).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include <sys/mman.h>

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
// `wholePages` (with `huge`) rounds the mapping up to whole 2 MB pages instead, from 256 kB up: for a short-lived
// buffer on a thread that waits for it, one 2 MB page costs less than its 64+ faults in 4 KB pages (≈ 17 µs each;
// the witness machine's registers and wires, docs/native-prover.md "Round 10"), at up to 2 MB more residency.
template <class T>
class MappedArray {
 public:
  MappedArray() = default;
  explicit MappedArray(size_t n, bool huge = false, bool wholePages = false) : n_(n) {
    if (!n) return;
    const size_t bytes = n * sizeof(T), H = (size_t)2 << 20;
    const bool whole = huge && wholePages && bytes >= ((size_t)256 << 10);
    if (huge && bytes < H && !whole) {
      p_ = static_cast<T*>(calloc(n, sizeof(T)));
      if (!p_) throw std::bad_alloc();
      heap_ = true;
      return;
    }
    // whole pages keep bytes rounded up to 2 MB from the aligned start, so the mapping must hold that much past any
    // start it may get: with only bytes + H the kept range could end past the mapping and the destructor unmapped
    // another mapping's pages (seen as a SIGSEGV in the addon's own code, test/zkml/witness-tape.test.ts)
    const size_t len = huge ? (whole ? (bytes + H - 1) & ~(H - 1) : bytes) + H : bytes;
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    char* at = static_cast<char*>(p);
    if (huge) {  // keep the 2 MB-aligned part, hand back the rest; the advice is only a hint
      char* aligned = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(at) + H - 1) & ~(uintptr_t)(H - 1));
      const size_t keep = whole ? (bytes + H - 1) & ~(H - 1) : (bytes + 4095) & ~(size_t)4095;
      if (aligned > at) munmap(at, (size_t)(aligned - at));
      if (at + len > aligned + keep) munmap(aligned + keep, (size_t)(at + len - (aligned + keep)));
      madvise(aligned, keep, MADV_HUGEPAGE);
      at = aligned;
      mapped_ = keep;
    } else {
      mapped_ = bytes;
    }
    p_ = reinterpret_cast<T*>(at);
  }
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;
  MappedArray(MappedArray&& o) noexcept : p_(o.p_), n_(o.n_), mapped_(o.mapped_), heap_(o.heap_) { o.p_ = nullptr; o.n_ = 0; }
  MappedArray& operator=(MappedArray&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    std::swap(mapped_, o.mapped_);
    std::swap(heap_, o.heap_);
    return *this;
  }
  ~MappedArray() {
    if (!p_) return;
    if (heap_) free(p_);
    else munmap(p_, mapped_);
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
  size_t mapped_ = 0;  // the mapping's length (from p_), when not from the heap
  bool heap_ = false;
};

}  // namespace zk
