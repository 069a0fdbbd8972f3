// Groth16 proving over BN254, following snarkjs's groth16_prove step for step so its verifier accepts the proofs.
#pragma once
#include <string>
#include <vector>

#include "fft.hpp"
#include "msm.hpp"
#include "zkey.hpp"

namespace zk {

struct ProofStrings {
  std::string a[2], b[2][2], c[2];  // affine coordinates, decimal
  std::vector<std::string> publicSignals;
};

struct ProveTimings {
  double abc = 0, fft = 0, msmA = 0, msmB1 = 0, msmB2 = 0, msmC = 0, msmH = 0, total = 0;
  size_t msmPoints = 0;        // non-zero terms over all five MSMs
  size_t smallTerms = 0;       // witness terms (A, B1, B2, C) whose folded scalar fits 64 bits
  size_t witnessTerms = 0;     // non-zero witness terms (A, B1, B2, C)
  size_t releasedBytes = 0;    // key pages released from the process after use (Zkey::release; 0 for anonymous keys)
};

// One proof for `witness` (canonical 4-limb integers, z.nVars of them). Fresh r, s from getrandom.
// `words` = 4 · z.nVars (checked).
ProofStrings prove(const Zkey& z, const Domain& d, const uint64_t* witness, size_t words, ProveTimings* timings);
inline ProofStrings prove(const Zkey& z, const Domain& d, const std::vector<uint64_t>& witness, ProveTimings* timings) {
  return prove(z, d, witness.data(), witness.size(), timings);
}

// Several witnesses of one key in one call: min(k, threads) proofs run at once, the cores split between them
// (a single proof's serial phases leave cores idle; concurrent proofs fill them). Each proof has fresh r, s.
// A bad witness fails only its own slot (errors[i] non-empty).
struct BatchItem {
  std::vector<uint64_t> witness;
  ProofStrings proof;
  ProveTimings timings;
  std::string error;
};
void proveBatch(const Zkey& z, const Domain& d, std::vector<BatchItem>& items);

}  // namespace zk
