#include "zkey.hpp"

#include <map>

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

}  // namespace

size_t Zkey::bytes() const {
  return coefs.size() * sizeof(Coef) + (A.size() + B1.size() + C.size() + H.size()) * sizeof(G1Affine) + B2.size() * sizeof(G2Affine);
}

Zkey parseZkey(const uint8_t* data, size_t len) {
  BinFile f = readBin(data, len, "zkey", "zkey");
  Zkey z;
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
  z.power = __builtin_ctz(z.domainSize);
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
  uint32_t nCoef = rdU32(data + s4.offset);
  expectSize(s4, 4 + (size_t)nCoef * 44, "4 (coefficients)");
  z.coefs.resize(nCoef);
  for (uint32_t i = 0; i < nCoef; i++) {
    const uint8_t* c = data + s4.offset + 4 + (size_t)i * 44;
    Coef& k = z.coefs[i];
    k.matrix = rdU32(c);
    k.constraint = rdU32(c + 4);
    k.signal = rdU32(c + 8);
    if (k.matrix > 1 || k.constraint >= z.domainSize || k.signal >= z.nVars) {
      throw FormatError("zkey coefficient " + std::to_string(i) + " points outside the circuit (corrupted file)");
    }
    uint64_t raw[4];
    memcpy(raw, c + 12, 32);
    if (geq4(raw, FR_PARAMS.p)) throw FormatError("zkey coefficient " + std::to_string(i) + " is not a field element");
    // Stored as value·R^2; one Montgomery reduction leaves value·R (Montgomery form).
    static const uint64_t one1[4] = {1, 0, 0, 0};
    montMul(k.value.v, raw, one1, FR_PARAMS);
  }

  Section s5 = unique(f, 5, "zkey"), s6 = unique(f, 6, "zkey"), s7 = unique(f, 7, "zkey"), s8 = unique(f, 8, "zkey"), s9 = unique(f, 9, "zkey");
  expectSize(s5, (size_t)z.nVars * 64, "5 (A points)");
  expectSize(s6, (size_t)z.nVars * 64, "6 (B1 points)");
  expectSize(s7, (size_t)z.nVars * 128, "7 (B2 points)");
  expectSize(s8, (size_t)(z.nVars - z.nPublic - 1) * 64, "8 (C points)");
  expectSize(s9, (size_t)z.domainSize * 64, "9 (H points)");
  auto g1s = [&](const Section& s, size_t n, std::vector<G1Affine>& out, const char* name) {
    out.resize(n);
    for (size_t i = 0; i < n; i++) out[i] = readG1(data + s.offset + i * 64, name);
  };
  g1s(s5, z.nVars, z.A, "section 5 (A points)");
  g1s(s6, z.nVars, z.B1, "section 6 (B1 points)");
  g1s(s8, z.nVars - z.nPublic - 1, z.C, "section 8 (C points)");
  g1s(s9, z.domainSize, z.H, "section 9 (H points)");
  z.B2.resize(z.nVars);
  for (size_t i = 0; i < z.nVars; i++) z.B2[i] = readG2(data + s7.offset + i * 128, "section 7 (B2 points)");
  return z;
}

std::vector<uint64_t> parseWtns(const uint8_t* data, size_t len) {
  BinFile f = readBin(data, len, "wtns", "wtns");
  if (f.version < 1 || f.version > 2) throw FormatError("unsupported wtns version " + std::to_string(f.version));
  Section s1 = unique(f, 1, "wtns");
  if (s1.size != 4 + 32 + 4) throw FormatError("wtns header has the wrong size (not a BN254 witness?)");
  const uint8_t* h = data + s1.offset;
  if (rdU32(h) != 32 || memcmp(h + 4, FR_PARAMS.p, 32) != 0) throw FormatError("witness is not over BN254's scalar field");
  uint32_t n = rdU32(h + 36);
  Section s2 = unique(f, 2, "wtns");
  if (s2.size != (size_t)n * 32) throw FormatError("wtns data section has the wrong size for " + std::to_string(n) + " signals");
  std::vector<uint64_t> w((size_t)n * 4);
  memcpy(w.data(), data + s2.offset, s2.size);
  for (size_t i = 0; i < n; i++) {
    if (geq4(&w[4 * i], FR_PARAMS.p)) throw FormatError("witness value " + std::to_string(i) + " is not a field element");
  }
  return w;
}

}  // namespace zk
