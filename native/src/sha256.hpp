// sha256 of a file off the JS thread (docs/network.md "CLI start-up", round 8): the artifacts' hash check
// (docs/security.md) runs on libuv's pool while the JS thread computes the witness.
#pragma once
#include <cstddef>
#include <string>

namespace zk {

// Lower-case hex sha256 of the file's bytes, read in 1 MiB chunks. Throws std::runtime_error (with the errno text)
// when the file cannot be opened or read.
std::string sha256FileHex(const std::string& path);

// Lower-case hex of `len` bytes (as the digests above are written).
std::string toHex(const unsigned char* bytes, size_t len);

// Lower-case hex sha256 of `len` bytes in memory.
std::string sha256Hex(const unsigned char* data, size_t len);

}  // namespace zk
