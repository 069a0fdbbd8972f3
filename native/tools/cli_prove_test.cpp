// Test driver for the native one-shot prove's JavaScript-compatible parts (test/native/cli-prove-parts.test.ts):
//   cli_prove_test number   stdin: one double a line, its bits in 16 hex digits → jsNumberToString of it
//   cli_prove_test input    stdin: one input file a line, its bytes in hex → "refused", or each input_data row as
//                           comma-separated 16-hex-digit doubles, rows joined by ';' ("" for no rows, "-" for an empty row)
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "input_json.hpp"
#include "js_number.hpp"

static std::string hexBits(double v) {
  uint64_t b;
  memcpy(&b, &v, 8);
  char s[17];
  snprintf(s, sizeof s, "%016llx", (unsigned long long)b);
  return s;
}

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  std::string line;
  while (std::getline(std::cin, line)) {
    if (mode == "number") {
      uint64_t b = std::stoull(line, nullptr, 16);
      double v;
      memcpy(&v, &b, 8);
      std::cout << zk::jsNumberToString(v) << '\n';
    } else if (mode == "input") {
      std::string text;
      for (size_t i = 0; i + 1 < line.size(); i += 2) text += (char)std::stoi(line.substr(i, 2), nullptr, 16);
      std::vector<std::vector<double>> rows;
      if (!zk::parseInputData(text, rows)) { std::cout << "refused\n"; continue; }
      std::string out;
      for (size_t r = 0; r < rows.size(); r++) {
        out += r ? ";" : "";
        if (rows[r].empty()) out += "-";
        for (size_t i = 0; i < rows[r].size(); i++) out += (i ? "," : "") + hexBits(rows[r][i]);
      }
      std::cout << out << '\n';
    } else {
      std::cerr << "usage: cli_prove_test number|input\n";
      return 2;
    }
  }
  return 0;
}
