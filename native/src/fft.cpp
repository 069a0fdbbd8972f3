#include "fft.hpp"

#include <stdexcept>
#include <utility>

namespace zk {

namespace {

// Fr.w[k] as ffjavascript defines it: w[28] = nqr^t with nqr = 5 and r − 1 = 2^28·t; w[k] = w[k+1]^2.
Fr rootOfUnity(int k) {
  uint64_t t[4];
  const uint64_t one1[4] = {1, 0, 0, 0};
  sub4(t, FR_PARAMS.p, one1);
  for (int i = 0; i < 28; i++) {  // t >>= 1, 28 times
    for (int j = 0; j < 4; j++) t[j] = (t[j] >> 1) | (j < 3 ? (t[j + 1] << 63) : 0);
  }
  Fr w = Fr::fromU64(5).pow(t);
  for (int i = 28; i > k; i--) w = w.sqr();
  return w;
}

}  // namespace

Domain makeDomain(int power) {
  if (power < 1 || power > 28) throw std::runtime_error("FFT domain size out of range");
  Domain d;
  d.power = power;
  d.n = (size_t)1 << power;
  Fr w = rootOfUnity(power), wi = w.inv();
  d.tables = MappedArray<Fr>(2 * d.n, true);
  Fr* tw = d.tables.data();
  Fr* twInv = tw + d.n / 2;
  Fr* cosetScale = tw + d.n;
  d.tw = tw;
  d.twInv = twInv;
  d.cosetScale = cosetScale;
  Fr x = Fr::one(), y = Fr::one();
  for (size_t j = 0; j < d.n / 2; j++) {
    tw[j] = x;
    twInv[j] = y;
    x = x * w;
    y = y * wi;
  }
  // snarkjs: inc = power == Fr.s ? Fr.shift (nqr^2) : Fr.w[power + 1]
  Fr inc = power == 28 ? Fr::fromU64(25) : rootOfUnity(power + 1);
  Fr nInv = Fr::fromU64(d.n).inv();
  Fr c = nInv;
  for (size_t i = 0; i < d.n; i++) {
    cosetScale[i] = c;
    c = c * inc;
  }
  return d;
}

void fft(Fr* a, size_t n, const Fr* tw) {
  // bit-reversal permutation
  for (size_t i = 1, j = 0; i < n; i++) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  // the first level's twiddles are all 1, and every later level's j = 0 twiddle is 1: no multiplication there
  // (n − 1 of the (n/2)·log n products; docs/native-prover.md, "Round 8")
  for (size_t i = 0; i + 1 < n; i += 2) {
    Fr u = a[i], v = a[i + 1];
    a[i] = u + v;
    a[i + 1] = u - v;
  }
  for (size_t len = 4; len <= n; len <<= 1) {
    size_t half = len >> 1, step = n / len;
    for (size_t i = 0; i < n; i += len) {
      Fr u = a[i], v = a[i + half];
      a[i] = u + v;
      a[i + half] = u - v;
      for (size_t j = 1; j < half; j++) {
        Fr u = a[i + j];
        Fr v = a[i + j + half] * tw[j * step];
        a[i + j] = u + v;
        a[i + j + half] = u - v;
      }
    }
  }
}

void toCoset(Fr* v, const Domain& d) {
  fft(v, d.n, d.twInv);
  for (size_t i = 0; i < d.n; i++) v[i] = v[i] * d.cosetScale[i];
  fft(v, d.n, d.tw);
}

}  // namespace zk
