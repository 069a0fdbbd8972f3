// The EZKL-style input file of `zkinfer prove` ({"input_data": [[...numbers], ...]}) read by the native one-shot
// prove (cli_prove.cpp). Only that exact shape is read: anything else — other keys, escapes, a number JSON does not
// allow — is refused, and the command then runs in Node, whose error names the problem (docs/network.md "CLI
// start-up", round 21).
#pragma once
#include <string>
#include <vector>

namespace zk {

// Numbers as JSON.parse reads them (strtod: the nearest double, as JavaScript's). False when the text is not that shape.
bool parseInputData(const std::string& text, std::vector<std::vector<double>>& out);

}  // namespace zk
