// Radix-2 FFTs over BN254's scalar field on the domain snarkjs uses (roots of unity from the non-residue 5).
#pragma once
#include <vector>

#include "field.hpp"

namespace zk {

struct Domain {
  int power = 0;
  size_t n = 0;
  std::vector<Fr> tw, twInv;  // ω^j and ω^-j for j < n/2
  std::vector<Fr> cosetScale;  // n^-1 · inc^i, inc = the 2n-th root (snarkjs's Fr.w[power+1])
};

// Builds the tables for a domain of size 2^power (power ≤ 28).
Domain makeDomain(int power);

// In place: evaluations on the domain → evaluations on the odd coset inc·ω^i (IFFT, scale, FFT), as snarkjs does.
void toCoset(Fr* v, const Domain& d);  // d.n elements

// Forward (ω) or inverse (ω^-1, unscaled) transform in place, natural order in and out.
void fft(Fr* a, size_t n, const std::vector<Fr>& tw);

}  // namespace zk
