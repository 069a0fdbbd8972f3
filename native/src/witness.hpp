// Witness tape interpreter (docs/zkml-compile.md "Witness tape"): runs the direct backend's recorded witness walk.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace zk {

enum class TapeStatus { Ok = 0, Rejected = 1, Overflow = 2, Malformed = 3 };

struct TapeResult {
  TapeStatus status;
  std::string message;  // why, when not Ok
};

// Runs `tape` (the format of src/zkml/witness/tape-format.ts) on nIn inputs (16-byte little-endian two's complement
// integers) and the recipient (32-byte little-endian field element), writing the witness (32-byte little-endian field
// elements, the dropped wires left out) into `out`, which must hold nFinal·32 bytes. Every index is bounds-checked:
// a malformed tape is Malformed, never a read or write outside the buffers. Rejected: the input is outside a range
// the circuit proves (or divides by zero); Overflow: a value left the interpreter's 128-bit integers (the caller
// then runs the JS interpreter, which is exact).
TapeResult runWitnessTape(const uint8_t* tape, size_t tapeLen, const uint8_t* inputs, size_t inputsLen,
                          const uint8_t* recipient, uint8_t* out, size_t outLen);

}  // namespace zk
