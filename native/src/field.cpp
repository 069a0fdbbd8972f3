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
  return P;
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
