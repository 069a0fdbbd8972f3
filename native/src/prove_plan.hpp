// The prove plan (docs/network.md "CLI start-up", round 21): what the native one-shot `zkinfer prove` (cli_prove.cpp)
// needs of a circuit, written by the Node program (src/zkml/prove/native/plan.ts, whose comment gives the format)
// into the user cache after a proof of that circuit passed every check of docs/security.md, and named by the sha256
// of the metadata.json it was made from. A plan that does not read exactly as this version's is not used.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace zk {

constexpr int PROVE_PLAN_VERSION = 1;

struct PlanInput { uint32_t size = 0, scaleBits = 0, rangeBits = 0; };
struct PlanOutput { uint32_t offset = 0, length = 0, scaleBits = 0; };

struct ProvePlan {
  std::string id, security;          // circuit id (64 hex), security label
  uint32_t tapeLayout = 0;           // the witness tape's wire layout (src/zkml/r1cs/emit.ts DIRECT_LAYOUT_VERSION)
  std::string r1cs, program, zkey, vk;  // sha256 (hex) of each artifact, as metadata.json records them
  uint32_t total = 0, packedOffset = 0, packedWords = 0;
  int64_t recipient = -1;            // index of the recipient public signal, -1 when the circuit has none
  std::vector<PlanInput> inputs;     // graph order (their values fill `in` and the packed words in this order)
  std::vector<PlanOutput> outputs;   // graph order
};

// False when `text` is not a plan of this version (then the command runs in Node).
bool parseProvePlan(const std::string& text, ProvePlan& plan);

}  // namespace zk
