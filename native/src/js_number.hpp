// A double as JavaScript writes it (Number.prototype.toString, which JSON.stringify uses for finite numbers): the
// shortest digits that read back as the same double, in the ECMAScript layout (plain from 1e-7 to below 1e21,
// exponent form outside). The native `zkinfer prove` writes PROOF.json's decoded outputs with it, byte for byte what
// the Node program writes (docs/network.md "CLI start-up", round 21).
#pragma once
#include <string>

namespace zk {

std::string jsNumberToString(double v);

}  // namespace zk
