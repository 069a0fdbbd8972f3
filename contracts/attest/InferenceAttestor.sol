// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {VkJson} from "./VkJson.sol";
import {PackedInputs} from "./PackedInputs.sol";

/// @notice What the attestor needs from a verifier exported by `zkinfer export-verifier` besides verifyProof:
///         the hash of the verification key it checks against, computed from its own constants.
interface IVkHash {
    function vkHash() external view returns (bytes32);
}

/// @title InferenceAttestor
/// @notice On-chain registry of proven inferences (docs/eth.md "InferenceAttestor"). The owner binds a circuit id
///         to its exported Groth16 verifier: registration recomputes the id — sha256 of the canonical verification
///         key, rebuilt from the constants whose keccak256 the verifier's own `vkHash()` returns — so a verifier can
///         only serve its own key's id, and each key is bound once. Anyone may then `attest` a proof: it is verified
///         on chain and a one-slot record (beneficiary, block, id) is stored under the statement hash; the outputs
///         and the input hash are in the `InferenceAttested` event.
///         Public signals: outputs, then the inputs (packed into words by zkinfer compile: docs/eth.md "Packed
///         public inputs"), then `recipient` (last). The recipient is a public input of the
///         proven statement, so a copied proof still credits the address it was made for: the beneficiary is the
///         recipient, or msg.sender when the proof was made with recipient 0 (unbound, front-runnable).
/// @dev    A snarkjs verifier returns false (it does not revert) when a precompile call fails, and a failing
///         precompile burns all the gas it was given — whether it ran out of gas or rejected a point off the curve.
///         The verifier gets all the gas left (63/64 by EIP-150, no fixed budget) and the attestor measures what came
///         back: a false result that left more than 1/32 of the gas (+ the verifier's 2,000 reserve) was not
///         starved, so it is InvalidProof; one that burned the gas is InvalidProof only if the call had at least
///         verifierGasBound(n), an upper bound on what a snarkjs verifier with n public signals needs; otherwise
///         InsufficientGas. So InvalidProof always means the proof is wrong, for any number of public signals.
contract InferenceAttestor is Ownable2Step {
    /// Gas a starved verifier may still hand back beyond the 63/64 shares (its own `sub(gas(), 2000)` reserve).
    uint256 public constant STARVED_VERIFIER_RESERVE = 2_000;
    /// Upper bound on a snarkjs verifier's gas: pairing (45,000 + 4 × 34,000), field checks, and per public signal
    /// one ecMul (6,000) + ecAdd (150) + calldata and memory, with a wide margin.
    uint256 public constant VERIFIER_GAS_BASE = 300_000;
    uint256 public constant VERIFIER_GAS_PER_SIGNAL = 10_000;

    struct Circuit {
        address verifier;
        bytes4 selector; // verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[nPublic])
        uint32 nPublic;
        uint32 nOutputs;
        bool active;
        bytes32 vkHash; // the verifier's own vkHash()
    }

    /// One storage slot per attestation, keyed by its statement keccak256(abi.encodePacked(circuitId, publicSignals));
    /// the outputs and the input hash live in the event.
    struct Attestation {
        address prover; // the beneficiary: the proof's recipient, or msg.sender for recipient 0
        uint48 blockNumber; // 0: no such statement
        bool recipientBound; // true when the proof named the beneficiary
        uint40 id;
    }

    mapping(bytes32 circuitId => Circuit) private _circuits;
    mapping(bytes32 vkHash => bytes32 circuitId) public circuitOfVk;
    bytes32[] private _circuitIds;
    mapping(bytes32 statement => Attestation) private _records;
    uint256 public attestationCount;

    event CircuitRegistered(
        bytes32 indexed circuitId, address indexed verifier, uint32 nPublic, uint32 nOutputs, bytes32 vkHash
    );
    event CircuitDisabled(bytes32 indexed circuitId);
    event InferenceAttested(
        uint256 indexed id,
        bytes32 indexed circuitId,
        bytes32 indexed inputHash,
        address prover,
        bool recipientBound,
        bytes32 statement,
        uint256[] outputs
    );

    error ZeroCircuitId();
    error NotAContract(address verifier);
    error NoVkHash(address verifier);
    error CircuitAlreadyRegistered(bytes32 circuitId);
    error VkAlreadyBound(bytes32 vkHash, bytes32 circuitId);
    error UnknownCircuit(bytes32 circuitId);
    error CircuitNotActive(bytes32 circuitId);
    error InvalidSignalLayout(uint32 nPublic, uint32 nOutputs);
    error WrongSignalCount(uint256 expected, uint256 got);
    error InvalidRecipient(uint256 recipient);
    error InsufficientGas(uint256 before, uint256 left);
    error VerifierCallFailed(bytes32 circuitId);
    error InvalidProof(bytes32 circuitId);
    error AlreadyAttested(uint256 id);
    error UnknownStatement(bytes32 statement);
    error VkWordsMismatch(bytes32 vkHash, bytes32 wordsHash);
    error CircuitIdMismatch(bytes32 circuitId, bytes32 vkCircuitId);

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Register the verifier of `circuitId` (nPublic = outputs + input words + 1 recipient); a circuit id and
    ///         a verification key are each bound once. `vkWords` are the verifier's constants (keccak256 = its
    ///         vkHash) and `alphabeta` the key's vk_alphabeta_12: together the vk whose sha256 must be `circuitId`.
    function registerCircuit(
        bytes32 circuitId,
        address verifier,
        uint32 nPublic,
        uint32 nOutputs,
        uint256[] calldata vkWords,
        uint256[12] calldata alphabeta
    ) external onlyOwner {
        if (circuitId == bytes32(0)) revert ZeroCircuitId();
        if (verifier.code.length == 0) revert NotAContract(verifier);
        if (_circuits[circuitId].verifier != address(0)) revert CircuitAlreadyRegistered(circuitId);
        if (nOutputs >= nPublic) revert InvalidSignalLayout(nPublic, nOutputs);
        bytes32 vk;
        try IVkHash(verifier).vkHash() returns (bytes32 h) {
            vk = h;
        } catch {
            revert NoVkHash(verifier);
        }
        if (vk == bytes32(0)) revert NoVkHash(verifier);
        if (circuitOfVk[vk] != bytes32(0)) revert VkAlreadyBound(vk, circuitOfVk[vk]);
        bytes32 wordsHash = keccak256(abi.encodePacked(vkWords));
        if (wordsHash != vk) revert VkWordsMismatch(vk, wordsHash);
        if (vkWords.length != 16 + 2 * uint256(nPublic)) revert InvalidSignalLayout(nPublic, nOutputs);
        bytes32 id = VkJson.circuitId(vkWords, alphabeta);
        if (id != circuitId) revert CircuitIdMismatch(circuitId, id);
        bytes4 selector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[", Strings.toString(nPublic), "])"
                )
            )
        );
        _circuits[circuitId] = Circuit(verifier, selector, nPublic, nOutputs, true, vk);
        circuitOfVk[vk] = circuitId;
        _circuitIds.push(circuitId);
        emit CircuitRegistered(circuitId, verifier, nPublic, nOutputs, vk);
    }

    /// @notice Stop accepting attestations for `circuitId` (e.g. a compromised key); records stay.
    function disableCircuit(bytes32 circuitId) external onlyOwner {
        Circuit storage c = _circuits[circuitId];
        if (c.verifier == address(0)) revert UnknownCircuit(circuitId);
        if (!c.active) revert CircuitNotActive(circuitId);
        c.active = false;
        emit CircuitDisabled(circuitId);
    }

    /// @notice Verify a Groth16 proof (Solidity calldata order: b's coordinates swapped as snarkjs exports them)
    ///         and record the inference for the proof's recipient. Each statement is recorded once.
    function attest(
        bytes32 circuitId,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] calldata publicSignals
    ) external returns (uint256 id) {
        Circuit memory circuit = _circuits[circuitId];
        if (circuit.verifier == address(0)) revert UnknownCircuit(circuitId);
        if (!circuit.active) revert CircuitNotActive(circuitId);
        uint256 n = publicSignals.length;
        if (n != circuit.nPublic) revert WrongSignalCount(circuit.nPublic, n);
        uint256 recipient = publicSignals[n - 1];
        if (recipient > type(uint160).max) revert InvalidRecipient(recipient);

        bytes32 statement = keccak256(abi.encodePacked(circuitId, publicSignals));
        Attestation storage rec = _records[statement];
        if (rec.blockNumber != 0) revert AlreadyAttested(rec.id);

        _verify(circuitId, circuit, a, b, c, publicSignals);

        address prover = recipient == 0 ? msg.sender : address(uint160(recipient));
        id = attestationCount++;
        _records[statement] = Attestation(prover, uint48(block.number), recipient != 0, uint40(id));
        emit InferenceAttested(
            id,
            circuitId,
            keccak256(abi.encodePacked(publicSignals[circuit.nOutputs:n - 1])),
            prover,
            recipient != 0,
            statement,
            publicSignals[:circuit.nOutputs]
        );
    }

    function _verify(
        bytes32 circuitId,
        Circuit memory circuit,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] calldata publicSignals
    ) private view {
        bytes memory data = abi.encodePacked(circuit.selector, a, b, c, publicSignals);
        uint256 before = gasleft();
        (bool ok, bytes memory ret) = circuit.verifier.staticcall(data);
        bool valid = ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
        if (valid) return;
        // Starved (EIP-150): the verifier got 63/64 and a failed precompile burns what it was given, so at most
        // before/64 (kept here) + before/64 (left in the verifier) + its reserve comes back.
        uint256 left = gasleft();
        if (left <= before / 32 + STARVED_VERIFIER_RESERVE && before < verifierGasBound(publicSignals.length)) {
            revert InsufficientGas(before, left);
        }
        if (!ok || ret.length != 32) revert VerifierCallFailed(circuitId);
        revert InvalidProof(circuitId);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @notice Gas that certainly suffices for a snarkjs verifier with `nPublic` signals (see the contract notes).
    function verifierGasBound(uint256 nPublic) public pure returns (uint256) {
        return VERIFIER_GAS_BASE + VERIFIER_GAS_PER_SIGNAL * nPublic;
    }

    function circuit(bytes32 circuitId) external view returns (Circuit memory) {
        return _circuits[circuitId];
    }

    function circuitIds() external view returns (bytes32[] memory) {
        return _circuitIds;
    }

    /// @notice The record of a statement (its id and statement are also in the InferenceAttested event).
    function getAttestation(bytes32 statement) external view returns (Attestation memory) {
        Attestation memory r = _records[statement];
        if (r.blockNumber == 0) revert UnknownStatement(statement);
        return r;
    }

    /// @notice The packed public-input words of `values` (fixed-point integers, graph order) with the circuit's
    ///         input widths (rangeBits + 1 each): what a proof about these inputs carries after its outputs.
    function packInputs(int256[] calldata values, uint16[] calldata widths) external pure returns (uint256[] memory) {
        return PackedInputs.pack(values, widths);
    }

    /// @notice Whether an exact statement (circuit id, public signals) was attested, and its id.
    function findStatement(bytes32 circuitId, uint256[] calldata publicSignals)
        external
        view
        returns (bool found, uint256 id)
    {
        Attestation memory r = _records[keccak256(abi.encodePacked(circuitId, publicSignals))];
        return r.blockNumber == 0 ? (false, 0) : (true, r.id);
    }
}
