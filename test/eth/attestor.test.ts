import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePacked, parseEventLogs, type Address } from 'viem';
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
import { vkRegistration } from '../../src/zkml/format/solidity.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { EthTransactionError } from '../../src/eth/errors.js';
import { deploy, expectRevert, startTestChain, type TestChain } from './helpers/chain.js';
import { proveTiny, releaseSnarkjs, tinyCircuit, type TinyCircuit } from './helpers/tiny-circuit.js';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

let chain: TestChain;
let owner: EthClients;
let alice: EthClients;
let circuit: TinyCircuit;
let attestor: Address;
let proof: AttestProof; // x = (5, 9) → y = 67, recipient 0

before(async () => {
  circuit = await tinyCircuit();
  chain = await startTestChain(2);
  owner = chain.owner;
  alice = chain.users[0]!;
  attestor = await deploy(owner, 'InferenceAttestor', [owner.account.address]);
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

const reg = (c: EthClients, at: Address, o: Partial<{ circuitId: string; nPublic: number; nOutputs: number; vk: Record<string, unknown> }> = {}) =>
  registerCircuit(c, at, { circuitId: circuit.circuitId, nPublic: 4, nOutputs: 1, vk: circuit.vk, ...o });

describe('InferenceAttestor: circuit registry', () => {
  test('registerCircuit refuses non-owners, a zero id and impossible layouts', async () => {
    await expectRevert(reg(alice, attestor), 'OwnableUnauthorizedAccount');
    await expectRevert(reg(owner, attestor, { circuitId: '00'.repeat(32) }), 'ZeroCircuitId');
    await expectRevert(reg(owner, attestor, { nPublic: 0, nOutputs: 0 }), 'InvalidSignalLayout');
    await expectRevert(reg(owner, attestor, { nOutputs: 4 }), 'InvalidSignalLayout'); // no recipient slot
    await expectRevert(reg(owner, attestor, { nPublic: 5 }), 'InvalidSignalLayout'); // the key has 4 public signals
  });

  test('registerCircuit stores the key in a data contract once and emits CircuitRegistered', async () => {
    const hash = await reg(owner, attestor);
    const receipt = await owner.publicClient.getTransactionReceipt({ hash });
    const [ev] = parseEventLogs({ abi: inferenceAttestorAbi, logs: receipt.logs, eventName: 'CircuitRegistered' });
    assert.equal(ev!.args.circuitId, circuitIdBytes(circuit.circuitId));
    const c = await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [circuitIdBytes(circuit.circuitId)] });
    assert.deepEqual([c.vkData, c.nPublic, c.nOutputs, c.active], [ev!.args.vkData, 4, 1, true]);
    // SSTORE2: runtime code 0x00 ‖ the key's words, read back by the attestor
    const { vkWords } = vkRegistration(circuit.vk);
    assert.equal(await owner.publicClient.getCode({ address: c.vkData }), encodePacked(['bytes1', 'uint256[]'], ['0x00', vkWords]));
    assert.deepEqual(await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'verificationKey', args: [circuitIdBytes(circuit.circuitId)] }), vkWords);
    await expectRevert(reg(owner, attestor), 'CircuitAlreadyRegistered');
  });

  test('the circuit id must be the sha256 of the key, recomputed on chain (revert otherwise)', async () => {
    const fresh = await deploy(owner, 'InferenceAttestor', [owner.account.address]);
    // the right key under another id: the attestor's own sha256 of the canonical vk disagrees
    await expectRevert(reg(owner, fresh, { circuitId: 'cd'.repeat(32) }), 'CircuitIdMismatch');
    // another key under this id
    const alpha = circuit.vk.vk_alpha_1 as string[];
    const otherVk = { ...circuit.vk, vk_alpha_1: [(BigInt(alpha[0]!) + 1n).toString(), alpha[1], '1'] };
    await expectRevert(reg(owner, fresh, { vk: otherVk }), 'CircuitIdMismatch');
    // a wrong alphabeta changes the JSON, so the id no longer matches
    const ab = structuredClone(circuit.vk.vk_alphabeta_12) as string[][][];
    ab[0]![0]![0] = '1';
    await expectRevert(reg(owner, fresh, { vk: { ...circuit.vk, vk_alphabeta_12: ab } }), 'CircuitIdMismatch');
    // and the genuine pair registers
    await reg(owner, fresh);
  });

  test('F4: no contract of the registrant is trusted — a "verifier" that accepts everything cannot be registered, and zero or junk proofs are refused', async () => {
    // registerCircuit takes no verifier address: the attestor verifies with the key whose sha256 is the id. The
    // F4 attack (a contract claiming the real key's hash whose verifyProof returns true) has nothing to plug into;
    // what it achieved — an all-zero proof attested for made-up signals — is refused here.
    const fresh = await deploy(owner, 'InferenceAttestor', [owner.account.address]);
    await reg(owner, fresh);
    const z2 = [0n, 0n] as const;
    const signals = [123456789n, 1n, 2n, BigInt(alice.account.address)];
    await expectRevert(sendTx(alice, { address: fresh, abi: inferenceAttestorAbi, functionName: 'attest', args: [circuitIdBytes(circuit.circuitId), z2, [z2, z2], z2, signals], gas: 2_000_000n }), 'InvalidProof');
    const { a, b, c } = toSolidityProof(proof.proof); // a real proof, for other signals
    await expectRevert(sendTx(alice, { address: fresh, abi: inferenceAttestorAbi, functionName: 'attest', args: [circuitIdBytes(circuit.circuitId), a, b, c, signals], gas: 2_000_000n }), 'InvalidProof');
    const [found] = await owner.publicClient.readContract({ address: fresh, abi: inferenceAttestorAbi, functionName: 'findStatement', args: [circuitIdBytes(circuit.circuitId), signals] });
    assert.equal(found, false);
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

  test('wrong signal count, unknown circuit, and a starved proof check are refused', async () => {
    await expectRevert(rawAttest(alice, proof, [67n, 5n, 9n]), 'WrongSignalCount');
    await expectRevert(rawAttest(alice, proof, [...proof.public_signals.map(BigInt), 0n]), 'WrongSignalCount');
    await expectRevert(attestProof(alice, attestor, { ...proof, circuit_id: 'ab'.repeat(32) }), 'UnknownCircuit');
    const fresh = await proveTiny(circuit, 7n, 7n);
    // Too little gas to pay the precompiles in full: refused with InsufficientGas, never recorded as valid or invalid.
    await expectRevert(rawAttest(alice, fresh, fresh.public_signals.map(BigInt), 200_000n), 'InsufficientGas');
  });

  test('a proof coordinate ≥ q or a signal ≥ r is refused, even where it is the same point or number mod q / r', async () => {
    const fresh = await proveTiny(circuit, 6n, 5n);
    const { a, b, c } = toSolidityProof(fresh.proof);
    const signals = fresh.public_signals.map(BigInt);
    const send = (aa: readonly [bigint, bigint], bb: typeof b, cc: readonly [bigint, bigint], ss = signals) =>
      sendTx(alice, { address: attestor, abi: inferenceAttestorAbi, functionName: 'attest', args: [circuitIdBytes(circuit.circuitId), aa, bb, cc, ss], gas: 2_000_000n });
    await expectRevert(send([a[0], a[1] + Q], b, c), 'InvalidProof');
    await expectRevert(send([a[0] + Q, a[1]], b, c), 'InvalidProof');
    await expectRevert(send(a, [[b[0][0] + Q, b[0][1]], b[1]], c), 'InvalidProof');
    await expectRevert(send(a, [b[0], [b[1][0], b[1][1] + Q]], c), 'InvalidProof');
    await expectRevert(send(a, b, [c[0], c[1] + Q]), 'InvalidProof');
    await expectRevert(send(a, b, c, [signals[0]! + R, ...signals.slice(1)]), 'InvalidProof');
    await expectRevert(send(a, b, c, [...signals.slice(0, 2), signals[2]! + R, signals[3]!]), 'InvalidProof');
    const r = await attestProof(alice, attestor, fresh); // the canonical one passes
    assert.ok(r.id > 0n);
  });

  test('the gas estimate covers the proof check (a starved call reverts, so estimation cannot settle on it)', async () => {
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

  test('the owner may register a disabled id again (new layout); old records stay and the id accepts proofs again', async () => {
    const id = circuitIdBytes(circuit.circuitId);
    const before = await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [id] });
    await expectRevert(reg(alice, attestor, { nOutputs: 2 }), 'OwnableUnauthorizedAccount');
    await expectRevert(reg(owner, attestor, { circuitId: 'cd'.repeat(32), nOutputs: 2 }), 'CircuitIdMismatch');
    await reg(owner, attestor, { nOutputs: 2 }); // a (deliberately different) layout: outputs y and x0
    const c = await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuit', args: [id] });
    assert.deepEqual([c.vkData, c.nPublic, c.nOutputs, c.active], [before.vkData, 4, 2, true], 'the key is stored once');
    assert.deepEqual(await owner.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'circuitIds' }), [id]);
    assert.deepEqual((await readAttestation(owner, attestor, 0n)).outputs, [67n]);
    const r = await attestProof(alice, attestor, await proveTiny(circuit, 1n, 1n)); // y = 11
    assert.deepEqual((await readAttestation(owner, attestor, r.id)).outputs, [11n, 1n]);
    await expectRevert(reg(owner, attestor), 'CircuitAlreadyRegistered'); // active again: no silent overwrite
    await sendTx(owner, { address: attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [id] });
  });
});

describe('InferenceAttestor: recipient binding (front-running)', () => {
  before(async () => {
    attestor = await deploy(owner, 'InferenceAttestor', [owner.account.address]); // the first one's circuit is disabled
    await reg(owner, attestor);
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
