// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title VkJson
/// @notice zkinfer's circuit id on chain (docs/eth.md "InferenceAttestor"): sha256 of the canonical JSON of the
///         Groth16 verification key (keys sorted, no whitespace, decimal strings, affine points), rebuilt from the
///         key's words (`vkWords`, the exported snarkjs verifier's constant order, which the attestor's Groth16
///         library verifies with: alpha, beta, gamma, delta with G2 coordinates swapped as snarkjs declares them,
///         then IC) and the key's alphabeta (a derived GT element zkinfer's vk.json carries).
library VkJson {
    /// The constants must describe alpha, beta, gamma, delta and at least one IC point.
    error InvalidVkWords(uint256 length);

    function circuitId(uint256[] calldata w, uint256[12] calldata ab) internal pure returns (bytes32) {
        if (w.length < 16 || w.length % 2 != 0) revert InvalidVkWords(w.length);
        uint256 nIC = (w.length - 14) / 2;
        bytes memory buf = new bytes(400 + 100 * (w.length + 12 + nIC));
        uint256 n = _s(buf, 0, '{"IC":[');
        for (uint256 i = 0; i < nIC; ++i) {
            if (i > 0) n = _s(buf, n, ",");
            n = _g1(buf, n, w[14 + 2 * i], w[15 + 2 * i]);
        }
        n = _s(buf, n, '],"curve":"bn128","nPublic":');
        n = _s(buf, n, bytes(Strings.toString(nIC - 1)));
        n = _s(buf, n, ',"protocol":"groth16","vk_alpha_1":');
        n = _g1(buf, n, w[0], w[1]);
        n = _s(buf, n, ',"vk_alphabeta_12":[');
        for (uint256 i = 0; i < 2; ++i) {
            n = _s(buf, n, i == 0 ? bytes("[") : bytes(",["));
            for (uint256 j = 0; j < 3; ++j) {
                n = _pair(buf, n, j == 0 ? bytes("[") : bytes(",["), ab[6 * i + 2 * j], ab[6 * i + 2 * j + 1]);
                n = _s(buf, n, "]");
            }
            n = _s(buf, n, "]");
        }
        n = _s(buf, n, '],"vk_beta_2":');
        n = _g2(buf, n, w, 2);
        n = _s(buf, n, ',"vk_delta_2":');
        n = _g2(buf, n, w, 10);
        n = _s(buf, n, ',"vk_gamma_2":');
        n = _g2(buf, n, w, 6);
        n = _s(buf, n, "}");
        assembly ("memory-safe") {
            mstore(buf, n)
        }
        return sha256(buf);
    }

    /// `["x","y","1"]`
    function _g1(bytes memory buf, uint256 n, uint256 x, uint256 y) private pure returns (uint256) {
        n = _pair(buf, n, "[", x, y);
        return _s(buf, n, ',"1"]');
    }

    /// `[["x0","x1"],["y0","y1"],["1","0"]]` from the verifier's swapped words (x1, x0, y1, y0) at `at`.
    function _g2(bytes memory buf, uint256 n, uint256[] calldata w, uint256 at) private pure returns (uint256) {
        n = _pair(buf, n, "[[", w[at + 1], w[at]);
        n = _pair(buf, n, "],[", w[at + 3], w[at + 2]);
        return _s(buf, n, '],["1","0"]]');
    }

    /// `pre"a","b"`
    function _pair(bytes memory buf, uint256 n, bytes memory pre, uint256 a, uint256 b) private pure returns (uint256) {
        n = _s(buf, n, pre);
        n = _s(buf, n, '"');
        n = _s(buf, n, bytes(Strings.toString(a)));
        n = _s(buf, n, '","');
        n = _s(buf, n, bytes(Strings.toString(b)));
        return _s(buf, n, '"');
    }

    /// Append `s` at `n` (the buffer is sized for the longest key; MCOPY, cancun).
    function _s(bytes memory buf, uint256 n, bytes memory s) private pure returns (uint256) {
        assembly ("memory-safe") {
            mcopy(add(add(buf, 32), n), add(s, 32), mload(s))
        }
        return n + s.length;
    }
}
