import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventLogs, type Address } from 'viem';
import { inferenceAttestorAbi } from '../../src/eth/abi-index.js';
import {
  attestationsByInput,
  attestProof,
  circuitIdBytes,
  inputHashOf,
  parseAttestProof,
  readAttestation,
  recipientOf,
  registerCircuit,
  toSolidityProof,
  type AttestProof,
} from '../../src/eth/attest.js';
import type { EthClients } from '../../src/eth/clients.js';
import { sendTx } from '../../src/eth/tx.js';
import { deployVerifier } from '../../src/eth/verifier.js';
import { evmVkHash } from '../../src/zkml/format/solidity.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { EthTransactionError } from '../../src/eth/errors.js';
import { deploy, expectRevert, startTestChain, type TestChain } from './helpers/chain.js';
import { proveTiny, releaseSnarkjs, tinyCircuit, tinyVerifierSource, type TinyCircuit } from './helpers/tiny-circuit.js';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

let chain: TestChain;
let owner: EthClients;
let alice: EthClients;
let circuit: TinyCircuit;
let attestor: Address;
let verifier: Address;
let proof: AttestProof; // x = (5, 9) → y = 67, recipient 0

before(async () => {
  circuit = await tinyCircuit();
  chain = await startTestChain(2);
  owner = chain.owner;
  alice = chain.users[0]!;
  attestor = await deploy(owner, 'InferenceAttestor', [owner.account.address]);
  const v = await deployVerifier(owner, await tinyVerifierSource(circuit));
  assert.equal(v.nPublic, circuit.nPublic);
  assert.equal(v.vkHash, evmVkHash(circuit.vk), 'the verifier hashes the same key constants as zkinfer');
  verifier = v.address;
  proof = await proveTiny(circuit, 5n, 9n);
});
after(async () => {
  await chain.stop();
  await releaseSnarkjs();
});

/** Send a raw attest (no client-side checks) with an explicit gas limit. */
function rawAttest(c: EthClients, p: AttestProof, signals: bigint[] = p.public_signals.map(BigInt), gas = 2_000_000n) {
  const { a, b, c: cc } = toSolidityProof(p.proof);
  return sendTx(c, { address: attestor, abi: inferenceAttestorAbi, functionName: 'attest', args: [circuitIdBytes(p.circuit_id), a, b, cc, signals], gas });
}

describe('InferenceAttestor: circuit registry', () => {
  test('registerCircuit refuses non-owners, a zero id, non-contracts and impossible layouts', async () => {
    const id = circuit.circuitId;
    await expectRevert(registerCircuit(alice, attestor, { circuitId: id, verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'OwnableUnauthorizedAccount');
    await expectRevert(registerCircuit(owner, attestor, { circuitId: '00'.repeat(32), verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'ZeroCircuitId');
    await expectRevert(registerCircuit(owner, attestor, { circuitId: id, verifier: alice.account.address, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'NotAContract');
    await expectRevert(registerCircuit(owner, attestor, { circuitId: id, verifier, nPublic: 0, nOutputs: 0, vk: circuit.vk }), 'InvalidSignalLayout');
    await expectRevert(registerCircuit(owner, attestor, { circuitId: id, verifier, nPublic: 4, nOutputs: 4, vk: circuit.vk }), 'InvalidSignalLayout'); // no recipient slot
    const notVerifier = await deploy(owner, 'DevToken', ['n', 'N', 18]);
    await expectRevert(registerCircuit(owner, attestor, { circuitId: id, verifier: notVerifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'NoVkHash');
  });

  test('registerCircuit binds a circuit id to its verifier once and emits CircuitRegistered', async () => {
    const hash = await registerCircuit(owner, attestor, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk });
    const receipt = await owner.publicClient.getTransactionReceipt({ hash });
    const [ev] = parseEventLogs({ abi: inferenceAttestorAbi, logs: receipt.logs, eventName: 'CircuitRegistered' });
    assert.equal(ev!.args.circuitId, circuitIdBytes(circuit.circuitId));
    const c = await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [circuitIdBytes(circuit.circuitId)] });
    assert.deepEqual([c.verifier, c.nPublic, c.nOutputs, c.active, c.vkHash], [verifier, 4, 1, true, evmVkHash(circuit.vk)]);
    await expectRevert(registerCircuit(owner, attestor, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'CircuitAlreadyRegistered');
  });

  test('the circuit id must be the sha256 of the verifier\'s own key, recomputed on chain (revert otherwise)', async () => {
    const fresh = await deploy(owner, 'InferenceAttestor', [owner.account.address]);
    // the right key under another id: the attestor's own sha256 of the canonical vk disagrees
    await expectRevert(registerCircuit(owner, fresh, { circuitId: 'cd'.repeat(32), verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'CircuitIdMismatch');
    // constants that are not the verifier's (keccak256 ≠ its vkHash()) cannot stand in for its key
    const alpha = circuit.vk.vk_alpha_1 as string[];
    const otherVk = { ...circuit.vk, vk_alpha_1: [(BigInt(alpha[0]!) + 1n).toString(), alpha[1], '1'] };
    await expectRevert(registerCircuit(owner, fresh, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: otherVk }), 'VkWordsMismatch');
    // a wrong alphabeta changes the JSON, so the id no longer matches
    const ab = structuredClone(circuit.vk.vk_alphabeta_12) as string[][][];
    ab[0]![0]![0] = '1';
    await expectRevert(registerCircuit(owner, fresh, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: { ...circuit.vk, vk_alphabeta_12: ab } }), 'CircuitIdMismatch');
    // and the genuine pair registers
    await registerCircuit(owner, fresh, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk });
  });

  test('one verification key is bound to one circuit id: the same verifier (or a copy) under another id is refused', async () => {
    await expectRevert(registerCircuit(owner, attestor, { circuitId: 'cd'.repeat(32), verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'VkAlreadyBound');
    const copy = await deployVerifier(owner, await tinyVerifierSource(circuit));
    await expectRevert(registerCircuit(owner, attestor, { circuitId: 'cd'.repeat(32), verifier: copy.address, nPublic: 4, nOutputs: 1, vk: circuit.vk }), 'VkAlreadyBound');
  });
});

describe('InferenceAttestor: attest', () => {
  test('a real Groth16 proof with recipient 0 is verified on chain and recorded for its sender (circuit, input hash, outputs, block)', async () => {
    const r = await attestProof(alice, attestor, proof);
    assert.equal(r.id, 0n);
    assert.equal(r.inputHash, inputHashOf(proof.public_signals, 1));
    const receipt = await owner.publicClient.getTransactionReceipt({ hash: r.hash });
    const [ev] = parseEventLogs({ abi: inferenceAttestorAbi, logs: receipt.logs, eventName: 'InferenceAttested' });
    assert.deepEqual(ev!.args.outputs, [67n]);
    const a = await readAttestation(owner, attestor, 0n);
    assert.equal(a.circuitId, circuitIdBytes(circuit.circuitId));
    assert.equal(a.prover, alice.account.address);
    assert.equal(a.recipientBound, false);
    assert.equal(a.blockNumber, receipt.blockNumber);
    assert.deepEqual(a.outputs, [67n]);
    assert.equal(a.inputHash, r.inputHash);
    assert.deepEqual(await attestationsByInput(owner, attestor, r.inputHash), [0n]);
    const [found, id] = await owner.publicClient.readContract({
      address: attestor, abi: inferenceAttestorAbi, functionName: 'findStatement', args: [circuitIdBytes(circuit.circuitId), proof.public_signals.map(BigInt)],
    });
    assert.deepEqual([found, id], [true, 0n]);
    assert.equal(await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'attestationCount' }), 1n);
  });

  test('the same statement is attested only once', async () => {
    await expectRevert(attestProof(owner, attestor, proof), 'AlreadyAttested');
  });

  test('a tampered proof point is rejected', async () => {
    const other = await proveTiny(circuit, 2n, 3n);
    const bad = structuredClone(other);
    bad.proof.pi_a = [...other.proof.pi_a];
    bad.proof.pi_c = [...proof.proof.pi_c]; // a valid curve point from another proof
    await expectRevert(attestProof(alice, attestor, bad), 'InvalidProof');
    const offCurve = structuredClone(other);
    offCurve.proof.pi_a[0] = (BigInt(other.proof.pi_a[0]!) + 1n).toString();
    await expectRevert(attestProof(alice, attestor, offCurve), 'InvalidProof');
  });

  test('a changed output or input public signal is rejected', async () => {
    const other = await proveTiny(circuit, 2n, 3n); // y = 6 + 6 + 7 = 19
    assert.deepEqual(other.public_signals, ['19', '2', '3', '0']);
    await expectRevert(attestProof(alice, attestor, { ...other, public_signals: ['20', '2', '3', '0'] }), 'InvalidProof');
    await expectRevert(attestProof(alice, attestor, { ...other, public_signals: ['19', '2', '4', '0'] }), 'InvalidProof');
    await expectRevert(attestProof(alice, attestor, { ...other, public_signals: [(19n + R).toString(), '2', '3', '0'] }), 'InvalidProof');
    const r = await attestProof(alice, attestor, other); // the untampered one still passes
    assert.equal(r.id, 1n);
  });

  test('wrong signal count, unknown circuit, and a starved verifier call are refused', async () => {
    await expectRevert(rawAttest(alice, proof, [67n, 5n, 9n]), 'WrongSignalCount');
    await expectRevert(attestProof(alice, attestor, { ...proof, circuit_id: 'ab'.repeat(32) }), 'UnknownCircuit');
    const fresh = await proveTiny(circuit, 7n, 7n);
    // Too little gas for the verifier: refused with InsufficientGas, never recorded as valid or invalid.
    await expectRevert(rawAttest(alice, fresh, fresh.public_signals.map(BigInt), 200_000n), 'InsufficientGas');
  });

  test('the gas estimate covers the verifier (a starved call reverts, so estimation cannot settle on it)', async () => {
    const r = await attestProof(alice, attestor, await proveTiny(circuit, 8n, 8n)); // no explicit gas
    assert.ok(r.gasUsed > 200_000n);
  });

  test('disableCircuit stops new attestations and keeps records; only the owner, only once', async () => {
    const id = circuitIdBytes(circuit.circuitId);
    await expectRevert(sendTx(alice, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] }), 'OwnableUnauthorizedAccount');
    await expectRevert(sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [`0x${'ef'.repeat(32)}`] }), 'UnknownCircuit');
    await sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] });
    await expectRevert(sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] }), 'CircuitNotActive');
    await expectRevert(attestProof(alice, attestor, await proveTiny(circuit, 1n, 1n)), 'CircuitNotActive');
    assert.deepEqual((await readAttestation(owner, attestor, 0n)).outputs, [67n]);
    await assert.rejects(readAttestation(owner, attestor, 99n), InvalidInputError);
  });
});

describe('InferenceAttestor: recipient binding (front-running)', () => {
  before(async () => {
    attestor = await deploy(owner, 'InferenceAttestor', [owner.account.address]); // the first one's circuit is disabled
    await registerCircuit(owner, attestor, { circuitId: circuit.circuitId, verifier, nPublic: 4, nOutputs: 1, vk: circuit.vk });
  });

  test('a copied proof made for alice still credits alice; the copier cannot change the recipient', async () => {
    const forAlice = await proveTiny(circuit, 11n, 12n, BigInt(alice.account.address));
    assert.equal(recipientOf(forAlice.public_signals), alice.account.address);
    // bob copies the pending calldata with the recipient swapped for himself: the proof does not verify
    const signals = forAlice.public_signals.map(BigInt);
    signals[3] = BigInt(chain.users[1]!.account.address);
    await expectRevert(rawAttest(chain.users[1]!, forAlice, signals), 'InvalidProof');
    // bob front-runs with the exact calldata: the record credits alice
    const r = await attestProof(chain.users[1]!, attestor, forAlice);
    const a = await readAttestation(owner, attestor, r.id);
    assert.equal(a.prover, alice.account.address);
    assert.equal(a.recipientBound, true);
    assert.equal(a.inputHash, inputHashOf(forAlice.public_signals, 1));
    await expectRevert(attestProof(alice, attestor, forAlice), 'AlreadyAttested'); // alice's own tx: already hers
  });

  test('a recipient that is not an address is refused', async () => {
    const p = await proveTiny(circuit, 1n, 2n, 1n << 160n);
    await expectRevert(attestProof(alice, attestor, p), 'InvalidRecipient');
  });
});

describe('proof files', () => {
  test('parseAttestProof accepts a snarkjs proof and rejects malformed input with a clear error', () => {
    assert.equal(parseAttestProof(JSON.parse(JSON.stringify(proof))).circuit_id, circuit.circuitId);
    assert.throws(() => parseAttestProof({ circuit_id: 'xyz', proof: {}, public_signals: [] }), InvalidInputError);
    assert.throws(() => parseAttestProof({ ...proof, public_signals: ['-1'] }), /public_signals/);
  });
});

describe('InferenceAttestor: ownership and error hints', () => {
  test('a revert names its custom error and says what to do', async () => {
    await assert.rejects(attestProof(alice, attestor, { ...proof, circuit_id: '12'.repeat(32) }), (e: unknown) => {
      assert.ok(e instanceof EthTransactionError);
      assert.equal(e.errorName, 'UnknownCircuit');
      assert.match(e.describe(), /eth register-circuit/);
      return true;
    });
  });

  test('ownership moves in two steps; only the new owner administers circuits', async () => {
    await sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'transferOwnership', args: [alice.account.address] });
    await sendTx(alice, { address: attestor, abi: inferenceAttestorAbi, functionName: 'acceptOwnership', args: [] });
    assert.equal(await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'owner' }), alice.account.address);
    const id = circuitIdBytes(circuit.circuitId);
    await expectRevert(sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] }), 'OwnableUnauthorizedAccount');
    await sendTx(alice, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] });
  });
});
