// Reading snarkjs binary files: a Groth16 .zkey (proving key) and a .wtns (witness).
// Every length, field element and curve point is checked; a bad file raises FormatError with a readable message.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "curve.hpp"

namespace zk {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Coef {
  uint32_t matrix;      // 0 = A, 1 = B
  uint32_t constraint;  // row (evaluation point index)
  uint32_t signal;      // witness index
  Fr value;             // Montgomery form
};

struct Zkey {
  uint32_t nVars = 0, nPublic = 0, domainSize = 0;
  int power = 0;
  G1Affine alpha1, beta1, delta1;
  G2Affine beta2, gamma2, delta2;
  std::vector<Coef> coefs;
  std::vector<G1Affine> A, B1, C, H;  // C holds entries for signals nPublic+1 .. nVars-1
  std::vector<G2Affine> B2;
  size_t bytes() const;
};

// Parses a whole .zkey file image.
Zkey parseZkey(const uint8_t* data, size_t len);
// Parses a .wtns file image into canonical 4-limb integers (not Montgomery), one per signal.
std::vector<uint64_t> parseWtns(const uint8_t* data, size_t len);

}  // namespace zk
