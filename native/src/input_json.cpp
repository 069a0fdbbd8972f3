#include "input_json.hpp"

#include <cstdlib>
#include <cstring>

namespace zk {

namespace {

struct Reader {
  const char* p;
  const char* end;
  void ws() { while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++; }
  bool eat(char c) { ws(); if (p < end && *p == c) { p++; return true; } return false; }
  bool digit() const { return p < end && *p >= '0' && *p <= '9'; }
  // JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(double& v) {
    ws();
    const char* s = p;
    if (p < end && *p == '-') p++;
    if (!digit()) return false;
    if (*p == '0') p++; else while (digit()) p++;
    if (p < end && *p == '.') { p++; if (!digit()) return false; while (digit()) p++; }
    if (p < end && (*p == 'e' || *p == 'E')) {
      p++;
      if (p < end && (*p == '+' || *p == '-')) p++;
      if (!digit()) return false;
      while (digit()) p++;
    }
    std::string text(s, p);  // NUL-terminated for strtod (C locale: '.' is the decimal point)
    v = std::strtod(text.c_str(), nullptr);
    return true;
  }
};

}  // namespace

bool parseInputData(const std::string& text, std::vector<std::vector<double>>& out) {
  Reader r{text.data(), text.data() + text.size()};
  if (text.size() >= 3 && std::memcmp(r.p, "\xEF\xBB\xBF", 3) == 0) r.p += 3;  // a UTF-8 byte-order mark
  static const char key[] = "\"input_data\"";
  if (!r.eat('{')) return false;
  r.ws();
  if ((size_t)(r.end - r.p) < sizeof key - 1 || std::memcmp(r.p, key, sizeof key - 1) != 0) return false;
  r.p += sizeof key - 1;
  if (!r.eat(':') || !r.eat('[')) return false;
  out.clear();
  if (!r.eat(']')) {
    do {
      if (!r.eat('[')) return false;
      std::vector<double>& row = out.emplace_back();
      if (!r.eat(']')) {
        do {
          double v;
          if (!r.number(v)) return false;
          row.push_back(v);
        } while (r.eat(','));
        if (!r.eat(']')) return false;
      }
    } while (r.eat(','));
    if (!r.eat(']')) return false;
  }
  if (!r.eat('}')) return false;
  r.ws();
  return r.p == r.end;
}

}  // namespace zk
