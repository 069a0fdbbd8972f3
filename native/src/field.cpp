#include "field.hpp"

#include <algorithm>
#include <cstdlib>

namespace zk {

static bool detectAdx() {
  if (getenv("ZKINFER_NATIVE_NO_ASM")) return false;
  __builtin_cpu_init();
  return __builtin_cpu_supports("adx") && __builtin_cpu_supports("bmi2");
}
const bool HAS_ADX = detectAdx();

FieldParams makeParams(const uint64_t p[4]) {
  FieldParams P;
  memcpy(P.p, p, 32);
  // inv = -p^{-1} mod 2^64 by Newton iteration (each step doubles the correct bits).
  uint64_t x = 1;
  for (int i = 0; i < 7; i++) x *= 2 - p[0] * x;
  P.inv = (uint64_t)0 - x;
  // one = 2^256 mod p: start from 1 and double 256 times modulo p.
  uint64_t r[4] = {1, 0, 0, 0};
  for (int i = 0; i < 512; i++) {
    uint64_t carry = add4(r, r, r);
    if (carry || geq4(r, p)) sub4(r, r, p);
    if (i == 255) memcpy(P.one, r, 32);
  }
  memcpy(P.r2, r, 32);  // 2^512 mod p
  // invK = 2^(33·INV_OUTER + 768) mod p (invMont's correction); continue doubling from 2^512
  for (int i = 512; i < 33 * INV_OUTER + 768; i++) {
    uint64_t carry = add4(r, r, r);
    if (carry || geq4(r, p)) sub4(r, r, p);
  }
  memcpy(P.invK, r, 32);
  return P;
}

// ---- Inverse: Pornin's optimized binary GCD ("Optimized Binary GCD for Modular Inversion", 2020; described in
// docs/native-prover.md, "Field arithmetic"). Binary GCD on (a, b) = (x, p) keeping u·x ≡ a·2^(31·i),
// v·x ≡ b·2^(31·i) (mod p), but each outer round runs 31 inner steps on 64-bit approximations of a and b (their
// low 31 bits and top 33 bits) that only record the 2×2 update matrix (f0 g0; f1 g1), then applies it to the
// full-size a, b, u, v at once. 2·254 − 1 = 507 ≤ 17·31 inner steps bring a to 0 and b to gcd = 1 for any
// x < p < 2^254, so v = x^−1·2^(31·17) — times 2^(−64·17) here, as u, v are updated with a one-word Montgomery
// reduction — and one Montgomery product with invK fixes both factors and the Montgomery form.
namespace {

// out = x·f + y·g as a 5-limb two's-complement integer (|f|, |g| ≤ 2^31).
inline void linComb(uint64_t out[5], const uint64_t x[4], int64_t f, const uint64_t y[4], int64_t g) {
  __int128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (__int128)x[i] * f + (__int128)y[i] * g;
    out[i] = (uint64_t)c;
    c >>= 64;
  }
  out[4] = (uint64_t)c;
}

// r = (x·f + y·g) / 2^31 (exact), made non-negative; returns true when it was negated.
inline bool combineShift(uint64_t r[4], const uint64_t x[4], int64_t f, const uint64_t y[4], int64_t g) {
  uint64_t t[5];
  linComb(t, x, f, y, g);
  for (int i = 0; i < 4; i++) r[i] = (t[i] >> INV_INNER) | (t[i + 1] << (64 - INV_INNER));
  bool neg = (int64_t)t[4] < 0;
  if (neg) {
    const uint64_t zero[4] = {0, 0, 0, 0};
    sub4(r, zero, r);
  }
  return neg;
}

// r = (x·f + y·g)·2^−64 mod p for x, y < p (|f| + |g| ≤ 2^31).
inline void combineMod(uint64_t r[4], const uint64_t x[4], int64_t f, const uint64_t y[4], int64_t g, const FieldParams& P) {
  uint64_t t[5];
  linComb(t, x, f, y, g);
  // + p·2^32 makes it non-negative (|x·f + y·g| < 2^31·p): t < 2^33·p
  const uint64_t p32[5] = {P.p[0] << 32, (P.p[1] << 32) | (P.p[0] >> 32), (P.p[2] << 32) | (P.p[1] >> 32), (P.p[3] << 32) | (P.p[2] >> 32), P.p[3] >> 32};
  u128 c = 0;
  for (int i = 0; i < 5; i++) {
    c += (u128)t[i] + p32[i];
    t[i] = (uint64_t)c;
    c >>= 64;
  }
  // one Montgomery step: (t + m·p) / 2^64 < (2^33·p + 2^64·p) / 2^64 < 2p
  uint64_t m = t[0] * P.inv;
  c = ((u128)m * P.p[0] + t[0]) >> 64;
  uint64_t s[4];
  for (int i = 1; i < 4; i++) {
    c += (u128)m * P.p[i] + t[i];
    s[i - 1] = (uint64_t)c;
    c >>= 64;
  }
  s[3] = (uint64_t)(c + t[4]);
  if (sub4(r, s, P.p)) memcpy(r, s, 32);
}

// floor(x / 2^(n − 33)) for n ≥ 64: the top 33 of n bits.
inline uint64_t top33(const uint64_t x[4], int n) {
  int s = n - 33, idx = s >> 6, sh = s & 63;
  uint64_t v = x[idx] >> sh;
  if (sh && idx < 3) v |= x[idx + 1] << (64 - sh);
  return v & ((1ULL << 33) - 1);
}

}  // namespace

void invMont(uint64_t r[4], const uint64_t x[4], const FieldParams& P) {
  uint64_t a[4], b[4], u[4] = {1, 0, 0, 0}, v[4] = {0, 0, 0, 0};
  memcpy(a, x, 32);
  memcpy(b, P.p, 32);
  const uint64_t low = (1ULL << INV_INNER) - 1;
  for (int outer = 0; outer < INV_OUTER; outer++) {
    int n = std::max(std::max(bitLength4(a), bitLength4(b)), 64);
    uint64_t ab = (a[0] & low) | (top33(a, n) << INV_INNER);
    uint64_t bb = (b[0] & low) | (top33(b, n) << INV_INNER);
    uint64_t f0 = 1, g0 = 0, f1 = 0, g1 = 1;  // two's complement int64 values
    for (int j = 0; j < INV_INNER; j++) {  // branch-free
      uint64_t odd = (uint64_t)0 - (ab & 1);
      uint64_t sw = odd & ((uint64_t)0 - (uint64_t)(ab < bb));
      uint64_t t = (ab ^ bb) & sw;
      ab ^= t; bb ^= t;
      t = (f0 ^ f1) & sw;
      f0 ^= t; f1 ^= t;
      t = (g0 ^ g1) & sw;
      g0 ^= t; g1 ^= t;
      ab -= bb & odd;
      f0 -= f1 & odd;
      g0 -= g1 & odd;
      ab >>= 1;
      f1 <<= 1;
      g1 <<= 1;
    }
    int64_t F0 = (int64_t)f0, G0 = (int64_t)g0, F1 = (int64_t)f1, G1 = (int64_t)g1;
    uint64_t na[4], nb[4];
    if (combineShift(na, a, F0, b, G0)) { F0 = -F0; G0 = -G0; }
    if (combineShift(nb, a, F1, b, G1)) { F1 = -F1; G1 = -G1; }
    memcpy(a, na, 32);
    memcpy(b, nb, 32);
    uint64_t nu[4], nv[4];
    combineMod(nu, u, F0, v, G0, P);
    combineMod(nv, u, F1, v, G1, P);
    memcpy(u, nu, 32);
    memcpy(v, nv, 32);
  }
  // b = gcd = 1 (x ≠ 0, p prime): v = x^−1·2^(31·17 − 64·17); invK = 2^(33·17)·2^768 brings it to Montgomery form
  montMul(r, v, P.invK, P);
}

static const uint64_t Q_LIMBS[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};
static const uint64_t R_LIMBS[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};

FieldParams FQ_PARAMS = makeParams(Q_LIMBS);
FieldParams FR_PARAMS = makeParams(R_LIMBS);

std::string toDecimal(const uint64_t a[4]) {
  uint64_t t[4] = {a[0], a[1], a[2], a[3]};
  std::string out;
  const uint64_t base = 10000000000000000000ULL;  // 10^19
  while (!isZero4(t)) {
    u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
      u128 cur = (rem << 64) | t[i];
      t[i] = (uint64_t)(cur / base);
      rem = cur % base;
    }
    uint64_t chunk = (uint64_t)rem;
    bool more = !isZero4(t);
    for (int d = 0; d < 19 && (more || chunk); d++) {
      out.push_back('0' + (char)(chunk % 10));
      chunk /= 10;
    }
  }
  if (out.empty()) out = "0";
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace zk
