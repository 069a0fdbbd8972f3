// Loading a proving key once per machine: the validated key and its fixed-base tables are written to a sidecar
// file beside the .zkey (<zkey>.t<t>.zkn) and memory-mapped on later loads, keyed by the .zkey's size, mtime and
// content hash (docs/native-prover.md, "Key cache").
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "zkey.hpp"

namespace zk {

struct KeyLoadOptions {
  int t = 1;               // fixed-base factor (1 … 8)
  bool useCache = true;    // read/write the sidecar beside the key (else: anonymous memory, nothing written)
  bool releasePages = false;  // hand each section's pages back after its use in a proof (zkey.hpp Zkey::release)
  // A valid sidecar of at most this many bytes is read into anonymous memory in 2 MB huge pages instead of being
  // mapped. For a process that proves once: a mapped file's pages come in 4 KB at a time, and on a VM whose
  // hypervisor shadows the page tables each first touch of a 4 KB page costs ≈ 10–14 µs, against ≈ 0.15 ms per 2 MB
  // huge page (docs/native-prover.md "Page faults of a fresh process"). A warm prover maps its key (0: never copied):
  // it pays the faults once, and the page cache is shared. Sections of a copy are not released (nothing to re-read).
  size_t copyUpTo = 0;
};

struct KeyLoadInfo {
  bool cacheHit = false;   // the sidecar was valid: no parsing, no point validation
  bool cacheWritten = false;
  bool hashed = false;     // the .zkey content was hashed (first load, or its mtime changed)
  bool copied = false;     // the sidecar was read into huge pages (KeyLoadOptions::copyUpTo), not mapped
  double ms = 0;
  std::string sidecar;     // path of the sidecar ("" when none)
};

// Defaults from the environment: ZKINFER_NATIVE_PRECOMPUTE (t, default DEFAULT_PRECOMPUTE),
// ZKINFER_NATIVE_KEY_CACHE=0 (no sidecar).
const int DEFAULT_PRECOMPUTE = 1;  // measured: larger t did not pay on 2-core x86 (docs/native-prover.md)
KeyLoadOptions keyOptionsFromEnv();

std::shared_ptr<Zkey> loadZkey(const std::string& path, const KeyLoadOptions& opt, KeyLoadInfo* info = nullptr);

// 64-bit non-cryptographic content hash (4 lanes, xxHash64-style rounds) used as the cache key.
uint64_t contentHash(const uint8_t* data, size_t len);

}  // namespace zk
