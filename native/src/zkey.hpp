// Reading snarkjs binary files: a Groth16 .zkey (proving key) and a .wtns (witness).
// Every length, field element and curve point is checked; a bad file raises FormatError with a readable message.
// A loaded key lives in one storage block (coefficients, points, fixed-base tables), either a memory-mapped
// sidecar file beside the key (keycache.hpp) or anonymous memory.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "curve.hpp"
#include "mapped.hpp"

namespace zk {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Coef {
  uint32_t matrix;      // 0 = A, 1 = B
  uint32_t constraint;  // row (evaluation point index)
  uint32_t signal;      // witness index
  uint32_t pad;
  Fr value;             // value·R² as stored by snarkjs: one Montgomery product with a canonical witness value
                        // gives the Montgomery form of the product
};

// Counts and header points of a Groth16 key (plain data: also the sidecar header's body).
struct ZkeyHeader {
  uint32_t nVars = 0, nPublic = 0, domainSize = 0, power = 0;
  uint64_t nCoef = 0;
  G1Affine alpha1, beta1, delta1;
  G2Affine beta2, gamma2, delta2;
  size_t nC() const { return nVars - nPublic - 1; }
};

// Where each array sits in a key's storage block for fixed-base factor t (regions 64-byte aligned).
struct KeyLayout {
  size_t coefs = 0, A = 0, B1 = 0, B2 = 0, C = 0, H = 0, total = 0;
  KeyLayout(const ZkeyHeader& h, int t);
};

struct Zkey : ZkeyHeader {
  int t = 1;                                  // fixed-base factor: tables per point set (1 = the key's points only)
  const Coef* coefs = nullptr;
  std::vector<const G1Affine*> A, B1, C, H;  // t tables each: [k][i] = 2^(L·k)·P_i (msm.hpp FixedBases)
  std::vector<const G2Affine*> B2;
  std::shared_ptr<const void> storage;       // owns the block the pointers above point into
  size_t storageBytes = 0;
  bool fileBacked = false;                    // storage is a shared file mapping (the sidecar): pages can be released
  bool releasePages = false;                  // release each section after its use (KeyLoadOptions::releasePages)
  size_t bytes() const { return storageBytes; }
  // Once a proof is done with a section (coefficients after A·B, each point set after its MSM), its resident pages
  // leave the process (madvise MADV_DONTNEED): they stay in the page cache and are mapped again on the next use,
  // so the peak RSS holds one section at a time instead of the whole key (docs/native-prover.md, "Memory"). Only
  // for file-backed storage (anonymous pages would be lost) loaded with releasePages (a process that proves once;
  // a warm prover keeps its key mapped, as re-faulting it costs every later proof); whole pages inside [p, p + bytes).
  // Returns the bytes released (0 when not file-backed, not asked for, or ZKINFER_NATIVE_RELEASE_PAGES=0).
  size_t release(const void* p, size_t bytes) const;
  template <class P>
  size_t releaseTables(const std::vector<const P*>& v, size_t n) const { return release(v[0], (size_t)t * n * sizeof(P)); }
  // Points the pointers at a storage block laid out by KeyLayout(*this, t).
  void bind(const uint8_t* base);
};

// Parses and validates a mapped .zkey image: counts, header points, section sizes (no copy of the big sections).
ZkeyHeader parseZkeyHeader(const uint8_t* data, size_t len);
// Drops the resident pages wholly inside [p, p + bytes) from the process (madvise MADV_DONTNEED); returns the bytes
// dropped. Only for file mappings, whose pages stay in the page cache (dirty ones too) and are mapped again on the
// next access: on anonymous memory it would lose the data.
size_t dropFilePages(const void* p, size_t bytes);

// Called as the first load copies a key, once per chunk (≤ 1 MiB of points or coefficients): that chunk's bytes of
// the .zkey image and of the storage block are not read again by the load (keycache.cpp drops their pages).
using CopiedChunk = std::function<void(const uint8_t* src, size_t srcBytes, uint8_t* dst, size_t dstBytes)>;

// Validates every coefficient and point of the image and copies them into `base` (laid out by KeyLayout(h, t));
// the fixed-base tables (k ≥ 1) are then built by the caller.
void copyZkeyBody(const uint8_t* data, size_t len, const ZkeyHeader& h, int t, uint8_t* base, const CopiedChunk& copied = nullptr);
// Parses a .wtns file image into canonical 4-limb integers (not Montgomery), one per signal.
std::vector<uint64_t> parseWtns(const uint8_t* data, size_t len);
// The same into a huge MappedArray (mapped.hpp: a reused huge-page block from 256 kB to 2 MB), which a fresh
// process does not fault in 4 KB at a time (the staking LSTM's 700 kB witness: ≈ 170 faults before).
MappedArray<uint64_t> parseWtnsMapped(const uint8_t* data, size_t len);

}  // namespace zk
