// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title InferenceAttestor
/// @notice On-chain registry of proven inferences. The owner registers, per circuit id (sha256 of the circuit's
///         verification key), the Groth16 verifier exported by snarkjs for that circuit. Anyone may then
///         `attest` a proof: it is verified on chain and the statement is recorded as (circuit id, input hash,
///         outputs, prover, block). Public signals follow Circom's order: outputs first, then inputs.
/// @dev    The snarkjs verifier returns false (it does not revert) when its pairing precompile call runs out of
///         gas, so "false" is only trusted as "invalid proof" when the verifier was given enough gas: the call
///         gets an explicit gas budget and the attestation reverts with InsufficientGas otherwise.
contract InferenceAttestor is Ownable2Step {
    /// Gas the verifier needs: pairing (4 pairs) + field checks + one ecMul/ecAdd per public signal, with margin.
    uint256 public constant VERIFY_GAS_BASE = 260_000;
    uint256 public constant VERIFY_GAS_PER_SIGNAL = 8_000;

    struct Circuit {
        address verifier;
        bytes4 selector; // verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[nPublic])
        uint32 nPublic;
        uint32 nOutputs;
        bool active;
    }

    struct Attestation {
        bytes32 circuitId;
        bytes32 inputHash; // keccak256(abi.encodePacked(inputs)) with inputs = publicSignals[nOutputs:]
        address prover;
        uint64 blockNumber;
        uint256[] outputs; // publicSignals[:nOutputs], field elements
    }

    mapping(bytes32 circuitId => Circuit) private _circuits;
    bytes32[] private _circuitIds;
    Attestation[] private _attestations;
    mapping(bytes32 inputHash => uint256[] ids) private _byInput;
    mapping(bytes32 statement => uint256 idPlusOne) private _byStatement;

    event CircuitRegistered(bytes32 indexed circuitId, address indexed verifier, uint32 nPublic, uint32 nOutputs);
    event CircuitDisabled(bytes32 indexed circuitId);
    event InferenceAttested(
        uint256 indexed id, bytes32 indexed circuitId, bytes32 indexed inputHash, address prover, uint256[] outputs
    );

    error ZeroCircuitId();
    error NotAContract(address verifier);
    error CircuitAlreadyRegistered(bytes32 circuitId);
    error UnknownCircuit(bytes32 circuitId);
    error CircuitNotActive(bytes32 circuitId);
    error InvalidSignalLayout(uint32 nPublic, uint32 nOutputs);
    error WrongSignalCount(uint256 expected, uint256 got);
    error InsufficientGas(uint256 needed, uint256 available);
    error VerifierCallFailed(bytes32 circuitId);
    error InvalidProof(bytes32 circuitId);
    error AlreadyAttested(uint256 id);
    error UnknownAttestation(uint256 id);

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Register the verifier of `circuitId`; a circuit id is bound to one verifier for good.
    function registerCircuit(bytes32 circuitId, address verifier, uint32 nPublic, uint32 nOutputs) external onlyOwner {
        if (circuitId == bytes32(0)) revert ZeroCircuitId();
        if (verifier.code.length == 0) revert NotAContract(verifier);
        if (_circuits[circuitId].verifier != address(0)) revert CircuitAlreadyRegistered(circuitId);
        if (nPublic == 0 || nOutputs > nPublic) revert InvalidSignalLayout(nPublic, nOutputs);
        bytes4 selector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[", Strings.toString(nPublic), "])"
                )
            )
        );
        _circuits[circuitId] = Circuit(verifier, selector, nPublic, nOutputs, true);
        _circuitIds.push(circuitId);
        emit CircuitRegistered(circuitId, verifier, nPublic, nOutputs);
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
    ///         and record the inference. Each statement (circuit, public signals) is recorded once.
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
        if (publicSignals.length != circuit.nPublic) revert WrongSignalCount(circuit.nPublic, publicSignals.length);

        bytes32 statement = keccak256(abi.encodePacked(circuitId, publicSignals));
        uint256 existing = _byStatement[statement];
        if (existing != 0) revert AlreadyAttested(existing - 1);

        _verify(circuitId, circuit, a, b, c, publicSignals);

        uint256[] memory outputs = publicSignals[:circuit.nOutputs];
        bytes32 inputHash = keccak256(abi.encodePacked(publicSignals[circuit.nOutputs:]));
        id = _attestations.length;
        _attestations.push(Attestation(circuitId, inputHash, msg.sender, uint64(block.number), outputs));
        _byInput[inputHash].push(id);
        _byStatement[statement] = id + 1;
        emit InferenceAttested(id, circuitId, inputHash, msg.sender, outputs);
    }

    function _verify(
        bytes32 circuitId,
        Circuit memory circuit,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] calldata publicSignals
    ) private view {
        uint256 budget = VERIFY_GAS_BASE + VERIFY_GAS_PER_SIGNAL * publicSignals.length;
        // EIP-150: a call forwards at most 63/64 of what is left; keep room for that and the call itself.
        uint256 needed = budget + budget / 63 + 5_000;
        if (gasleft() < needed) revert InsufficientGas(needed, gasleft());
        (bool ok, bytes memory ret) =
            circuit.verifier.staticcall{gas: budget}(abi.encodePacked(circuit.selector, a, b, c, publicSignals));
        if (!ok || ret.length != 32) revert VerifierCallFailed(circuitId);
        if (abi.decode(ret, (uint256)) != 1) revert InvalidProof(circuitId);
    }

    // ───────────────────────────── views ─────────────────────────────

    function circuit(bytes32 circuitId) external view returns (Circuit memory) {
        return _circuits[circuitId];
    }

    function circuitIds() external view returns (bytes32[] memory) {
        return _circuitIds;
    }

    function attestationCount() external view returns (uint256) {
        return _attestations.length;
    }

    function getAttestation(uint256 id) external view returns (Attestation memory) {
        if (id >= _attestations.length) revert UnknownAttestation(id);
        return _attestations[id];
    }

    /// @notice Ids of every attestation whose inputs hash to `inputHash` (any circuit, oldest first).
    function attestationsByInput(bytes32 inputHash) external view returns (uint256[] memory) {
        return _byInput[inputHash];
    }

    /// @notice Whether an exact statement (circuit id, public signals) was attested, and its id.
    function findStatement(bytes32 circuitId, uint256[] calldata publicSignals)
        external
        view
        returns (bool found, uint256 id)
    {
        uint256 v = _byStatement[keccak256(abi.encodePacked(circuitId, publicSignals))];
        return v == 0 ? (false, 0) : (true, v - 1);
    }
}
