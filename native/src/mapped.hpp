// MappedArray: large temporaries in their own anonymous mappings (huge pages where they are large enough).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include <sys/mman.h>

namespace zk {

// Blocks of whole 2 MB huge pages kept for reuse: a fresh process faults each in once as 2 MB pages, where calloc's
// heap faulted its 4 KB pages (≈ 17 µs each on the bench VM) in every fresh process, and later proofs reuse it
// without faults. Used for `huge` arrays of 256 kB to 2 MB (zeroed on reuse) and by the MSM's per-task scratch
// (msm.cpp). At most 32 MB stay kept; a block is taken best-fit (docs/native-prover.md, "Page faults of a fresh
// process").
// `keep` bytes (a multiple of 4 KB) at a 2 MB boundary, advised MADV_HUGEPAGE (a hint), zeroed: the mapping holds
// keep + 2 MB, enough for `keep` from any aligned start in it, and the rest is handed back. (Mapping only `bytes`
// + 2 MB while keeping a 2 MB-rounded range once let the kept range end past the mapping, and the destructor then
// unmapped a neighbour's pages: a SIGSEGV in the addon's own code, test/zkml/witness-tape.test.ts.)
inline void* mapHugeAligned(size_t keep) {
  const size_t H = (size_t)2 << 20, len = keep + H;
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  char* at = static_cast<char*>(p);
  char* aligned = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(at) + H - 1) & ~(uintptr_t)(H - 1));
  if (aligned > at) munmap(at, (size_t)(aligned - at));
  if (at + len > aligned + keep) munmap(aligned + keep, (size_t)(at + len - (aligned + keep)));
  madvise(aligned, keep, MADV_HUGEPAGE);
  return aligned;
}

namespace hugeblocks {
constexpr size_t PAGE = (size_t)2 << 20, KEEP_BYTES = (size_t)32 << 20;
struct Block {
  void* p;
  size_t len;
};
// never destroyed: a proof still running on a pool thread at exit may give its block back
inline std::mutex& lock() {
  static std::mutex* m = new std::mutex;
  return *m;
}
inline std::vector<Block>& spare() {
  static std::vector<Block>* v = new std::vector<Block>;
  return *v;
}
// A 2 MB-aligned block of at least `bytes` (rounded up to 2 MB pages); `zero`: its first `bytes` read as zero.
inline Block take(size_t bytes, bool zero) {
  {
    std::lock_guard<std::mutex> g(lock());
    auto& v = spare();
    size_t best = v.size();
    for (size_t i = 0; i < v.size(); i++)
      if (v[i].len >= bytes && (best == v.size() || v[i].len < v[best].len)) best = i;
    if (best < v.size()) {
      Block b = v[best];
      v.erase(v.begin() + (std::ptrdiff_t)best);
      if (zero) memset(b.p, 0, bytes);
      return b;
    }
  }
  const size_t len = (bytes + PAGE - 1) & ~(PAGE - 1);
  return {mapHugeAligned(len), len};
}
inline void give(Block b) {
  std::lock_guard<std::mutex> g(lock());
  auto& v = spare();
  size_t kept = 0;
  for (const Block& k : v) kept += k.len;
  if (kept + b.len <= KEEP_BYTES) v.push_back(b);
  else munmap(b.p, b.len);
}
}  // namespace hugeblocks

// An uninitialised array in its own anonymous mapping, unmapped when destroyed. Holds the endomorphism images
// E(P) (the MSM's largest temporary, n points): their memory goes back to the system at once instead of staying
// in malloc's heap, where freed blocks kept the peak RSS 14 MB higher at 2^17 (docs/native-prover.md, "Memory").
// Pages never written are never resident; they start zeroed.
// With `huge` (the per-proof buffers: the quotient's A, B, C, the MSM term arrays, the witness) an array of more than
// 2 MB is mapped at a 2 MB boundary with MADV_HUGEPAGE, one of 256 kB to 2 MB is a zeroed hugeblocks block (above),
// reused by later arrays, and a smaller one comes from malloc (calloc), whose heap is reused proof after proof. On
// the bench machine's VM a 4 KB page fault costs ≈ 11–17 µs, so these buffers faulted in 4 KB at a time cost ~80 ms
// of a 2^17 8-bit proof (7,164 faults); in 2 MB pages ~40× less (docs/native-prover.md, "Round 8"). Only whole 2 MB
// extents inside a large array get huge pages, so the residency stays that of the array; `wholePages` rounds the
// mapping up to whole 2 MB pages instead, so that its tail is no 4 KB pages either.
template <class T>
class MappedArray {
 public:
  MappedArray() = default;
  explicit MappedArray(size_t n, bool huge = false, bool wholePages = false) : n_(n) {
    if (!n) return;
    const size_t bytes = n * sizeof(T), H = (size_t)2 << 20;
    const bool whole = huge && wholePages && bytes >= ((size_t)256 << 10);
    if (huge && bytes >= ((size_t)256 << 10) && bytes <= H) {
      const hugeblocks::Block b = hugeblocks::take(bytes, true);
      p_ = static_cast<T*>(b.p);
      mapped_ = b.len;
      pooled_ = true;
      return;
    }
    if (huge && bytes < H && !whole) {
      p_ = static_cast<T*>(calloc(n, sizeof(T)));
      if (!p_) throw std::bad_alloc();
      heap_ = true;
      return;
    }
    if (huge) {
      mapped_ = whole ? (bytes + H - 1) & ~(H - 1) : (bytes + 4095) & ~(size_t)4095;
      p_ = static_cast<T*>(mapHugeAligned(mapped_));
      return;
    }
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    p_ = static_cast<T*>(p);
    mapped_ = bytes;
  }
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;
  MappedArray(MappedArray&& o) noexcept : p_(o.p_), n_(o.n_), mapped_(o.mapped_), heap_(o.heap_), pooled_(o.pooled_) {
    o.p_ = nullptr;
    o.n_ = 0;
  }
  MappedArray& operator=(MappedArray&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    std::swap(mapped_, o.mapped_);
    std::swap(heap_, o.heap_);
    std::swap(pooled_, o.pooled_);
    return *this;
  }
  ~MappedArray() {
    if (!p_) return;
    if (heap_) free(p_);
    else if (pooled_) hugeblocks::give({p_, mapped_});
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
  bool pooled_ = false;  // a hugeblocks block, given back when destroyed
};

}  // namespace zk
