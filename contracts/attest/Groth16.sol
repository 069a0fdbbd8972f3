// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Groth16
/// @notice Groth16 verification over BN254 with the EIP-196/197 precompiles (0x06 ecAdd, 0x07 ecMul, 0x08 pairing),
///         for a verification key given as words (docs/eth.md "InferenceAttestor"). The word order is the exported
///         snarkjs verifier's constant order: alpha x, y; beta,
///         gamma, delta as 4 words each with the G2 coordinates in the precompile's order (x imaginary, x real,
///         y imaginary, y real: snarkjs's betax1, betax2, betay1, betay2); then IC0 … ICn as x, y.
///         The proof is in the same calldata order as a snarkjs verifier's verifyProof (b's coordinates swapped
///         as snarkjs exports them for Solidity).
/// @dev    Each precompile is called with its exact EIP-1108 price as the gas stipend, so a call that fails had
///         all the gas it needs and failed on its input: `verify` returning false always means the proof (or a
///         signal) is invalid. The caller makes sure at least `gasNeeded(n)` gas is left before calling `verify`,
///         so every stipend can be paid (EIP-150 forwards at most 63/64).
library Groth16 {
    /// BN254 scalar field: every public signal must be below it.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// BN254 base field: every proof coordinate must be below it.
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    uint256 internal constant EC_ADD_GAS = 150;
    uint256 internal constant EC_MUL_GAS = 6_000;
    uint256 internal constant PAIRING_GAS = 181_000; // 45,000 + 4 pairs × 34,000

    /// Words of a key for `nPublic` signals: alpha 2, beta/gamma/delta 4 each, and nPublic + 1 IC points.
    function vkWordCount(uint256 nPublic) internal pure returns (uint256) {
        return 16 + 2 * nPublic;
    }

    /// An upper bound on the gas `verify` uses with `nPublic` signals, with the 64/63 of EIP-150 on every stipend
    /// and a generous allowance for the code between the calls.
    function gasNeeded(uint256 nPublic) internal pure returns (uint256) {
        return ((PAIRING_GAS + (EC_MUL_GAS + EC_ADD_GAS) * nPublic) * 64) / 63 + 1_000 * nPublic + 5_000;
    }

    /// @notice Whether (a, b, c) is a valid proof for `signals` under the key `vk` (vkWordCount(signals.length)
    ///         words, checked by the caller). False for a signal ≥ R, a proof coordinate ≥ Q, a point off the curve
    ///         or outside its subgroup, or a failed pairing check.
    function verify(
        uint256[] memory vk,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] calldata signals
    ) internal view returns (bool ok) {
        assembly ("memory-safe") {
            // Scratch past the free memory pointer (not kept): p … p+767 the pairing input, m … m+159 vk_x.
            let p := mload(0x40)
            let m := add(p, 768)
            let w := add(vk, 32) // vk word j at w + 32 j
            ok := 1

            // proof coordinates < Q (the precompiles reject them too, but −A below is computed mod Q)
            for { let i := 0 } lt(i, 2) { i := add(i, 1) } {
                ok := and(ok, lt(calldataload(add(a, mul(i, 32))), Q))
                ok := and(ok, lt(calldataload(add(c, mul(i, 32))), Q))
            }
            for { let i := 0 } lt(i, 4) { i := add(i, 1) } {
                ok := and(ok, lt(calldataload(add(b, mul(i, 32))), Q))
            }

            // vk_x = IC0 + Σ s_i · IC_{i+1}: the sum at m, s_i · IC_{i+1} at m + 64
            mstore(m, mload(add(w, 448)))
            mstore(add(m, 32), mload(add(w, 480)))
            let n := signals.length
            for { let i := 0 } and(ok, lt(i, n)) { i := add(i, 1) } {
                let s := calldataload(add(signals.offset, mul(i, 32)))
                ok := lt(s, R)
                if and(ok, iszero(iszero(s))) {
                    let ic := add(w, add(512, mul(i, 64)))
                    mstore(add(m, 64), mload(ic))
                    mstore(add(m, 96), mload(add(ic, 32)))
                    mstore(add(m, 128), s)
                    ok := staticcall(EC_MUL_GAS, 0x07, add(m, 64), 96, add(m, 64), 64)
                    ok := and(ok, staticcall(EC_ADD_GAS, 0x06, m, 128, m, 64))
                }
            }

            if ok {
                // e(−A, B) · e(alpha, beta) · e(vk_x, gamma) · e(C, delta) = 1
                mstore(p, calldataload(a))
                mstore(add(p, 32), mod(sub(Q, calldataload(add(a, 32))), Q))
                mstore(add(p, 64), calldataload(b))
                mstore(add(p, 96), calldataload(add(b, 32)))
                mstore(add(p, 128), calldataload(add(b, 64)))
                mstore(add(p, 160), calldataload(add(b, 96)))
                // alpha (words 0, 1), beta (2 … 5)
                for { let j := 0 } lt(j, 6) { j := add(j, 1) } {
                    mstore(add(p, add(192, mul(j, 32))), mload(add(w, mul(j, 32))))
                }
                mstore(add(p, 384), mload(m))
                mstore(add(p, 416), mload(add(m, 32)))
                // gamma (words 6 … 9)
                for { let j := 0 } lt(j, 4) { j := add(j, 1) } {
                    mstore(add(p, add(448, mul(j, 32))), mload(add(w, add(192, mul(j, 32)))))
                }
                mstore(add(p, 576), calldataload(c))
                mstore(add(p, 608), calldataload(add(c, 32)))
                // delta (words 10 … 13)
                for { let j := 0 } lt(j, 4) { j := add(j, 1) } {
                    mstore(add(p, add(640, mul(j, 32))), mload(add(w, add(320, mul(j, 32)))))
                }
                ok := staticcall(PAIRING_GAS, 0x08, p, 768, p, 32)
                ok := and(ok, eq(mload(p), 1))
            }
        }
    }
}
