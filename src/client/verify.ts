import type { CircuitView, InferenceView } from '../api/wire.js';
import { circuitIdOfVkAsync } from '../zkml/format/circuit-id.js';
import { bindInputs, checkCanonicalSignals, checkLayout, decodeOutputs, encodeInputFields, inputDataFromNamed, outputsByName, outputsEqual, proofNotCanonical, type CircuitFormat } from '../zkml/format/layout.js';

/** Circuit id of a verification key: sha256 (hex) of its canonical JSON, with WebCrypto (Node ≥ 20 and browsers). */
export const circuitIdOfVk = circuitIdOfVkAsync;

export interface LocalVerification {
  /** Every check that could be made passed (see `unchecked` for those that could not). */
  valid: boolean;
  checks: {
    /** sha256(canonical vk) equals the inference's circuit id. */
    vkMatchesCircuit: boolean;
    /** The circuit id is the one the caller pinned (undefined: nothing pinned, the server chose the circuit). */
    circuitPinned: boolean | undefined;
    /** snarkjs groth16.verify(vk, public signals, proof) — with the caller's own inputs in the input positions when given. */
    proof: boolean;
    /** The proof is for the caller's OWN input (undefined: no input of the caller's was given, not checked). */
    inputsBound: boolean | undefined;
    /** The output reported equals the output decoded from the verified public signals. */
    outputMatches: boolean;
  };
  /** Outputs decoded from the verified public signals, by tensor name. */
  outputs: Record<string, number[]>;
  /** Why it is invalid, one line per failed check. */
  problems: string[];
  /** Checks that could not be made, in plain words (docs/security.md: what a client must trust). */
  unchecked: string[];
}

/** The circuit format of an API circuit description. */
export function formatOfCircuitView(c: Pick<CircuitView, 'name' | 'inputs' | 'outputs' | 'public_layout'>): CircuitFormat {
  const t = (x: CircuitView['inputs'][number]) => ({ name: x.name, shape: x.shape, scaleBits: x.scale_bits, ...(x.range_bits === undefined ? {} : { rangeBits: x.range_bits }) });
  return { name: c.name, inputs: c.inputs.map(t), outputs: c.outputs.map(t), publicLayout: c.public_layout };
}

export interface VerifyInferenceOptions {
  /** YOUR input tensors (by tensor name, flattened, real numbers) — never the input the server echoes back. */
  tensors?: Record<string, number[]>;
  /** The circuit id you trust (from `zkinfer compile`, a local circuit dir, or a vk you verified before). */
  pinnedCircuitId?: string;
  snarkjs?: { groth16: { verify(vk: unknown, pub: unknown[], proof: unknown): Promise<boolean> } };
}

/**
 * Verify an inference locally (Node or browser): the vk hashes to the circuit id (and that id is the one you
 * pinned), the Groth16 proof verifies with YOUR input tensors substituted into the input positions (so a proof
 * for another input fails), and the reported output is what the proof says.
 */
export async function verifyInference(
  inference: InferenceView,
  circuit: Pick<CircuitView, 'id' | 'name' | 'inputs' | 'outputs' | 'public_layout'>,
  vk: unknown,
  opts: VerifyInferenceOptions = {},
): Promise<LocalVerification> {
  const problems: string[] = [];
  const unchecked: string[] = [];
  const circuitPinned = opts.pinnedCircuitId === undefined ? undefined : opts.pinnedCircuitId === inference.circuit_id;
  if (circuitPinned === false) problems.push(`the inference is for circuit ${inference.circuit_id}, not the circuit you pinned (${opts.pinnedCircuitId})`);
  if (circuitPinned === undefined) unchecked.push('circuit not pinned: the circuit and its vk came from the server (pass a circuit id, a local circuit dir or a trusted vk)');
  if (!inference.proof || !inference.public_signals) {
    return { valid: false, checks: { vkMatchesCircuit: false, circuitPinned, proof: false, inputsBound: undefined, outputMatches: false }, outputs: {}, problems: [...problems, `inference is ${inference.status}; it has no proof`], unchecked };
  }
  let vkMatchesCircuit = false;
  try {
    // a hostile vk (nested thousands deep, non-finite numbers) is a problem to report, not a crash (docs/security.md)
    vkMatchesCircuit = circuit.id === inference.circuit_id && (await circuitIdOfVkAsync(vk)) === circuit.id;
    if (!vkMatchesCircuit) problems.push('verification key does not hash to the inference circuit id');
  } catch (e) {
    problems.push(`cannot hash the verification key: ${(e as Error).message}`);
  }

  const format = formatOfCircuitView(circuit);
  let signals = [...inference.public_signals];
  let inputsBound: boolean | undefined;
  let differs = false;
  let proof = false;
  try {
    checkLayout(format, Number((vk as { nPublic?: unknown }).nPublic));
    checkCanonicalSignals(signals);
    const notCanonical = proofNotCanonical(inference.proof);
    if (notCanonical) throw new Error(notCanonical);
    if (opts.tensors) {
      const bound = bindInputs(format, signals, encodeInputFields(format, inputDataFromNamed(format, opts.tensors)));
      signals = bound.signals;
      differs = bound.differs;
    }
    const snarkjs = opts.snarkjs ?? (await import('snarkjs'));
    proof = await snarkjs.groth16.verify(vk, signals, inference.proof);
  } catch (e) {
    problems.push(`cannot check the proof: ${(e as Error).message}`);
  }
  if (opts.tensors) {
    inputsBound = proof;
    if (!proof && differs) problems.push('the proof is not for your input (the server answered a different input)');
  } else {
    unchecked.push('inputs not bound: no input of yours was given, so the proof may be for another input');
  }
  if (!proof && !(opts.tensors && differs)) problems.push('Groth16 proof does not verify');

  let outputs: Record<string, number[]> = {};
  let outputMatches = false;
  try {
    const decoded = decodeOutputs(format, signals);
    outputs = outputsByName(format, decoded);
    const reported = inference.output ?? {};
    outputMatches = Object.keys(reported).length === decoded.length && outputsEqual(decoded, format.outputs.map((t) => reported[t.name] ?? []));
  } catch (e) {
    problems.push(`cannot decode outputs: ${(e as Error).message}`);
  }
  if (!outputMatches) problems.push('reported output differs from the output in the proof');

  const valid = vkMatchesCircuit && circuitPinned !== false && proof && inputsBound !== false && outputMatches;
  return { valid, checks: { vkMatchesCircuit, circuitPinned, proof, inputsBound, outputMatches }, outputs, problems, unchecked };
}
