#include "keycache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <random>

#include "mapped.hpp"
#include "msm.hpp"

namespace zk {

namespace {

const char MAGIC[8] = {'Z', 'K', 'N', 'K', 'E', 'Y', '0', '1'};
const size_t HEADER_BYTES = 4096;  // the payload starts page-aligned

struct SidecarHeader {
  char magic[8];
  uint32_t t;
  uint32_t pad;
  uint64_t zkeySize;
  int64_t zkeyMtimeNs;
  uint64_t zkeyHash;
  uint64_t payloadBytes;
  ZkeyHeader key;
};
static_assert(sizeof(SidecarHeader) <= HEADER_BYTES, "sidecar header must fit its page");

const uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL, P3 = 0x165667B19E3779F9ULL;
inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t round64(uint64_t acc, uint64_t v) { return rotl(acc + v * P2, 31) * P1; }

struct Hasher {
  uint64_t h[4] = {P1 + P2, P2, 0, 0 - P1};
  uint64_t total = 0;
  uint8_t tail[32];
  size_t tailLen = 0;
  void block(const uint8_t* p) {
    uint64_t w[4];
    memcpy(w, p, 32);
    for (int j = 0; j < 4; j++) h[j] = round64(h[j], w[j]);
  }
  void update(const uint8_t* p, size_t n) {
    total += n;
    if (tailLen) {
      size_t take = std::min(n, 32 - tailLen);
      memcpy(tail + tailLen, p, take);
      tailLen += take; p += take; n -= take;
      if (tailLen < 32) return;
      block(tail);
      tailLen = 0;
    }
    for (; n >= 32; p += 32, n -= 32) block(p);
    memcpy(tail, p, n);
    tailLen = n;
  }
  uint64_t digest() const {
    uint64_t acc = rotl(h[0], 1) + rotl(h[1], 7) + rotl(h[2], 12) + rotl(h[3], 18);
    for (int j = 0; j < 4; j++) acc = (acc ^ round64(0, h[j])) * P1 + P3;
    acc ^= total;
    for (size_t i = 0; i < tailLen; i++) acc = rotl(acc ^ (tail[i] * P3), 11) * P1;
    acc ^= acc >> 33; acc *= P2; acc ^= acc >> 29; acc *= P3; acc ^= acc >> 32;
    return acc;
  }
};

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() { if (fd >= 0) close(fd); }
};

std::shared_ptr<const void> mapShared(void* p, size_t len) {
  return std::shared_ptr<const void>(p, [len](const void* q) { munmap(const_cast<void*>(q), len); });
}

int64_t mtimeNs(const struct stat& st) { return (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec; }

// Hash of a file read in 1 MiB chunks (no mapping, so no resident-memory growth).
uint64_t hashFile(int fd) {
  Hasher h;
  std::vector<uint8_t> buf(1 << 20);
  off_t off = 0;
  for (;;) {
    ssize_t k = pread(fd, buf.data(), buf.size(), off);
    if (k < 0) throw std::runtime_error("cannot read zkey file while hashing it");
    if (k == 0) break;
    h.update(buf.data(), (size_t)k);
    off += k;
  }
  return h.digest();
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// The first `len` bytes of a file read into anonymous memory in 2 MB huge pages (KeyLoadOptions::copyUpTo), or null
// when it cannot be. The pages are made present in one call before the read fills them (MADV_POPULATE_WRITE, Linux
// 5.14; without it they fault in during the read, still as huge pages).
std::shared_ptr<const void> readIntoHugePages(int fd, size_t len) {
  const size_t H = (size_t)2 << 20, keep = (len + H - 1) & ~(H - 1);
  void* p;
  try {
    p = mapHugeAligned(keep);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  auto storage = mapShared(p, keep);
  madvise(p, keep, MADV_POPULATE_WRITE);
  for (size_t done = 0; done < len;) {
    const ssize_t k = pread(fd, static_cast<char*>(p) + done, len - done, (off_t)done);
    if (k <= 0) return nullptr;
    done += (size_t)k;
  }
  return storage;
}

// A valid sidecar for this key and t, read into huge pages when it is at most copyUpTo bytes (KeyLoadOptions), else
// mapped read-only; null when absent, stale or damaged.
std::shared_ptr<Zkey> openSidecar(const std::string& side, int zfd, const struct stat& zst, int t, size_t copyUpTo, KeyLoadInfo* info) {
  Fd fd(open(side.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return nullptr;
  struct stat st;
  if (fstat(fd.fd, &st) != 0 || (size_t)st.st_size < HEADER_BYTES) return nullptr;
  SidecarHeader h;
  if (pread(fd.fd, &h, sizeof h, 0) != (ssize_t)sizeof h) return nullptr;
  if (memcmp(h.magic, MAGIC, 8) != 0 || (int)h.t != t || h.zkeySize != (uint64_t)zst.st_size) return nullptr;
  if (h.key.nVars == 0 || h.key.nPublic >= h.key.nVars || h.key.domainSize == 0) return nullptr;
  KeyLayout l(h.key, t);
  if (h.payloadBytes != l.total || (uint64_t)st.st_size != HEADER_BYTES + l.total) return nullptr;
  if (h.zkeyMtimeNs != mtimeNs(zst)) {  // touched since: trust it only if the content is the same
    if (info) info->hashed = true;
    if (hashFile(zfd) != h.zkeyHash) return nullptr;
    // the content is the same: record the key's mtime now that it is out of the racy window (as git refreshes its
    // index), so later loads skip the 17 MB hash (a sidecar written right after its key records none; docs/network.md
    // "CLI start-up", round 8). One aligned 8-byte write: a concurrent reader sees the old or the new value, both valid.
    const int64_t nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (nowNs - mtimeNs(zst) > 2000000000LL) {
      Fd wfd(open(side.c_str(), O_WRONLY | O_CLOEXEC));
      const int64_t m = mtimeNs(zst);
      if (wfd.fd >= 0 && pwrite(wfd.fd, &m, sizeof m, offsetof(SidecarHeader, zkeyMtimeNs)) != (ssize_t)sizeof m) { /* read-only: hashed again next time */ }
    }
  }
  const size_t len = (size_t)st.st_size;
  auto z = std::make_shared<Zkey>();
  static_cast<ZkeyHeader&>(*z) = h.key;
  z->t = t;
  if (len <= copyUpTo) z->storage = readIntoHugePages(fd.fd, len);
  if (!z->storage) {
    void* p = mmap(nullptr, len, PROT_READ, MAP_SHARED, fd.fd, 0);
    if (p == MAP_FAILED) return nullptr;
    z->storage = mapShared(p, len);
    z->fileBacked = true;
  }
  z->bind(static_cast<const uint8_t*>(z->storage.get()) + HEADER_BYTES);
  if (info) info->copied = !z->fileBacked;
  return z;
}

// Storage for a freshly parsed key: a new sidecar file (mapped read-write, renamed into place once complete),
// or anonymous memory when the cache is off or the folder is not writable.
struct NewStorage {
  uint8_t* base = nullptr;  // payload
  void* map = nullptr;
  size_t mapLen = 0;
  int fd = -1;
  std::string tmp;
};

NewStorage allocate(const std::string& side, size_t payload, bool useCache) {
  NewStorage s;
  if (useCache) {
    std::random_device rd;
    s.tmp = side + ".tmp." + std::to_string(getpid()) + "." + std::to_string(rd());
    s.fd = open(s.tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    // posix_fallocate reserves the blocks: writing a sparse mapping on a full disk would raise SIGBUS, while
    // ENOSPC here just falls back to anonymous memory
    if (s.fd >= 0 && posix_fallocate(s.fd, 0, (off_t)(HEADER_BYTES + payload)) == 0) {
      s.mapLen = HEADER_BYTES + payload;
      s.map = mmap(nullptr, s.mapLen, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd, 0);
      if (s.map != MAP_FAILED) {
        s.base = static_cast<uint8_t*>(s.map) + HEADER_BYTES;
        return s;
      }
    }
    if (s.fd >= 0) { close(s.fd); unlink(s.tmp.c_str()); }
    s.fd = -1;
    s.tmp.clear();
  }
  s.mapLen = payload ? payload : 1;
  s.map = mmap(nullptr, s.mapLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (s.map == MAP_FAILED) throw std::bad_alloc();
  s.base = static_cast<uint8_t*>(s.map);
  return s;
}

}  // namespace

KeyLoadOptions keyOptionsFromEnv() {
  KeyLoadOptions o;
  o.t = DEFAULT_PRECOMPUTE;
  if (const char* e = getenv("ZKINFER_NATIVE_PRECOMPUTE")) {
    int v = atoi(e);
    if (v >= 1 && v <= 8) o.t = v;
  }
  if (const char* e = getenv("ZKINFER_NATIVE_KEY_CACHE")) o.useCache = e[0] != '0';
  if (const char* e = getenv("ZKINFER_NATIVE_RELEASE_PAGES")) o.releasePages = e[0] != '0';
  return o;
}

uint64_t contentHash(const uint8_t* data, size_t len) {
  Hasher h;
  h.update(data, len);
  return h.digest();
}

std::shared_ptr<Zkey> loadZkey(const std::string& path, const KeyLoadOptions& opt, KeyLoadInfo* info) {
  auto t0 = std::chrono::steady_clock::now();
  const int t = std::max(1, std::min(8, opt.t));
  KeyLoadInfo local;
  KeyLoadInfo& inf = info ? *info : local;
  Fd zfd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (zfd.fd < 0) throw std::runtime_error("cannot open zkey file " + path);
  struct stat zst;
  if (fstat(zfd.fd, &zst) != 0) throw std::runtime_error("cannot stat zkey file " + path);
  const std::string side = path + ".t" + std::to_string(t) + ".zkn";
  auto done = [&](std::shared_ptr<Zkey> z) {
    z->releasePages = opt.releasePages;
    inf.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return z;
  };
  if (opt.useCache) {
    if (auto z = openSidecar(side, zfd.fd, zst, t, opt.copyUpTo, &inf)) {
      inf.cacheHit = true;
      inf.sidecar = side;
      return done(z);
    }
  }
  // First load: map the .zkey, validate everything, copy into the new storage, build the tables.
  const size_t len = (size_t)zst.st_size;
  if (len < 12) throw FormatError("not a zkey file (missing 'zkey' header)");
  void* zm = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, zfd.fd, 0);
  if (zm == MAP_FAILED) throw std::runtime_error("cannot map zkey file " + path);
  auto zmap = mapShared(zm, len);
  const uint8_t* data = static_cast<const uint8_t*>(zm);
  ZkeyHeader h = parseZkeyHeader(data, len);
  KeyLayout l(h, t);
  NewStorage s = allocate(side, l.total, opt.useCache);
  auto storage = mapShared(s.map, s.mapLen);
  auto cleanup = [&] { if (s.fd >= 0) { close(s.fd); unlink(s.tmp.c_str()); s.fd = -1; } };
  // the load reads the .zkey and writes the sidecar once, front to back: each chunk's pages leave the process when
  // it is copied (the .zkey's are clean file pages; the sidecar's go to the page cache, dirty until written back),
  // so a first load holds about one chunk of each instead of both files (docs/native-prover.md, "Memory"). Pages of
  // anonymous storage (no sidecar) are the key itself and stay.
  const bool sidecarPages = s.fd >= 0;
  auto copied = [&](const uint8_t* src, size_t srcBytes, uint8_t* dst, size_t dstBytes) {
    dropFilePages(src, srcBytes);
    if (sidecarPages) dropFilePages(dst, dstBytes);
  };
  try {
    copyZkeyBody(data, len, h, t, s.base, copied);
    auto z = std::make_shared<Zkey>();
    static_cast<ZkeyHeader&>(*z) = h;
    z->t = t;
    z->bind(s.base);
    if (t > 1) {
      auto g1 = [&](const std::vector<const G1Affine*>& v, size_t n) {
        std::vector<G1Affine*> out(v.size() - 1);
        for (size_t k = 0; k < out.size(); k++) out[k] = const_cast<G1Affine*>(v[k + 1]);
        buildTablesG1(v[0], n, t, out.data());
      };
      g1(z->A, h.nVars);
      g1(z->B1, h.nVars);
      g1(z->C, h.nC());
      g1(z->H, h.domainSize);
      std::vector<G2Affine*> out2(t - 1);
      for (int k = 1; k < t; k++) out2[k - 1] = const_cast<G2Affine*>(z->B2[k]);
      buildTablesG2(z->B2[0], h.nVars, t, out2.data());
      if (sidecarPages) dropFilePages(s.base, l.total);
    }
    z->storage = storage;
    z->fileBacked = sidecarPages;  // the new sidecar's shared mapping (anonymous memory otherwise)
    if (s.fd >= 0) {
      SidecarHeader sh{};
      memcpy(sh.magic, MAGIC, 8);
      sh.t = (uint32_t)t;
      sh.zkeySize = len;
      // a key modified within the last 2 s could change again inside the same timestamp tick: then record no
      // mtime, so the next load hashes the content (git's "racy timestamp" rule)
      const int64_t nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      sh.zkeyMtimeNs = nowNs - mtimeNs(zst) > 2000000000LL ? mtimeNs(zst) : -1;
      sh.zkeyHash = hashFile(zfd.fd);  // read, not mapped: the .zkey's pages do not come back into the process
      inf.hashed = true;
      sh.payloadBytes = l.total;
      sh.key = h;
      memcpy(s.map, &sh, sizeof sh);  // header last: a half-written file is never renamed into place
      if (rename(s.tmp.c_str(), side.c_str()) == 0) {
        inf.cacheWritten = true;
        inf.sidecar = side;
      } else {
        unlink(s.tmp.c_str());
      }
      close(s.fd);
      s.fd = -1;
    }
    return done(z);
  } catch (...) {
    cleanup();
    throw;
  }
}

}  // namespace zk
