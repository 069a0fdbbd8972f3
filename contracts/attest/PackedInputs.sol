// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PackedInputs
/// @notice zkinfer's packed public inputs on chain (docs/eth.md "Packed public inputs"; src/zkml/format/packing.ts
///         is the TypeScript twin): each input value x of width w (its tensor's rangeBits + 1, range-checked in the
///         circuit) is stored as x + 2^(w−1), laid out greedily in graph order into words of at most 253 bits. A
///         contract that wants an inference about ITS OWN input packs it here and looks the statement up
///         (InferenceAttestor.findStatement), so it never trusts the words a prover sent.
library PackedInputs {
    uint256 internal constant WORD_BITS = 253;

    error WidthOutOfRange(uint256 index, uint256 width);
    error ValueOutOfRange(uint256 index, int256 value, uint256 width);
    error LengthMismatch(uint256 values, uint256 widths);

    function pack(int256[] calldata values, uint16[] calldata widths) internal pure returns (uint256[] memory words) {
        if (values.length != widths.length) revert LengthMismatch(values.length, widths.length);
        uint256 count = 0;
        uint256 used = WORD_BITS; // forces a first word
        for (uint256 i = 0; i < widths.length; ++i) {
            uint256 w = widths[i];
            if (w == 0 || w > WORD_BITS) revert WidthOutOfRange(i, w);
            if (used + w > WORD_BITS) { ++count; used = 0; }
            used += w;
        }
        words = new uint256[](count);
        uint256 j = 0;
        used = 0;
        for (uint256 i = 0; i < values.length; ++i) {
            uint256 w = widths[i];
            if (used + w > WORD_BITS) { ++j; used = 0; }
            int256 half = int256(1 << (w - 1));
            int256 x = values[i];
            if (x < -half || x >= half) revert ValueOutOfRange(i, x, w);
            words[j] |= uint256(x + half) << used;
            used += w;
        }
    }
}
