// Setup helpers (dev powers of tau, direct zkey): see setup.cpp.
#pragma once
#include <cstddef>
#include <cstdint>

namespace zk {

// out[i] = scalars[i]·base for n little-endian 32-byte scalars; base and out are affine Montgomery LE points
// (64 bytes in G1, 128 in G2). Runs on workerThreads() threads.
void fixedBaseMul(bool g2, const uint8_t* base, const uint8_t* scalars, size_t n, uint8_t* out);

}  // namespace zk
