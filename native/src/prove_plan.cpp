#include "prove_plan.hpp"

#include <sstream>

namespace zk {

namespace {

bool hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

bool parseProvePlan(const std::string& text, ProvePlan& plan) {
  std::istringstream in(text);
  std::string line, word;
  int version = 0;
  if (!std::getline(in, line) || !(std::istringstream(line) >> word >> version) || word != "zkinfer-prove-plan" ||
      version != PROVE_PLAN_VERSION)
    return false;
  bool ended = false, seen[5] = {};
  while (std::getline(in, line)) {
    if (ended) return false;
    std::istringstream l(line);
    std::string key, extra;
    l >> key;
    if (key == "id") { l >> plan.id; seen[0] = hex64(plan.id); }
    else if (key == "security") { l >> plan.security; seen[1] = plan.security == "INSECURE-DEV" || plan.security == "ceremony"; }
    else if (key == "tape") { seen[2] = bool(l >> plan.tapeLayout); }
    else if (key == "files") { l >> plan.r1cs >> plan.program >> plan.zkey >> plan.vk; seen[3] = hex64(plan.r1cs) && hex64(plan.program) && hex64(plan.zkey) && hex64(plan.vk); }
    else if (key == "layout") { seen[4] = bool(l >> plan.total >> plan.packedOffset >> plan.packedWords >> plan.recipient); }
    else if (key == "input") { PlanInput t; if (!(l >> t.size >> t.scaleBits >> t.rangeBits)) return false; plan.inputs.push_back(t); }
    else if (key == "output") { PlanOutput t; if (!(l >> t.offset >> t.length >> t.scaleBits)) return false; plan.outputs.push_back(t); }
    else if (key == "end") ended = true;
    else return false;
    if (l >> extra) return false;  // nothing after a line's fields
  }
  for (bool s : seen)
    if (!s) return false;
  return ended && !plan.inputs.empty();
}

}  // namespace zk
