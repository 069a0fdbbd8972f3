import { fromField } from '../fixed-point.js';
import type { FixedProgram } from '../quantize/program.js';
import { EMITTERS, emitProgram } from '../r1cs/emit.js';
import { wtnsBytes } from '../r1cs/write.js';
import { WitnessInputError } from './errors.js';

/**
 * The full witness of the direct backend's circuit (docs/zkml-compile.md, "Direct backend"): the exact emulator's
 * signal values, laid out by the same walk that wrote the .r1cs. `inputs` are the `in` field elements, `recipient`
 * the public `recipient` input (docs/eth.md "Recipient binding").
 */
export function directWitness(p: FixedProgram, inputs: readonly (string | bigint)[], recipient: string | bigint = 0n): bigint[] {
  const bad = p.gadgets.find((g) => !(g.kind in EMITTERS));
  if (bad) throw new WitnessInputError('WITNESS_FAILED', `the witness program has a gadget kind "${bad.kind}" this zkinfer does not know`, { hint: 'upgrade zkinfer to the version that compiled the circuit' });
  return emitProgram(p, { inputs: inputIntegers(inputs, p.nIn), recipient: BigInt(recipient) }).witness!;
}

/** The `in` field elements as the signed integers the emulator takes; a wrong count or a non-field value is a typed error. */
export function inputIntegers(inputs: readonly (string | bigint)[], nIn: number): bigint[] {
  if (inputs.length !== nIn) {
    throw new WitnessInputError('WITNESS_FAILED', `the circuit takes ${nIn} input values, got ${inputs.length}`, { hint: 'give every model input, flattened, in metadata.inputs order' });
  }
  try { return inputs.map((x) => fromField(x)); } catch (cause) {
    throw new WitnessInputError('WITNESS_FAILED', 'an input is not a BN254 field element', { hint: 'pass decimal field elements as quantizeInputs writes them', cause });
  }
}

/** The witness as .wtns bytes. */
export function directWtns(p: FixedProgram, inputs: readonly (string | bigint)[], recipient: string | bigint = 0n): Uint8Array {
  return wtnsBytes(directWitness(p, inputs, recipient));
}
