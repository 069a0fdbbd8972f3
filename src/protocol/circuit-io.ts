import type { CircuitMetadata } from '../zkml/artifacts/metadata.js';
import { BN254_R, decodeReal, toFixed, toField } from '../zkml/fixed-point.js';
import { InvalidInputError } from '../errors/base.js';

/**
 * Between real-valued request inputs (tensor name → flattened numbers) and a circuit's field elements:
 * what a miner feeds the witness generator and what a validator binds into the public signals.
 */

/** Real inputs by circuit input tensor name, flattened row-major. */
export type RealInputs = Record<string, number[]>;

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Encode real inputs at each tensor's scale; checks names, lengths and the in-circuit range
 * |round(v·2^s)| < 2^rangeBits. Returns witness-generator input (signal name → field element strings).
 */
export function encodeInputs(meta: CircuitMetadata, inputs: RealInputs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const expected = meta.inputs.map((t) => t.name);
  for (const name of Object.keys(inputs)) {
    if (!expected.includes(name)) throw new InvalidInputError(`unknown input "${name}" for circuit ${meta.name}`, { hint: `inputs are: ${expected.join(', ')}` });
  }
  for (const t of meta.inputs) {
    const v = inputs[t.name];
    if (!v) throw new InvalidInputError(`missing input "${t.name}" for circuit ${meta.name}`, { hint: `send ${size(t.shape)} numbers (shape [${t.shape.join(', ')}])` });
    if (v.length !== size(t.shape)) {
      throw new InvalidInputError(`input "${t.name}" has ${v.length} values, circuit ${meta.name} needs ${size(t.shape)}`, { hint: `shape [${t.shape.join(', ')}], flattened row-major` });
    }
    const limit = 1n << BigInt(t.rangeBits);
    out[t.signal] = v.map((x, i) => {
      const q = toFixed(x, t.scaleBits);
      if (q >= limit || q <= -limit) {
        throw new InvalidInputError(`input "${t.name}"[${i}] = ${x} is out of the circuit's range`, { hint: `|value| must be below ${Number(limit) / 2 ** t.scaleBits}` });
      }
      return toField(q).toString();
    });
  }
  return out;
}

/** The field elements the validator expects at each public input position, in layout order. */
export function expectedPublicInputs(meta: CircuitMetadata, inputs: RealInputs): Array<{ offset: number; values: string[] }> {
  const enc = encodeInputs(meta, inputs);
  return meta.publicLayout.inputs.map((slot) => {
    const spec = meta.inputs.find((t) => t.name === slot.name);
    if (!spec) throw new InvalidInputError(`circuit ${meta.name} layout names unknown input ${slot.name}`);
    return { offset: slot.offset, values: enc[spec.signal]!.slice(0, slot.length) };
  });
}

/**
 * Substitute the validator's own inputs into a miner's public signals (so a proof for other inputs fails
 * verification). Also checks shape and that every signal is a field element; throws InvalidInputError if not.
 */
export function bindPublicSignals(meta: CircuitMetadata, publicSignals: readonly string[], inputs: RealInputs): { signals: string[]; inputsMatched: boolean } {
  if (publicSignals.length !== meta.publicLayout.total) {
    throw new InvalidInputError(`proof has ${publicSignals.length} public signals, circuit ${meta.name} has ${meta.publicLayout.total}`);
  }
  for (const s of publicSignals) {
    if (!/^\d{1,78}$/.test(s) || BigInt(s) >= BN254_R) throw new InvalidInputError('a public signal is not a BN254 field element');
  }
  const signals = [...publicSignals];
  let inputsMatched = true;
  for (const slot of expectedPublicInputs(meta, inputs)) {
    slot.values.forEach((v, i) => {
      if (signals[slot.offset + i] !== v) inputsMatched = false;
      signals[slot.offset + i] = v;
    });
  }
  return { signals, inputsMatched };
}

/** Decode the output tensors (real numbers) from public signals. */
export function decodeOutputs(meta: CircuitMetadata, publicSignals: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const slot of meta.publicLayout.outputs) {
    const spec = meta.outputs.find((t) => t.name === slot.name);
    out[slot.name] = publicSignals.slice(slot.offset, slot.offset + slot.length).map((s) => decodeReal(s, spec?.scaleBits ?? 0));
  }
  return out;
}

/** Seeded uniform random inputs within a fraction of each input's range (generic benchmark generator). */
export function randomInputs(meta: CircuitMetadata, rand: () => number, fraction = 0.5): RealInputs {
  const out: RealInputs = {};
  for (const t of meta.inputs) {
    const bound = Math.min(2 ** (t.rangeBits - t.scaleBits) * fraction, 8);
    const q = 2 ** t.scaleBits;
    out[t.name] = Array.from({ length: size(t.shape) }, () => Math.round((rand() * 2 - 1) * bound * q) / q);
  }
  return out;
}
