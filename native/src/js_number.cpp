// ECMAScript Number::toString(x) for radix 10 (ECMA-262 §6.1.6.1.20), the digits from std::to_chars, which gives
// the shortest representation that reads back as the same double, the nearest such one when there are several —
// the same digits V8 chooses.
#include "js_number.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace zk {

std::string jsNumberToString(double v) {
  if (std::isnan(v)) return "NaN";
  if (v == 0) return "0";  // -0 too
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);  // d[.ddd]e±XX
  std::string s(buf, r.ptr);
  size_t e = s.find('e');
  std::string digits;
  for (size_t i = 0; i < e; i++)
    if (s[i] != '.') digits += s[i];
  const int k = (int)digits.size(), n = std::atoi(s.c_str() + e + 1) + 1;  // value = 0.digits × 10^n
  std::string out = v < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string((size_t)(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, (size_t)n) + "." + digits.substr((size_t)n);
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string((size_t)-n, '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 < 0 ? "e-" : "e+") + std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace zk
