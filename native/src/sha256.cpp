// sha256 through OpenSSL's EVP interface. The symbols come from the Node binary that loads the addon (Node links
// OpenSSL statically and exports it to addons; its headers are in Node's include folder), so this is the same
// SHA-NI/AVX2 code that node:crypto's createHash runs, without a second copy of OpenSSL.
#include "sha256.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace zk {

std::string toHex(const unsigned char* bytes, size_t len) {
  static const char* hex = "0123456789abcdef";
  std::string out(2 * len, '0');
  for (size_t i = 0; i < len; i++) { out[2 * i] = hex[bytes[i] >> 4]; out[2 * i + 1] = hex[bytes[i] & 15]; }
  return out;
}

std::string sha256Hex(const unsigned char* data, size_t len) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx.get(), data, len) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), md, &n) != 1 || n != 32)
    throw std::runtime_error("sha256: OpenSSL digest failed");
  return toHex(md, 32);
}

std::string sha256FileHex(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + strerror(errno));
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("sha256: OpenSSL init failed");
  // 64 kB, not zeroed: a 1 MB zeroed buffer per file cost a fresh `zkinfer prove` ≈ 780 page faults (≈ 17 µs each on
  // the bench VM) while it hashes the circuit's four files; reads of 64 kB keep the same hashing speed
  // (docs/native-prover.md, "Page faults of a fresh process")
  constexpr size_t CHUNK = 1 << 16;
  std::unique_ptr<unsigned char[]> buf(new unsigned char[CHUNK]);
  for (off_t pos = 0;;) {
    ssize_t k = pread(fd, buf.get(), CHUNK, pos);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) throw std::runtime_error("cannot read " + path + ": " + strerror(errno));
    if (k == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf.get(), (size_t)k) != 1) throw std::runtime_error("sha256: OpenSSL update failed");
    pos += k;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1 || len != 32) throw std::runtime_error("sha256: OpenSSL final failed");
  return toHex(md, 32);
}

}  // namespace zk
