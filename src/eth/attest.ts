import { encodePacked, getAddress, keccak256, parseEventLogs, type Address, type Hex } from 'viem';
import { inferenceAttestorAbi } from './abi-index.js';
import type { EthClients } from './clients.js';
import { sendTx } from './tx.js';
import { InvalidInputError } from '../errors/base.js';
import * as z from '../zod-mini.js';
import { ProofFileSchema } from '../zkml/format/proof-file.js';
import { vkRegistration } from '../zkml/format/solidity.js';

/**
 * The part of PROOF.json (docs/zkml-prove.md, src/zkml/format/proof-file.ts) the attestor needs: circuit id,
 * snarkjs proof, public signals. Extra fields (outputs, security, prover) are ignored.
 */
export const AttestProofSchema = z.extend(z.pick(ProofFileSchema, { circuit_id: true, proof: true, public_signals: true }), {
  public_signals: ProofFileSchema.shape.public_signals.check(z.minLength(1)),
});
export type AttestProof = z.infer<typeof AttestProofSchema>;

/** Validate an untrusted proof file. */
export function parseAttestProof(raw: unknown, source = 'proof'): AttestProof {
  const r = AttestProofSchema.safeParse(raw);
  if (!r.success) {
    throw new InvalidInputError(`${source} is not a Groth16 proof file: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      hint: 'expected PROOF.json from `zkinfer prove`: {circuit_id, proof: {pi_a, pi_b, pi_c, protocol, curve}, public_signals}',
    });
  }
  return r.data;
}

export interface SolidityProof {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
}

/** snarkjs proof JSON → the verifier's calldata order (G2 coordinates swapped, as snarkjs's exportSolidityCallData). */
export function toSolidityProof(p: AttestProof['proof']): SolidityProof {
  const B = (i: number, j: number) => BigInt(p.pi_b[i]![j]!);
  return {
    a: [BigInt(p.pi_a[0]!), BigInt(p.pi_a[1]!)],
    b: [
      [B(0, 1), B(0, 0)],
      [B(1, 1), B(1, 0)],
    ],
    c: [BigInt(p.pi_c[0]!), BigInt(p.pi_c[1]!)],
  };
}

/** bytes32 form of a hex circuit id. */
export function circuitIdBytes(id: string): Hex {
  return (id.startsWith('0x') ? id.toLowerCase() : `0x${id.toLowerCase()}`) as Hex;
}

/** The attestor's input hash: keccak256 of the packed input signals (after the outputs, before the recipient). */
export function inputHashOf(publicSignals: readonly (string | bigint)[], nOutputs: number): Hex {
  return keccak256(encodePacked(['uint256[]'], [publicSignals.slice(nOutputs, -1).map((s) => BigInt(s))]));
}

/** The `recipient` a proof is bound to (its last public signal) as an address, or null for 0 (unbound). */
export function recipientOf(publicSignals: readonly (string | bigint)[]): Address | null {
  const r = BigInt(publicSignals.at(-1) ?? 0);
  return r === 0n ? null : getAddress(`0x${r.toString(16).padStart(40, '0')}`);
}

export interface RegisterCircuitParameters {
  circuitId: string;
  nPublic: number;
  nOutputs: number;
  /** The verification key (vk.json): the attestor recomputes the circuit id from it and verifies proofs with it (docs/eth.md "InferenceAttestor"). */
  vk: Record<string, unknown>;
}

type Words12 = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

/**
 * Owner only: register a circuit id with its verification key on the attestor, which checks the id is the key's
 * sha256 and verifies every later proof itself with that key (docs/eth.md "InferenceAttestor"). A disabled id may be
 * registered again (e.g. with a corrected nOutputs).
 */
export async function registerCircuit(clients: EthClients, attestor: Address, p: RegisterCircuitParameters): Promise<Hex> {
  const { vkWords, alphabeta } = vkRegistration(p.vk);
  return (
    await sendTx(clients, {
      address: attestor,
      abi: inferenceAttestorAbi,
      functionName: 'registerCircuit',
      args: [circuitIdBytes(p.circuitId), p.nPublic, p.nOutputs, vkWords, alphabeta as unknown as Words12],
    })
  ).hash;
}

export interface AttestProofReturnType {
  id: bigint;
  hash: Hex;
  gasUsed: bigint;
  inputHash: Hex;
}

/**
 * Verify `proof` on chain and record it for the proof's recipient (msg.sender when it is 0). Gas is estimated: the
 * attestor reverts (InsufficientGas) unless the precompiles can be paid in full, so the estimate cannot settle on a
 * starved call.
 */
export async function attestProof(clients: EthClients, attestor: Address, proof: AttestProof, opts: { gas?: bigint } = {}): Promise<AttestProofReturnType> {
  const { a, b, c } = toSolidityProof(proof.proof);
  const signals = proof.public_signals.map((s) => BigInt(s));
  const circuitId = circuitIdBytes(proof.circuit_id);
  const { hash, receipt } = await sendTx(clients, {
    address: attestor,
    abi: inferenceAttestorAbi,
    functionName: 'attest',
    args: [circuitId, a, b, c, signals],
    ...(opts.gas !== undefined ? { gas: opts.gas } : {}),
  });
  const ev = parseEventLogs({ abi: inferenceAttestorAbi, logs: receipt.logs, eventName: 'InferenceAttested' }).find(
    (l) => l.address.toLowerCase() === attestor.toLowerCase(),
  );
  if (!ev) throw new Error(`no InferenceAttested event in tx ${hash}`);
  return { id: ev.args.id, hash, gasUsed: receipt.gasUsed, inputHash: ev.args.inputHash };
}

export interface AttestationRecord {
  id: bigint;
  circuitId: Hex;
  inputHash: Hex;
  statement: Hex;
  /** The beneficiary: the proof's recipient, or the sender when the proof was made with recipient 0. */
  prover: Address;
  recipientBound: boolean;
  blockNumber: bigint;
  outputs: readonly bigint[];
}

/**
 * One recorded attestation: its `InferenceAttested` event (found by the indexed id: circuit id, input hash, outputs,
 * statement) joined with the one-slot on-chain record of that statement (beneficiary, block).
 */
export async function readAttestation(clients: Pick<EthClients, 'publicClient'>, attestor: Address, id: bigint): Promise<AttestationRecord> {
  const [ev] = await clients.publicClient.getContractEvents({ address: attestor, abi: inferenceAttestorAbi, eventName: 'InferenceAttested', args: { id }, fromBlock: 0n });
  if (!ev) throw new InvalidInputError(`attestation #${id} does not exist on attestor ${attestor}`, { hint: 'list ids with `eth attestation --input-hash H`, or check --deployment' });
  const { circuitId, inputHash, outputs, statement } = ev.args as { circuitId: Hex; inputHash: Hex; outputs: readonly bigint[]; statement: Hex };
  const rec = await clients.publicClient.readContract({ address: attestor, abi: inferenceAttestorAbi, functionName: 'getAttestation', args: [statement] });
  return { id, circuitId, inputHash, outputs, statement, prover: rec.prover, recipientBound: rec.recipientBound, blockNumber: BigInt(rec.blockNumber) };
}

/** Ids of the attestations whose inputs hash to `inputHash`, oldest first (from the attestor's event log). */
export async function attestationsByInput(clients: Pick<EthClients, 'publicClient'>, attestor: Address, inputHash: Hex): Promise<readonly bigint[]> {
  const logs = await clients.publicClient.getContractEvents({ address: attestor, abi: inferenceAttestorAbi, eventName: 'InferenceAttested', args: { inputHash }, fromBlock: 0n });
  return logs.map((l) => (l.args as { id: bigint }).id);
}
