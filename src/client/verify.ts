import { decodeReal, encodeReal } from '../zkml/fixed-point.js';
import { canonicalJson } from '../zkml/artifacts/canonical-json.js';
import type { CircuitView, InferenceView } from '../api/wire.js';

/** Circuit id of a verification key: sha256 (hex) of its canonical JSON, with WebCrypto (Node ≥ 20 and browsers). */
export async function circuitIdOfVk(vk: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(vk)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface LocalVerification {
  /** Every check passed. */
  valid: boolean;
  checks: {
    /** sha256(canonical vk) equals the inference's circuit id. */
    vkMatchesCircuit: boolean;
    /** snarkjs groth16.verify(vk, public_signals, proof). */
    proof: boolean;
    /** The input positions of public_signals encode the caller's own tensors (undefined: no tensors given). */
    inputsBound: boolean | undefined;
    /** The output reported equals the output decoded from the verified public signals. */
    outputMatches: boolean;
  };
  /** Outputs decoded from the verified public signals, by tensor name. */
  outputs: Record<string, number[]>;
  /** Why it is invalid, one line per failed check. */
  problems: string[];
}

/**
 * Verify an inference locally (Node or browser): the vk is the circuit's (by hash), the Groth16 proof
 * verifies, the public inputs are the caller's own `tensors` (by tensor name, flattened, real numbers),
 * and the reported output is what the proof says.
 */
export async function verifyInference(
  inference: InferenceView,
  circuit: Pick<CircuitView, 'id' | 'inputs' | 'outputs' | 'public_layout'>,
  vk: unknown,
  opts: { tensors?: Record<string, number[]>; snarkjs?: { groth16: { verify(vk: unknown, pub: unknown[], proof: unknown): Promise<boolean> } } } = {},
): Promise<LocalVerification> {
  const problems: string[] = [];
  if (!inference.proof || !inference.public_signals) {
    return { valid: false, checks: { vkMatchesCircuit: false, proof: false, inputsBound: undefined, outputMatches: false }, outputs: {}, problems: [`inference is ${inference.status}; it has no proof`] };
  }
  const signals = inference.public_signals;
  const vkMatchesCircuit = circuit.id === inference.circuit_id && (await circuitIdOfVk(vk)) === circuit.id;
  if (!vkMatchesCircuit) problems.push('verification key does not hash to the inference circuit id');

  const snarkjs = opts.snarkjs ?? (await import('snarkjs'));
  let proof = false;
  try {
    proof = signals.length === circuit.public_layout.total && (await snarkjs.groth16.verify(vk, signals, inference.proof));
  } catch {
    proof = false;
  }
  if (!proof) problems.push('Groth16 proof does not verify');

  let inputsBound: boolean | undefined;
  if (opts.tensors) {
    inputsBound = true;
    for (const slot of circuit.public_layout.inputs) {
      const spec = circuit.inputs.find((t) => t.name === slot.name);
      const mine = opts.tensors[slot.name];
      if (!spec || !mine || mine.length !== slot.length) {
        inputsBound = false;
        problems.push(`public input ${slot.name}: no tensor of length ${slot.length} to compare`);
        continue;
      }
      for (let i = 0; i < slot.length; i++) {
        if (signals[slot.offset + i] !== encodeReal(mine[i]!, spec.scale_bits)) {
          inputsBound = false;
          problems.push(`public input ${slot.name}[${i}] is not the value sent`);
          break;
        }
      }
    }
  }

  const outputs: Record<string, number[]> = {};
  for (const slot of circuit.public_layout.outputs) {
    const spec = circuit.outputs.find((t) => t.name === slot.name);
    const scale = spec?.scale_bits ?? 0;
    outputs[slot.name] = signals.slice(slot.offset, slot.offset + slot.length).map((s) => decodeReal(s, scale));
  }
  const reported = inference.output ?? {};
  const outputMatches =
    Object.keys(outputs).length === Object.keys(reported).length &&
    Object.entries(outputs).every(([k, v]) => reported[k]?.length === v.length && v.every((x, i) => Math.abs(x - reported[k]![i]!) <= 1e-9 * Math.max(1, Math.abs(x))));
  if (!outputMatches) problems.push('reported output differs from the output in the proof');

  const valid = vkMatchesCircuit && proof && inputsBound !== false && outputMatches;
  return { valid, checks: { vkMatchesCircuit, proof, inputsBound, outputMatches }, outputs, problems };
}
