#include "zkey.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <type_traits>

namespace zk {

namespace {

struct Section {
  size_t offset, size;
};

struct BinFile {
  std::map<uint32_t, std::vector<Section>> sections;
  uint32_t version = 0;
};

uint32_t rdU32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; }
uint64_t rdU64(const uint8_t* p) { uint64_t v; memcpy(&v, p, 8); return v; }

BinFile readBin(const uint8_t* data, size_t len, const char* magic, const char* what) {
  BinFile f;
  if (len < 12 || memcmp(data, magic, 4) != 0) {
    throw FormatError(std::string("not a ") + what + " file (missing '" + magic + "' header)");
  }
  f.version = rdU32(data + 4);
  uint32_t nSections = rdU32(data + 8);
  size_t pos = 12;
  for (uint32_t i = 0; i < nSections; i++) {
    if (pos + 12 > len) throw FormatError(std::string(what) + " file is truncated (section table ends early)");
    uint32_t type = rdU32(data + pos);
    uint64_t size = rdU64(data + pos + 4);
    pos += 12;
    if (size > len - pos) throw FormatError(std::string(what) + " file is truncated (section " + std::to_string(type) + " runs past the end)");
    f.sections[type].push_back({pos, (size_t)size});
    pos += size;
  }
  return f;
}

Section unique(const BinFile& f, uint32_t type, const char* what) {
  auto it = f.sections.find(type);
  if (it == f.sections.end()) throw FormatError(std::string(what) + " file has no section " + std::to_string(type));
  if (it->second.size() != 1) throw FormatError(std::string(what) + " file has section " + std::to_string(type) + " more than once");
  return it->second[0];
}

void expectSize(const Section& s, size_t want, const char* name) {
  if (s.size != want) {
    throw FormatError(std::string("zkey section ") + name + " has " + std::to_string(s.size) + " bytes, expected " + std::to_string(want));
  }
}

Fq readFq(const uint8_t* p, const char* where) {
  Fq v;
  memcpy(v.v, p, 32);
  if (geq4(v.v, FQ_PARAMS.p)) throw FormatError(std::string("zkey ") + where + ": coordinate is not below the base field modulus");
  return v;  // already Montgomery form in the file
}

G1Affine readG1(const uint8_t* p, const char* where) {
  G1Affine a{readFq(p, where), readFq(p + 32, where)};
  if (!onCurveG1(a)) throw FormatError(std::string("zkey ") + where + ": a G1 point is not on the curve");
  return a;
}

G2Affine readG2(const uint8_t* p, const char* where) {
  G2Affine a{{readFq(p, where), readFq(p + 32, where)}, {readFq(p + 64, where), readFq(p + 96, where)}};
  if (!onCurveG2(a)) throw FormatError(std::string("zkey ") + where + ": a G2 point is not on the curve");
  return a;
}

// The five point sections and the coefficient section of a header-checked image.
struct BodySections {
  Section s4, s5, s6, s7, s8, s9;
};

BodySections bodySections(const BinFile& f, const ZkeyHeader& z) {
  BodySections b{unique(f, 4, "zkey"), unique(f, 5, "zkey"), unique(f, 6, "zkey"), unique(f, 7, "zkey"), unique(f, 8, "zkey"), unique(f, 9, "zkey")};
  expectSize(b.s4, 4 + (size_t)z.nCoef * 44, "4 (coefficients)");
  expectSize(b.s5, (size_t)z.nVars * 64, "5 (A points)");
  expectSize(b.s6, (size_t)z.nVars * 64, "6 (B1 points)");
  expectSize(b.s7, (size_t)z.nVars * 128, "7 (B2 points)");
  expectSize(b.s8, z.nC() * 64, "8 (C points)");
  expectSize(b.s9, (size_t)z.domainSize * 64, "9 (H points)");
  return b;
}

size_t align64(size_t x) { return (x + 63) & ~(size_t)63; }

}  // namespace

KeyLayout::KeyLayout(const ZkeyHeader& h, int t) {
  size_t pos = 0;
  auto region = [&](size_t bytes) { size_t at = pos; pos = align64(pos + bytes); return at; };
  coefs = region(h.nCoef * sizeof(Coef));
  A = region((size_t)t * h.nVars * sizeof(G1Affine));
  B1 = region((size_t)t * h.nVars * sizeof(G1Affine));
  B2 = region((size_t)t * h.nVars * sizeof(G2Affine));
  C = region((size_t)t * h.nC() * sizeof(G1Affine));
  H = region((size_t)t * h.domainSize * sizeof(G1Affine));
  total = pos;
}

void Zkey::bind(const uint8_t* base) {
  KeyLayout l(*this, t);
  coefs = reinterpret_cast<const Coef*>(base + l.coefs);
  auto set = [&](auto& v, size_t off, size_t n, auto* type) {
    using P = std::remove_pointer_t<decltype(type)>;
    v.resize(t);
    for (int k = 0; k < t; k++) v[k] = reinterpret_cast<const P*>(base + off) + (size_t)k * n;
  };
  set(A, l.A, nVars, (G1Affine*)nullptr);
  set(B1, l.B1, nVars, (G1Affine*)nullptr);
  set(B2, l.B2, nVars, (G2Affine*)nullptr);
  set(C, l.C, nC(), (G1Affine*)nullptr);
  set(H, l.H, domainSize, (G1Affine*)nullptr);
  storageBytes = l.total;
}

namespace {
bool releaseEnabled() {
  static const bool on = [] { const char* e = getenv("ZKINFER_NATIVE_RELEASE_PAGES"); return !(e && e[0] == '0'); }();
  return on;
}
}  // namespace

size_t dropFilePages(const void* p, size_t bytes) {
  static const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  const uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + bytes) & ~(page - 1);
  if (hi <= lo) return 0;
  // a file mapping: the kernel drops this process's page-table entries only (dirty pages of a shared mapping stay
  // dirty in the page cache), and the next access maps the cached page again
  if (madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED) != 0) return 0;
  return hi - lo;
}

size_t Zkey::release(const void* p, size_t bytes) const {
  if (!fileBacked || !releasePages || !bytes || !releaseEnabled()) return 0;
  return dropFilePages(p, bytes);
}

ZkeyHeader parseZkeyHeader(const uint8_t* data, size_t len) {
  BinFile f = readBin(data, len, "zkey", "zkey");
  ZkeyHeader z;
  Section s1 = unique(f, 1, "zkey");
  if (s1.size < 4) throw FormatError("zkey header section is too short");
  uint32_t protocol = rdU32(data + s1.offset);
  if (protocol != 1) throw FormatError("zkey is not a Groth16 key (protocol id " + std::to_string(protocol) + "); only Groth16 keys can be proven natively");

  Section s2 = unique(f, 2, "zkey");
  const size_t headerLen = 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128;
  if (s2.size != headerLen) throw FormatError("zkey Groth16 header has the wrong size (not a BN254 key?)");
  const uint8_t* h = data + s2.offset;
  if (rdU32(h) != 32 || memcmp(h + 4, FQ_PARAMS.p, 32) != 0) throw FormatError("zkey is not over the BN254 (bn128) curve");
  if (rdU32(h + 36) != 32 || memcmp(h + 40, FR_PARAMS.p, 32) != 0) throw FormatError("zkey scalar field is not BN254's");
  z.nVars = rdU32(h + 72);
  z.nPublic = rdU32(h + 76);
  z.domainSize = rdU32(h + 80);
  if (z.domainSize == 0 || (z.domainSize & (z.domainSize - 1)) != 0 || z.domainSize > (1u << 28)) {
    throw FormatError("zkey domain size " + std::to_string(z.domainSize) + " is not a power of two up to 2^28");
  }
  if (z.nVars == 0 || z.nPublic >= z.nVars) throw FormatError("zkey has inconsistent signal counts");
  z.power = (uint32_t)__builtin_ctz(z.domainSize);
  const uint8_t* p = h + 84;
  z.alpha1 = readG1(p, "header"); p += 64;
  z.beta1 = readG1(p, "header"); p += 64;
  z.beta2 = readG2(p, "header"); p += 128;
  z.gamma2 = readG2(p, "header"); p += 128;
  z.delta1 = readG1(p, "header"); p += 64;
  z.delta2 = readG2(p, "header");

  Section s3 = unique(f, 3, "zkey");
  expectSize(s3, (size_t)(z.nPublic + 1) * 64, "3 (IC)");
  Section s4 = unique(f, 4, "zkey");
  if (s4.size < 4) throw FormatError("zkey coefficient section is too short");
  z.nCoef = rdU32(data + s4.offset);
  bodySections(f, z);
  return z;
}

void copyZkeyBody(const uint8_t* data, size_t len, const ZkeyHeader& z, int t, uint8_t* base, const CopiedChunk& copied) {
  BinFile f = readBin(data, len, "zkey", "zkey");
  BodySections b = bodySections(f, z);
  KeyLayout l(z, t);
  const size_t CHUNK = 1 << 14;  // elements between two `copied` calls: ≤ 1 MiB of G1 points or coefficients
  Coef* coefs = reinterpret_cast<Coef*>(base + l.coefs);
  for (uint64_t i0 = 0; i0 < z.nCoef; i0 += CHUNK) {
    const uint64_t i1 = std::min<uint64_t>(z.nCoef, i0 + CHUNK);
    for (uint64_t i = i0; i < i1; i++) {
      const uint8_t* c = data + b.s4.offset + 4 + (size_t)i * 44;
      Coef& k = coefs[i];
      k.matrix = rdU32(c);
      k.constraint = rdU32(c + 4);
      k.signal = rdU32(c + 8);
      k.pad = 0;
      if (k.matrix > 1 || k.constraint >= z.domainSize || k.signal >= z.nVars) {
        throw FormatError("zkey coefficient " + std::to_string(i) + " points outside the circuit (corrupted file)");
      }
      memcpy(k.value.v, c + 12, 32);
      if (geq4(k.value.v, FR_PARAMS.p)) throw FormatError("zkey coefficient " + std::to_string(i) + " is not a field element");
    }
    if (copied) copied(data + b.s4.offset + 4 + i0 * 44, (i1 - i0) * 44, reinterpret_cast<uint8_t*>(coefs + i0), (i1 - i0) * sizeof(Coef));
  }
  // one point section in chunks; `read` validates one point of the file into its Montgomery-form storage
  auto points = [&](const Section& s, size_t n, size_t off, size_t size, auto read, const char* name) {
    using P = decltype(read(data, name));
    P* out = reinterpret_cast<P*>(base + off);
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
      const size_t i1 = std::min(n, i0 + CHUNK);
      for (size_t i = i0; i < i1; i++) out[i] = read(data + s.offset + i * size, name);
      if (copied) copied(data + s.offset + i0 * size, (i1 - i0) * size, reinterpret_cast<uint8_t*>(out + i0), (i1 - i0) * sizeof(P));
    }
  };
  points(b.s5, z.nVars, l.A, 64, readG1, "section 5 (A points)");
  points(b.s6, z.nVars, l.B1, 64, readG1, "section 6 (B1 points)");
  points(b.s8, z.nC(), l.C, 64, readG1, "section 8 (C points)");
  points(b.s9, z.domainSize, l.H, 64, readG1, "section 9 (H points)");
  points(b.s7, z.nVars, l.B2, 128, readG2, "section 7 (B2 points)");
}

namespace {
// Checks a .wtns image's header and sections; returns its signal count and where its values start.
uint32_t wtnsValues(const uint8_t* data, size_t len, size_t* offset) {
  BinFile f = readBin(data, len, "wtns", "wtns");
  if (f.version < 1 || f.version > 2) throw FormatError("unsupported wtns version " + std::to_string(f.version));
  Section s1 = unique(f, 1, "wtns");
  if (s1.size != 4 + 32 + 4) throw FormatError("wtns header has the wrong size (not a BN254 witness?)");
  const uint8_t* h = data + s1.offset;
  if (rdU32(h) != 32 || memcmp(h + 4, FR_PARAMS.p, 32) != 0) throw FormatError("witness is not over BN254's scalar field");
  uint32_t n = rdU32(h + 36);
  Section s2 = unique(f, 2, "wtns");
  if (s2.size != (size_t)n * 32) throw FormatError("wtns data section has the wrong size for " + std::to_string(n) + " signals");
  *offset = s2.offset;
  return n;
}

// Copies n values into w (4 limbs each), each checked to be below r.
void copyWtns(const uint8_t* values, uint32_t n, uint64_t* w) {
  memcpy(w, values, (size_t)n * 32);
  for (size_t i = 0; i < n; i++) {
    if (geq4(&w[4 * i], FR_PARAMS.p)) throw FormatError("witness value " + std::to_string(i) + " is not a field element");
  }
}
}  // namespace

std::vector<uint64_t> parseWtns(const uint8_t* data, size_t len) {
  size_t off = 0;
  const uint32_t n = wtnsValues(data, len, &off);
  std::vector<uint64_t> w((size_t)n * 4);
  copyWtns(data + off, n, w.data());
  return w;
}

MappedArray<uint64_t> parseWtnsMapped(const uint8_t* data, size_t len) {
  size_t off = 0;
  const uint32_t n = wtnsValues(data, len, &off);
  MappedArray<uint64_t> w((size_t)n * 4, true);
  copyWtns(data + off, n, w.data());
  return w;
}

}  // namespace zk
