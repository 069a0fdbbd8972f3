// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {VkJson} from "./VkJson.sol";
import {PackedInputs} from "./PackedInputs.sol";
import {Groth16} from "./Groth16.sol";

/// @title InferenceAttestor
/// @notice On-chain registry of proven inferences (docs/eth.md "InferenceAttestor"). The owner registers a circuit
///         id with its Groth16 verification key: registration recomputes the id — sha256 of the canonical
///         verification key, rebuilt from the key's words and alphabeta (VkJson) — and stores the words in a data
///         contract the attestor creates itself. Anyone may then `attest` a proof: the attestor verifies it ITSELF
///         against that key (Groth16 library, BN254 precompiles), so no contract chosen by the registrant is ever
///         trusted, and a one-slot record (beneficiary, block, id) is stored under the statement hash; the outputs
///         and the input hash are in the `InferenceAttested` event.
///         Public signals: outputs, then the inputs (packed into words by zkinfer compile: docs/eth.md "Packed
///         public inputs"), then `recipient` (last). The recipient is a public input of the
///         proven statement, so a copied proof still credits the address it was made for: the beneficiary is the
///         recipient, or msg.sender when the proof was made with recipient 0 (unbound, front-runnable).
///         `nOutputs` is the registrant's statement of the layout (the key does not fix it); a disabled circuit may
///         be registered again by the owner, e.g. with a corrected nOutputs.
contract InferenceAttestor is Ownable2Step {
    struct Circuit {
        address vkData; // data contract holding the key's words (runtime code 0x00 ‖ words); 0: unknown id
        uint32 nPublic;
        uint32 nOutputs;
        bool active;
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
    bytes32[] private _circuitIds;
    mapping(bytes32 statement => Attestation) private _records;
    uint256 public attestationCount;

    event CircuitRegistered(bytes32 indexed circuitId, address vkData, uint32 nPublic, uint32 nOutputs);
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
    error CircuitAlreadyRegistered(bytes32 circuitId);
    error UnknownCircuit(bytes32 circuitId);
    error CircuitNotActive(bytes32 circuitId);
    error InvalidSignalLayout(uint32 nPublic, uint32 nOutputs);
    error WrongSignalCount(uint256 expected, uint256 got);
    error InvalidRecipient(uint256 recipient);
    error InsufficientGas(uint256 needed, uint256 left);
    error InvalidProof(bytes32 circuitId);
    error AlreadyAttested(uint256 id);
    error UnknownStatement(bytes32 statement);
    error CircuitIdMismatch(bytes32 circuitId, bytes32 vkCircuitId);
    error VkStoreFailed();

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Register `circuitId` with its verification key (nPublic = outputs + input words + 1 recipient).
    ///         `vkWords` are the key's constants in the exported snarkjs verifier's order (Groth16 library) and
    ///         `alphabeta` its vk_alphabeta_12: together the vk whose sha256 must be `circuitId`. An active id is
    ///         registered once; a disabled one may be registered again (new layout; records already attested stay).
    function registerCircuit(
        bytes32 circuitId,
        uint32 nPublic,
        uint32 nOutputs,
        uint256[] calldata vkWords,
        uint256[12] calldata alphabeta
    ) external onlyOwner {
        if (circuitId == bytes32(0)) revert ZeroCircuitId();
        Circuit memory old = _circuits[circuitId];
        if (old.active) revert CircuitAlreadyRegistered(circuitId);
        if (nOutputs >= nPublic) revert InvalidSignalLayout(nPublic, nOutputs);
        if (vkWords.length != Groth16.vkWordCount(nPublic)) revert InvalidSignalLayout(nPublic, nOutputs);
        bytes32 id = VkJson.circuitId(vkWords, alphabeta);
        if (id != circuitId) revert CircuitIdMismatch(circuitId, id);
        // the id is the sha256 of the key, so a known id already has exactly these words stored
        address vkData = old.vkData;
        if (vkData == address(0)) {
            vkData = _storeWords(vkWords);
            _circuitIds.push(circuitId);
        }
        _circuits[circuitId] = Circuit(vkData, nPublic, nOutputs, true);
        emit CircuitRegistered(circuitId, vkData, nPublic, nOutputs);
    }

    /// @notice Stop accepting attestations for `circuitId` (e.g. a compromised key or a wrong layout); records stay.
    function disableCircuit(bytes32 circuitId) external onlyOwner {
        Circuit storage c = _circuits[circuitId];
        if (c.vkData == address(0)) revert UnknownCircuit(circuitId);
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
        if (circuit.vkData == address(0)) revert UnknownCircuit(circuitId);
        if (!circuit.active) revert CircuitNotActive(circuitId);
        uint256 n = publicSignals.length;
        if (n != circuit.nPublic) revert WrongSignalCount(circuit.nPublic, n);
        uint256 recipient = publicSignals[n - 1];
        if (recipient > type(uint160).max) revert InvalidRecipient(recipient);

        bytes32 statement = keccak256(abi.encodePacked(circuitId, publicSignals));
        Attestation storage rec = _records[statement];
        if (rec.blockNumber != 0) revert AlreadyAttested(rec.id);

        _verify(circuitId, circuit.vkData, a, b, c, publicSignals);

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

    /// Verify the proof with the circuit's own key; InvalidProof unless it holds (a failed precompile call had its
    /// full price, so it failed on its input: Groth16 library).
    function _verify(
        bytes32 circuitId,
        address vkData,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] calldata publicSignals
    ) private view {
        uint256 n = publicSignals.length;
        uint256[] memory vk = _readWords(vkData, Groth16.vkWordCount(n));
        uint256 needed = Groth16.gasNeeded(n);
        if (gasleft() < needed) revert InsufficientGas(needed, gasleft());
        if (!Groth16.verify(vk, a, b, c, publicSignals)) revert InvalidProof(circuitId);
    }

    /// SSTORE2: create a contract whose runtime code is 0x00 ‖ words (the 0x00 makes it unusable as code).
    function _storeWords(uint256[] calldata words) private returns (address data) {
        // init code: copy the code after these 11 bytes to memory and return it (PUSH1 0x0b MSIZE DUP2 CODESIZE
        // SUB DUP1 SWAP3 MSIZE CODECOPY RETURN)
        bytes memory init = abi.encodePacked(hex"600b5981380380925939f3", hex"00", words);
        assembly ("memory-safe") {
            data := create(0, add(init, 32), mload(init))
        }
        if (data == address(0)) revert VkStoreFailed();
    }

    /// The `count` words stored by _storeWords at `data`.
    function _readWords(address data, uint256 count) private view returns (uint256[] memory words) {
        words = new uint256[](count);
        assembly ("memory-safe") {
            extcodecopy(data, add(words, 32), 1, mul(count, 32))
        }
    }

    // ───────────────────────────── views ─────────────────────────────

    function circuit(bytes32 circuitId) external view returns (Circuit memory) {
        return _circuits[circuitId];
    }

    /// @notice The verification key words of a registered circuit (the Groth16 library's order).
    function verificationKey(bytes32 circuitId) external view returns (uint256[] memory) {
        Circuit memory c = _circuits[circuitId];
        if (c.vkData == address(0)) revert UnknownCircuit(circuitId);
        return _readWords(c.vkData, Groth16.vkWordCount(c.nPublic));
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
