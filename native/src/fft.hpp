// Radix-2 FFTs over BN254's scalar field on the domain snarkjs uses (roots of unity from the non-residue 5).
#pragma once
#include "field.hpp"
#include "mapped.hpp"

namespace zk {

// The tables live in one MappedArray of 2n elements (huge pages from n = 2^15, where they fill one 2 MB page): a
// fresh process builds them at its first key load, and in 4 KB pages their 512 faults at 2^15 cost ≈ 9 ms on the
// bench VM (docs/native-prover.md, "Page faults of a fresh process").
struct Domain {
  int power = 0;
  size_t n = 0;
  MappedArray<Fr> tables;
  const Fr* tw = nullptr;          // ω^j for j < n/2
  const Fr* twInv = nullptr;       // ω^-j for j < n/2
  const Fr* cosetScale = nullptr;  // n^-1 · inc^i for i < n, inc = the 2n-th root (snarkjs's Fr.w[power+1])
};

// Builds the tables for a domain of size 2^power (power ≤ 28).
Domain makeDomain(int power);

// In place: evaluations on the domain → evaluations on the odd coset inc·ω^i (IFFT, scale, FFT), as snarkjs does.
void toCoset(Fr* v, const Domain& d);  // d.n elements

// Forward (ω) or inverse (ω^-1, unscaled) transform in place, natural order in and out.
void fft(Fr* a, size_t n, const Fr* tw);

}  // namespace zk
