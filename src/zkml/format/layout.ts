/**
 * The public-signal layout of a zkinfer circuit — the one place that knows where each tensor sits in a Groth16
 * proof's public signals (docs/security.md, docs/zkml-prove.md, docs/eth.md "Packed public inputs").
 * Version 2 (what `zkinfer compile` writes): every graph output flattened in graph order, then the input values
 * PACKED into as few words as their range-checked widths allow (format/packing.ts), then `recipient`.
 * Version 1 (no `version`; hand-written circom circuits): outputs, then every input value as its own signal (then,
 * in circuits that have it, `recipient`).
 * Dependency-free apart from the fixed-point codec, so the browser client uses the same code as the validator.
 */
import { BN254_Q, BN254_R, decodeReal, encodeReal } from '../fixed-point.js';
import { FormatError } from './errors.js';
import { inputWidths, packPlan, packValues, signedOfField } from './packing.js';

/** The public-signal layout version `zkinfer compile` writes: 2 = packed inputs (1 = one signal per input value). */
export const PUBLIC_LAYOUT_VERSION = 2;

/** One tensor as the layout needs it (metadata.json's TensorSpec and the API's tensor view both fit). */
export interface TensorFormat { name: string; shape: readonly number[]; scaleBits: number; rangeBits?: number; signal?: string }
export interface LayoutSlot { name: string; offset: number; length: number }
export interface PublicLayoutFormat {
  /** 2: inputs packed (`packed` present); absent or 1: one public signal per input value. */
  version?: number | undefined;
  outputs: readonly LayoutSlot[];
  /** Version 1: offsets in the public signals. Version 2: offsets in the flat input values (graph order). */
  inputs: readonly LayoutSlot[];
  /** Version 2: the input words occupy public signals [offset, offset + words). */
  packed?: { offset: number; words: number } | undefined;
  /** Index of the `recipient` public input (docs/eth.md), in circuits compiled with it: the last signal. */
  recipient?: number | undefined;
  total: number;
}
/** What binding inputs and decoding outputs need of a circuit. */
export interface CircuitFormat { name?: string; inputs: readonly TensorFormat[]; outputs: readonly TensorFormat[]; publicLayout: PublicLayoutFormat }

/** More public signals than any zkinfer circuit has (each is a constraint and a pairing-input term). */
const MAX_PUBLIC = 1 << 20;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

type InputsFormat = Pick<CircuitFormat, 'inputs' | 'publicLayout' | 'name'>;

function slotOf(f: Pick<CircuitFormat, 'publicLayout'>, kind: 'inputs' | 'outputs', name: string): LayoutSlot {
  const s = f.publicLayout[kind].find((x) => x.name === name);
  if (!s) throw new FormatError('LAYOUT_INVALID', `the public layout has no ${kind === 'inputs' ? 'input' : 'output'} "${name}"`, { hint: 're-run `zkinfer compile`: metadata.json is inconsistent' });
  return s;
}

/**
 * Check a layout against its tensors: one slot per tensor with the tensor's size, slots inside `total` and not
 * overlapping, outputs before inputs. Throws FormatError('LAYOUT_INVALID').
 */
export function checkLayout(f: CircuitFormat, nPublic?: number): void {
  const bad = (msg: string): never => { throw new FormatError('LAYOUT_INVALID', msg, { hint: 'metadata.json does not describe this circuit; re-run `zkinfer compile`' }); };
  const L = f.publicLayout;
  const version = L.version ?? 1;
  if (version !== 1 && version !== PUBLIC_LAYOUT_VERSION) {
    throw new FormatError('LAYOUT_INVALID', `public-signal layout version ${String(version)} is not one this zkinfer reads (1 or ${PUBLIC_LAYOUT_VERSION})`, { hint: 'upgrade zkinfer, or re-run `zkinfer compile` with this one' });
  }
  if ((version === PUBLIC_LAYOUT_VERSION) !== (L.packed !== undefined)) bad(`a version ${version} layout ${L.packed ? 'cannot have' : 'needs'} packed inputs`);
  if (nPublic !== undefined && L.total !== nPublic) bad(`the layout has ${L.total} public signals, the verification key ${nPublic}`);
  // found by fuzzing (test/fuzz): a negative or huge total must be refused before anything is sized by it
  if (!Number.isSafeInteger(L.total) || L.total < 1 || L.total > MAX_PUBLIC) bad(`the layout's total ${L.total} is not a public-signal count (1…${MAX_PUBLIC})`);
  if (L.outputs.length !== f.outputs.length || L.inputs.length !== f.inputs.length) bad('the layout does not list every input and output tensor once');
  const used = new Uint8Array(L.total);
  const mark = (name: string, from: number, length: number): void => {
    if (!Number.isInteger(from) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > L.total) bad(`the slot of "${name}" lies outside the ${L.total} public signals`);
    for (let i = from; i < from + length; i++) { if (used[i]) bad(`public signal ${i} belongs to two tensors`); used[i] = 1; }
  };
  const sized = (kind: 'inputs' | 'outputs', t: TensorFormat): LayoutSlot => {
    const s = slotOf(f, kind, t.name);
    if (s.length !== sizeOf(t.shape)) bad(`"${t.name}" has ${sizeOf(t.shape)} values but its layout slot ${s.length}`);
    return s;
  };
  const outEnd = Math.max(0, ...f.outputs.map((t) => { const s = sized('outputs', t); mark(t.name, s.offset, s.length); return s.offset + s.length; }));
  if (L.packed) {
    const nValues = f.inputs.reduce((n, t) => n + sizeOf(t.shape), 0);
    const seen = new Uint8Array(nValues);
    f.inputs.forEach((t, k) => {
      const s = sized('inputs', t);
      if (s.offset !== f.inputs.slice(0, k).reduce((n, u) => n + sizeOf(u.shape), 0)) bad(`packed input "${t.name}" must follow the inputs before it in graph order`);
      for (let i = s.offset; i < s.offset + s.length; i++) seen[i] = 1;
      if (t.rangeBits === undefined) bad(`packed input "${t.name}" has no rangeBits`);
    });
    if (seen.some((x) => x === 0)) bad('the packed inputs do not cover every input value');
    const words = packPlan(inputWidths(f.inputs as ReadonlyArray<{ shape: readonly number[]; rangeBits: number }>)).length;
    if (L.packed.words !== words) bad(`the inputs pack into ${words} words, the layout says ${L.packed.words}`);
    if (L.packed.offset < outEnd) bad('the packed inputs sit before an output; outputs come first');
    mark('packed inputs', L.packed.offset, L.packed.words);
  } else {
    for (const t of f.inputs) {
      const s = sized('inputs', t);
      mark(t.name, s.offset, s.length);
      if (s.offset < outEnd) bad(`input "${t.name}" sits before an output; outputs come first`);
    }
  }
  if (L.recipient !== undefined) {
    if (L.recipient !== L.total - 1) bad(`the recipient must be the last public signal (${L.total - 1}), the layout says ${L.recipient}`);
    if (used[L.recipient]) bad(`public signal ${L.recipient} belongs to a tensor and the recipient`);
  }
}

/**
 * The layout `zkinfer compile` writes (version 2): outputs in graph order, then the input values packed into words
 * (format/packing.ts), then `recipient`.
 */
export function packedPublicLayout(outputs: ReadonlyArray<{ name: string; shape: readonly number[] }>, inputs: ReadonlyArray<{ name: string; shape: readonly number[]; rangeBits: number }>): { version: number; outputs: LayoutSlot[]; inputs: LayoutSlot[]; packed: { offset: number; words: number }; recipient: number; total: number } {
  let o = 0, i = 0;
  const slot = (t: { name: string; shape: readonly number[] }, at: number) => ({ name: t.name, offset: at, length: sizeOf(t.shape) });
  const outs = outputs.map((t) => { const s = slot(t, o); o += s.length; return s; });
  const ins = inputs.map((t) => { const s = slot(t, i); i += s.length; return s; });
  const words = packPlan(inputWidths(inputs)).length;
  return { version: PUBLIC_LAYOUT_VERSION, outputs: outs, inputs: ins, packed: { offset: o, words }, recipient: o + words, total: o + words + 1 };
}

/**
 * The public words of a packed layout for the given input fields (one array per graph input, graph order): the
 * values a proof about these inputs must carry at publicLayout.packed.
 */
export function packedInputWords(f: InputsFormat, fields: readonly (readonly string[])[]): string[] {
  const values: bigint[] = [];
  forEachInputValue(f, fields, (pos, v) => { values[pos] = signedOfField(v); });
  const widths = inputWidths(f.inputs.map((t) => {
    if (t.rangeBits === undefined) throw new FormatError('LAYOUT_INVALID', `packed input "${t.name}" has no rangeBits`, { hint: 're-run `zkinfer compile`: metadata.json is inconsistent' });
    return { shape: t.shape, rangeBits: t.rangeBits };
  }));
  return packValues(packPlan(widths), values).map(String);
}

/** Each input field with its slot position (public signal, or value index in a packed layout). */
function forEachInputValue(f: InputsFormat, fields: readonly (readonly string[])[], fn: (pos: number, v: string) => void): void {
  f.inputs.forEach((t, k) => {
    const at = slotOf(f, 'inputs', t.name);
    const mine = fields[k]!;
    if (mine.length !== at.length) throw new FormatError('INPUT_SHAPE', `input "${t.name}" has ${mine.length} values, its slot ${at.length}`);
    mine.forEach((v, i) => fn(at.offset + i, v));
  });
}

/** Inputs as EZKL `input_data` (one flat array per graph input, graph order) from tensors keyed by name. */
export function inputDataFromNamed(f: Pick<CircuitFormat, 'inputs' | 'name'>, named: Record<string, readonly number[]>): number[][] {
  const names = f.inputs.map((t) => t.name);
  for (const k of Object.keys(named)) {
    if (!names.includes(k)) throw new FormatError('INPUT_SHAPE', `unknown input "${k}" for circuit ${f.name ?? ''}`.trim(), { hint: `inputs are: ${names.join(', ')}` });
  }
  return f.inputs.map((t) => {
    const v = named[t.name];
    if (!v) throw new FormatError('INPUT_SHAPE', `missing input "${t.name}" for circuit ${f.name ?? ''}`.trim(), { hint: `send ${sizeOf(t.shape)} numbers (shape [${t.shape.join(', ')}])` });
    return [...v];
  });
}

/** Encode real inputs (one flat array per graph input) to the field elements the proof carries for them. */
export function encodeInputFields(f: Pick<CircuitFormat, 'inputs'>, inputData: readonly (readonly number[])[]): string[][] {
  if (inputData.length !== f.inputs.length) {
    throw new FormatError('INPUT_SHAPE', `the circuit takes ${f.inputs.length} input tensor(s), got ${inputData.length}`, { hint: 'give input_data with one flat array per graph input, in graph order' });
  }
  return f.inputs.map((t, k) => {
    const xs = inputData[k]!;
    if (xs.length !== sizeOf(t.shape)) throw new FormatError('INPUT_SHAPE', `input "${t.name}" needs ${sizeOf(t.shape)} values (shape [${t.shape.join(', ')}]), got ${xs.length}`);
    return xs.map((v) => encodeReal(v, t.scaleBits));
  });
}

/**
 * The witness generator's input object: each Circom input signal gets the fields of every tensor it carries,
 * concatenated in layout order (all graph inputs share the main component's `in[]`), and `recipient` where the
 * circuit has one (0 for network traffic, an address for attestations; docs/eth.md).
 */
export function circuitInputSignals(f: InputsFormat, fields: readonly (readonly string[])[], recipient = 0n): Record<string, string[]> {
  const order = f.inputs.map((t, k) => ({ t, k, at: slotOf(f, 'inputs', t.name).offset })).sort((a, b) => a.at - b.at);
  const signals: Record<string, string[]> = {};
  if (f.publicLayout.recipient !== undefined) signals.recipient = [recipient.toString()];
  for (const { t, k } of order) (signals[t.signal ?? 'in'] ??= []).push(...fields[k]!);
  return signals;
}

/**
 * Put the verifier's OWN input fields into the input positions of `publicSignals` (a copy). `differs` says
 * whether the prover's signals held something else there — a proof for other inputs then fails Groth16.
 */
export function bindInputs(f: InputsFormat, publicSignals: readonly string[], fields: readonly (readonly string[])[], recipient = 0n): { signals: string[]; differs: boolean } {
  const signals = [...publicSignals];
  let differs = false;
  const r = f.publicLayout.recipient;
  if (r !== undefined) {
    // the verifier's own recipient too: a proof made for recipient X fails for recipient Y (docs/security.md)
    if (signals[r] !== recipient.toString()) differs = true;
    signals[r] = recipient.toString();
  }
  const packed = f.publicLayout.packed;
  if (packed) {
    // packed layout: the verifier packs its OWN inputs; a proof about other inputs carries other words
    packedInputWords(f, fields).forEach((w, j) => { if (signals[packed.offset + j] !== w) differs = true; signals[packed.offset + j] = w; });
    return { signals, differs };
  }
  forEachInputValue(f, fields, (pos, v) => { if (signals[pos] !== v) differs = true; signals[pos] = v; });
  return { signals, differs };
}

/** Decode the output tensors (real numbers, one flat array per graph output in graph order) from public signals. */
export function decodeOutputs(f: CircuitFormat, publicSignals: readonly string[]): number[][] {
  return f.outputs.map((t) => {
    const at = slotOf(f, 'outputs', t.name);
    return publicSignals.slice(at.offset, at.offset + at.length).map((s) => decodeReal(s, t.scaleBits));
  });
}

/** Outputs keyed by tensor name (the wire's and the API's shape of an output). */
export function outputsByName(f: CircuitFormat, outputs: readonly (readonly number[])[]): Record<string, number[]> {
  return Object.fromEntries(f.outputs.map((t, i) => [t.name, [...outputs[i]!]]));
}

/** Whether reported outputs equal the decoded ones (to 1e-9 relative; the wire carries them as JSON floats). */
export function outputsEqual(decoded: readonly (readonly number[])[], reported: readonly (readonly number[])[]): boolean {
  return decoded.length === reported.length && decoded.every((v, k) => {
    const r = reported[k]!;
    return r.length === v.length && v.every((x, i) => Math.abs(x - r[i]!) <= 1e-9 * Math.max(1, Math.abs(x)));
  });
}

/** The number of leading public signals that are outputs (the attestor splits outputs from inputs there). */
export function outputsPrefixLength(layout: { outputs: readonly { offset: number; length: number }[] }): number {
  let n = 0;
  for (const o of [...layout.outputs].sort((a, b) => a.offset - b.offset)) {
    if (o.offset !== n) throw new FormatError('LAYOUT_INVALID', 'circuit outputs are not the leading public signals', { hint: 'recompile the circuit with zkinfer (outputs first, then inputs)' });
    n += o.length;
  }
  return n;
}

/** A canonical decimal field element: no leading zeros, at most 78 digits (the value bound is checked apart). */
export const CANONICAL_FE = /^(0|[1-9][0-9]{0,77})$/;

/**
 * Every public signal must be a canonical field element: a decimal string < r. A value ≥ r is the same field
 * element as value − r, so a verifier that skipped this would accept one proof under two different readings.
 * Throws FormatError('SIGNAL_NOT_CANONICAL').
 */
export function checkCanonicalSignals(signals: readonly string[]): void {
  signals.forEach((s, i) => {
    if (!CANONICAL_FE.test(s) || BigInt(s) >= BN254_R) {
      throw new FormatError('SIGNAL_NOT_CANONICAL', `public signal ${i} ("${s.slice(0, 80)}") is not a canonical field element (a decimal < r, no leading zeros)`, { hint: 'the proof was altered; ask the prover for a fresh proof' });
    }
  });
}

/**
 * A proof's points must be written as zkinfer's provers (and snarkjs) write them: affine coordinates, each a
 * canonical decimal < q (no leading zeros), z = 1 (pi_b's z = 1 + 0·i). The verifiers reduce coordinates mod q,
 * so without this one proof would pass under endless spellings (value + q, "0…" prefixes) while the exported
 * Solidity verifier refuses them (docs/security.md). Returns what is wrong, or undefined.
 */
export function proofNotCanonical(p: { pi_a: readonly string[]; pi_b: ReadonlyArray<readonly string[]>; pi_c: readonly string[] }): string | undefined {
  const coords: Array<[string, string | undefined]> = [
    ['pi_a[0]', p.pi_a[0]], ['pi_a[1]', p.pi_a[1]], ['pi_c[0]', p.pi_c[0]], ['pi_c[1]', p.pi_c[1]],
    ...[0, 1].flatMap((i) => [0, 1].map((j): [string, string | undefined] => [`pi_b[${i}][${j}]`, p.pi_b[i]?.[j]])),
  ];
  for (const [where, v] of coords) {
    if (v === undefined || !CANONICAL_FE.test(v) || BigInt(v) >= BN254_Q) return `proof coordinate ${where} ("${(v ?? '').slice(0, 80)}") is not canonical (a decimal < q, no leading zeros)`;
  }
  if (p.pi_a[2] !== '1' || p.pi_c[2] !== '1' || p.pi_b[2]?.[0] !== '1' || p.pi_b[2]?.[1] !== '0') return 'the proof points are not affine (z must be 1)';
  return undefined;
}
