import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidInputError, ZkinferError } from '../errors/base.js';
import { VERSION } from '../version.js';
import { loadArtifacts, sha256File, writeArtifacts, type CircuitMetadata } from './artifacts/index.js';
import { exportReadableCircom } from './codegen/readable.js';
import { evaluateGraph } from './ir/evaluate.js';
import type { GraphIR } from './ir/graph.js';
import { importOnnxFile } from './onnx/import.js';
import { runOnnxRuntime } from './onnx/runtime.js';
import { defaultSamples, inputIntBits, readSamplesFile, type Sample } from './quantize/calibration.js';
import { QuantizeError } from './quantize/errors.js';
import { lowerGraph, MAX_OUTPUT_SCALE, type LoweredModel, type LowerOptions } from './quantize/lower.js';
import { DEFAULT_PRECISION, errorGoal, parsePrecision, presetVariants, PRESETS, type Precision, type PrecisionPreset } from './quantize/precision.js';
import { checkWidths, emulate, gadgetCost, outputCosts, programCost } from './quantize/program.js';
import { ARTIFACT_FILES } from './artifacts/files.js';
import { readPtauInfo, requiredPower, SetupError, setupCircuit } from './setup/index.js';
import { toField, toFixed } from './fixed-point.js';
import { checkR1cs } from './r1cs/check.js';
import { emitProgram, type EmittedCircuit } from './r1cs/emit.js';
import { asR1cs, writeR1csFile, writeSymFile } from './r1cs/write.js';
import { programToJson } from './witness/program-file.js';
import { recordProgramTape } from './witness/tape-cache.js';
import { packedPublicLayout } from './format/layout.js';
import { inputWidths, packPlan, packValues } from './format/packing.js';
import { writeCompileSource } from './source.js';
import { sha256Hex } from './format/circuit-id-node.js';
import { checkOutputDir } from '../out-path.js';
import { COMPILE_KEY_FILE, openBuildDir } from './build-dir.js';

export type CompileProgress = (stage: string, done: number, total: number) => void;

/** Size estimate printed before the expensive steps: R1CS constraints, public signals and the ptau power needed. */
export interface CompileEstimate { constraints: number; publicSignals: number; power: number }

export interface CompileOptions {
  /** Artifacts directory (metadata.json, circuit.r1cs, circuit.sym, witness.json, circuit.zkey, vk.json, circuit.circom). */
  outDir: string;
  /** Fractional bits; default: chosen from the calibration data for the preset (or the preset's default scale). */
  scale?: number;
  /** Precision preset (default `balanced`): activation tables, weight bits and the error goal of the scale search. */
  precision?: Precision;
  /** Fractional bits of the public outputs (default: each output's natural scale, no rescale spent on it). */
  outputScale?: number;
  /** EZKL-style JSON of sample inputs: chooses scale and input range bits, and is where the error is measured. */
  calibration?: string;
  /** Ceremony powers-of-tau; without it the keys are INSECURE-DEV. */
  ptau?: string;
  name?: string;
  onProgress?: CompileProgress;
  /** Called once the program is known, before constraint generation and setup. */
  onEstimate?: (e: CompileEstimate) => void;
  /** Setup cache (dev ptau, keys); default $ZKINFER_CACHE_DIR or ~/.cache/zkinfer. */
  cacheDir?: string;
  /** Sizes of symbolic dimensions (`--dim NAME=N`); any other symbolic dimension is 1. */
  dims?: Record<string, number>;
  /** Notes from the importer (e.g. a symbolic dimension set to 1). */
  onNote?: (message: string) => void;
  /**
   * Called with a synchronous cleanup while the temporary build directory exists, and with undefined once it is gone
   * (moved into `outDir` or removed): the CLI runs the cleanup on Ctrl-C (docs/zkml-compile.md "Output directory").
   * Also called with undefined for the time of the constraint generation, one synchronous call that holds the event
   * loop (over 10 minutes on a model near the size limit), so that no handler defers Ctrl-C past it: the process
   * ends at once, and the next compile of the same `outDir` removes the build directory.
   */
  onBuildDir?: (cleanupSync: (() => void) | undefined) => void;
}

export interface QuantError {
  maxAbs: number;
  meanAbs: number;
  samples: number;
  perOutput: Array<{ name: string; maxAbs: number; meanAbs: number }>;
}

export interface CompileResult {
  dir: string;
  metadata: CircuitMetadata;
  /** True when the artifacts of an identical earlier compile were reused. */
  cached: boolean;
  /** Seconds per stage, in order (import + quantize, error, constraints, self-check, setup). */
  stageTimes: Array<[string, number]>;
}

/** Bump when the generated circuit for the same model and options changes. */
const CODEGEN_VERSION = 7; // 3: direct R1CS backend (no circom in the compile path); 4: public `recipient` input; 5: the program JSON carries its wire layout; 6: wire layout 4; 7: wire layout 6 (linear activation window test)

/** Quantize a graph at `scale` with input ranges from the samples (or the default |x| < 8); progress per graph node. */
export function quantizeGraph(graph: GraphIR, scale: number, samples: Sample[] | undefined, opts: Pick<LowerOptions, 'precision' | 'outputScale' | 'onProgress'> = {}): LoweredModel {
  return lowerGraph(graph, { ...opts, scale, ...(samples ? { samples } : {}), inputRangeBits: graph.inputs.map((_, i) => scale + (samples ? inputIntBits(samples, i) : 3)) });
}

/** Run the exact integer emulation of the circuit on float samples; decoded outputs, flat per sample. */
export function emulateFloat(low: LoweredModel, sample: Sample): number[] {
  const { signals, outputs } = emulate(low.program, sampleInts(low, sample));
  const bad = checkWidths(low.program, signals);
  if (bad) throw new QuantizeError(`internal: emulated value exceeds its proven width (${bad})`);
  const scales = low.outputs.flatMap((o) => new Array<number>(o.shape.reduce((a, b) => a * b, 1)).fill(o.scale));
  return outputs.map((o, i) => Number(o) / 2 ** scales[i]!);
}

/** Max and mean abs error of the exact emulation against reference outputs (flat per sample), overall and per output. */
export function errorOf(low: LoweredModel, samples: Sample[], ref: number[][]): QuantError {
  const acc = low.outputs.map((o) => ({ name: o.name, max: 0, sum: 0, n: 0, from: o.offset, to: o.offset + o.shape.reduce((a, b) => a * b, 1) }));
  samples.forEach((s, k) => emulateFloat(low, s).forEach((v, i) => {
    const e = Math.abs(v - ref[k]![i]!), o = acc.find((a) => i >= a.from && i < a.to)!;
    o.max = Math.max(o.max, e); o.sum += e; o.n++;
  }));
  const n = acc.reduce((t, o) => t + o.n, 0);
  return {
    maxAbs: Math.max(0, ...acc.map((o) => o.max)), meanAbs: n ? acc.reduce((t, o) => t + o.sum, 0) / n : 0, samples: samples.length,
    perOutput: acc.map((o) => ({ name: o.name, maxAbs: o.max, meanAbs: o.n ? o.sum / o.n : 0 })),
  };
}

/**
 * Choose the working scale for a preset from calibration samples (as EZKL's calibrate does): try the preset's
 * scales in order of cost, keep the first whose max error against the float model is within the preset's goal;
 * if none is, the one with the smallest measured error. A scale too wide for the field is skipped. Each try reports
 * its quantization progress as stage `quantize (try scale s)`.
 */
export function chooseScale(graph: GraphIR, samples: Sample[], preset: PrecisionPreset = PRESETS[DEFAULT_PRECISION], progress: CompileProgress = () => {}): number {
  return searchScales(graph, samples, preset, floatRef(graph, samples), progress).scale;
}

/**
 * The scale search of chooseScale over the preset and each of its table variants (precision.ts presetVariants), each
 * also with per-tensor scales when the preset searches them (and a tensor qualifies): the cheapest (R1CS constraints)
 * candidate that meets the goal; if none does, the smallest error.
 * docs/zkml-compile.md "Precision presets".
 */
export function choosePrecision(graph: GraphIR, samples: Sample[], preset: PrecisionPreset = PRESETS[DEFAULT_PRECISION], progress: CompileProgress = () => {}): { scale: number; preset: PrecisionPreset; variant: number } {
  const ref = floatRef(graph, samples);
  const tried = presetVariants(preset).flatMap((p, variant) => {
    const tag = variant ? `, tables ${variant}` : '';
    const uniform = { preset: p, variant, ...searchScales(graph, samples, p, ref, progress, tag) };
    if (!preset.searchTensorScales) return [uniform];
    // per-tensor scales (docs/zkml-compile.md "Per-tensor scales"): a candidate beside the uniform one, only where
    // the graph has a tensor that takes its own scale; it wins only by the rule below (cheaper, or smaller error)
    const own = { ...p, tensorScales: true };
    const t = searchScales(graph, samples, own, ref, progress, `${tag}, per-tensor scales`, true);
    return t ? [uniform, { preset: own, variant, ...t }] : [uniform];
  });
  const met = tried.filter((t) => t.met).sort((a, b) => a.cost - b.cost);
  const best = met[0] ?? [...tried].sort((a, b) => a.err - b.err)[0]!;
  return { scale: best.scale, preset: best.preset, variant: best.variant };
}

const floatRef = (graph: GraphIR, samples: Sample[]) => samples.map((s) => evaluateGraph(graph, s).flatMap((t) => Array.from(t.data)));

interface ScaleTry { scale: number; met: boolean; err: number; cost: number }

function searchScales(graph: GraphIR, samples: Sample[], preset: PrecisionPreset, ref: number[][], progress: CompileProgress, tag?: string): ScaleTry;
function searchScales(graph: GraphIR, samples: Sample[], preset: PrecisionPreset, ref: number[][], progress: CompileProgress, tag: string, needOwn: true): ScaleTry | undefined;
/** needOwn: give up (undefined) when the first lowering gives no tensor its own scale (it would repeat the uniform search). */
function searchScales(graph: GraphIR, samples: Sample[], preset: PrecisionPreset, ref: number[][], progress: CompileProgress, tag = '', needOwn = false): ScaleTry | undefined {
  const goal = errorGoal(preset, Math.max(0, ...ref.flat().map(Math.abs)));
  let best: ScaleTry | undefined;
  for (const s of preset.scales) {
    try {
      const onProgress = (d: number, n: number) => progress(`quantize (try scale ${s}${tag})`, d, n);
      const low = quantizeGraph(graph, s, samples, { precision: preset, onProgress });
      if (needOwn && low.ownScales.length === 0) return undefined;
      needOwn = false;
      const err = errorOf(low, samples, ref).maxAbs;
      if (err <= goal) return { scale: s, met: true, err, cost: programCost(low.program) };
      if (!best || err < best.err) best = { scale: s, met: false, err, cost: programCost(low.program) };
    } catch (err) {
      if (!(err instanceof QuantizeError)) throw err;
    }
  }
  return best ?? { scale: preset.scales[0]!, met: false, err: Infinity, cost: Infinity };
}

/** What `lowerModelFile` needs: the options the circuit is a function of (stored in `source/compile.json`). */
export type LowerFileOptions = Pick<CompileOptions, 'scale' | 'precision' | 'outputScale' | 'calibration' | 'name' | 'dims' | 'onNote' | 'onProgress'>;

/** Import and quantize a model file: the program the circuit is emitted from (the first half of `compile`). */
export async function lowerModelFile(modelPath: string, opts: LowerFileOptions) {
  const progress: CompileProgress = opts.onProgress ?? (() => {});
  if (opts.scale !== undefined && !(Number.isInteger(opts.scale) && opts.scale >= 1 && opts.scale <= 24)) {
    throw new InvalidInputError(`--scale must be an integer from 1 to 24, got ${opts.scale}`);
  }
  if (opts.outputScale !== undefined && !(Number.isInteger(opts.outputScale) && opts.outputScale >= 0 && opts.outputScale <= MAX_OUTPUT_SCALE)) {
    throw new InvalidInputError(`--output-scale must be an integer from 0 to ${MAX_OUTPUT_SCALE}, got ${opts.outputScale}`);
  }
  const precisionName = parsePrecision(opts.precision);
  const preset = PRESETS[precisionName];
  progress('import', 0, 1);
  const model = await importOnnxFile(modelPath, opts.name, { ...(opts.dims ? { dims: opts.dims } : {}), ...(opts.onNote ? { onNote: opts.onNote } : {}) });
  const graph = model.graph;
  progress('import', 1, 1);
  const calib = opts.calibration ? await readSamplesFile(graph, opts.calibration) : undefined;
  const samples = calib ?? defaultSamples(graph);
  // the preset's table variants are searched with the scale (a given --scale or no calibration: the preset itself)
  const { scale, preset: tables, variant } = opts.scale === undefined && calib ? choosePrecision(graph, calib, preset, progress) : { scale: opts.scale ?? preset.defaultScale, preset, variant: 0 };
  let lowered = false;
  const onProgress = (d: number, n: number) => { lowered = d >= n; progress('quantize', d, n); };
  const low = quantizeGraph(graph, scale, calib, { precision: tables, onProgress, ...(opts.outputScale !== undefined ? { outputScale: opts.outputScale } : {}) });
  if (!lowered) progress('quantize', 1, 1); // a graph with no nodes
  return { model, graph, samples, scale, variant, precisionName, low, layout: packedPublicLayout(low.outputs, low.inputs) };
}

/** The public interface `compile` writes into metadata.json for a lowered model (a competition audit compares it). */
export function circuitInterface(l: Pick<LoweredFile, 'low' | 'scale' | 'layout'>): Pick<CircuitMetadata, 'inputs' | 'outputs' | 'publicLayout'> {
  return {
    inputs: l.low.inputs.map((i) => ({ name: i.name, signal: 'in', shape: i.shape, scaleBits: i.scale, rangeBits: i.rangeBits })),
    outputs: l.low.outputs.map((o) => ({ name: o.name, signal: 'out', shape: o.shape, scaleBits: o.scale, rangeBits: o.rangeBits })),
    publicLayout: l.layout,
  };
}

/** What `lowerModelFile` returns. */
export type LoweredFile = Awaited<ReturnType<typeof lowerModelFile>>;

/**
 * Compile an ONNX model to a Groth16 circuit: import → quantize → Circom codegen → circom2 → error against
 * onnxruntime-node → setup (prove engineer's setupCircuit) → metadata.json. Identical recompiles reuse the artifacts.
 */
export async function compile(modelPath: string, opts: CompileOptions): Promise<CompileResult> {
  const progress: CompileProgress = opts.onProgress ?? (() => {});
  const dir = resolve(opts.outDir);
  // a path that cannot become the output directory is refused before the expensive steps (docs/zkml-compile.md "Output directory")
  checkOutputDir(dir, opts.outDir);
  const stageTimes: Array<[string, number]> = [];
  let t = performance.now();
  const lap = (stage: string) => { const now = performance.now(); stageTimes.push([stage, (now - t) / 1000]); t = now; };
  const lowered = await lowerModelFile(modelPath, opts);
  const { model, graph, samples, variant, precisionName, low, layout } = lowered;
  lap('import + quantize');
  if (opts.ptau && !existsSync(opts.ptau)) {
    throw new InvalidInputError(`powers-of-tau file ${opts.ptau} does not exist`, { hint: 'pass a prepared ceremony .ptau (e.g. powersOfTau28_hez_final_16.ptau), or omit --ptau for INSECURE-DEV keys' });
  }
  // packed input words cost nothing: each is solved for its last input (docs/eth.md "Packed public inputs")
  const constraints = programCost(low.program);
  const publicSignals = layout.total;
  const estimate = { constraints, publicSignals, power: requiredPower({ nConstraints: constraints, nPublic: publicSignals }) };
  opts.onEstimate?.(estimate);
  await checkPtauFits(estimate, opts.ptau);
  const ptauSha = opts.ptau ? await sha256File(opts.ptau) : 'dev';
  const programJson = programToJson(low.program);
  const programSha = sha256Hex(programJson); // of the witness.json written below (utf8): the cache key's and the tape's
  // the cache key covers everything the artifacts depend on: model bytes, the program (scale, ranges, weights), the
  // backend version and the ptau
  const key = createHash('sha256').update(JSON.stringify({
    model: model.sha256, program: programSha, ptauSha, name: graph.name, VERSION, CODEGEN_VERSION,
    precision: precisionName, // stored in metadata even when two presets give the same program
    tableVariant: variant,
    // per-input scales (docs/zkml-compile.md "Per-tensor scales"); absent when all are the working scale (keys stay as before)
    ...(low.inputs.some((i) => i.scale !== low.scale) ? { inputScales: low.inputs.map((i) => i.scale) } : {}),
  })).digest('hex');
  const keyFile = join(dir, COMPILE_KEY_FILE);
  let reuse: CircuitMetadata | undefined;
  if (existsSync(keyFile) && (await readFile(keyFile, 'utf8')).trim() === key) {
    try {
      reuse = (await loadArtifacts(dir)).metadata;
    } catch {
      // fall through: recompile over a damaged directory
    }
  }

  // everything is written into a build directory and moved into `dir` only at the end (docs/zkml-compile.md "Output directory")
  const build = openBuildDir(dir, opts.outDir);
  opts.onBuildDir?.(build.cleanupSync);
  try {
    // what the circuit is a function of, so a competition validator can recompile it (docs/competitions.md)
    await writeCompileSource(build.path, model.bytes, opts);
    if (reuse) {
      build.commitSync('source'); // the artifacts are this compile's already; its source/ is refreshed
      progress('cached', 1, 1);
      return { dir, metadata: reuse, cached: true, stageTimes };
    }
    const out = build.path;

    progress('error', 0, 1);
    const ref = await runOnnxRuntime(model.bytes, graph, samples);
    const error = errorOf(low, samples, ref.map((outs) => outs.flatMap((o) => Array.from(o))));
    // above the preset's goal: warn, not fail (a model may miss it; docs/zkml-compile.md "Error goal warning")
    const goal = errorGoal(PRESETS[precisionName], ref.flat().reduce((m, o) => o.reduce((a, v) => Math.max(a, Math.abs(v)), m), 0));
    if (error.maxAbs > goal) opts.onNote?.(`warning: max error vs onnxruntime ${error.maxAbs.toExponential(3)} is above the ${precisionName} preset's goal ${goal.toExponential(3)}: the circuit may not compute what the model does (docs/zkml-compile.md "Error goal warning")`);
    progress('error', 1, 1);
    lap('error vs onnxruntime');

    // constraints straight from the program, with the witness of the first sample for the self-check
    const first = sampleInts(low, samples[0]!);
    opts.onBuildDir?.(undefined);
    const circ = emitProgram(low.program, { inputs: first, constraints: true, onProgress: (d, n) => progress('constraints', d, n) });
    opts.onBuildDir?.(build.cleanupSync);
    const r1csPath = join(out, ARTIFACT_FILES.r1cs), programPath = join(out, ARTIFACT_FILES.program);
    await writeR1csFile(r1csPath, circ);
    await writeSymFile(join(out, ARTIFACT_FILES.sym), circ);
    await writeFile(programPath, programJson);
    await writeFile(join(out, ARTIFACT_FILES.circom), exportReadableCircom(low.program, { nodeOps: low.nodeOps }));
    lap('constraints');
    progress('self-check', 0, 1);
    selfCheck(low, circ, first, constraints);
    progress('self-check', 1, 1);
    lap('self-check');
    await recordProgramTape(low.program, programSha);
    lap('witness tape');

    const setup = await setupCircuit({
      r1csPath, programPath, outDir: out,
      ...(opts.ptau ? { ptauPath: opts.ptau } : {}), ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), onProgress: progress,
    });
    lap('setup');

    const metadata = await writeArtifacts(out, {
      name: graph.name,
      modelSha256: model.sha256,
      security: setup.security,
      ptau: setup.ptau,
      constraints: setup.constraints,
      ops: opsTable(low),
      ...circuitInterface(lowered),
      error,
      precision: precisionName,
      tableVariant: variant,
    });
    await writeFile(join(out, COMPILE_KEY_FILE), key + '\n');
    build.commitSync('all');
    return { dir, metadata, cached: false, stageTimes };
  } finally {
    build.cleanupSync();
    opts.onBuildDir?.(undefined);
  }
}

/** BN254's scalar field has 2-adicity 28: no Groth16 domain (and no powers of tau) beyond 2^28. */
export const MAX_PTAU_POWER = 28;

/** Refuse, before any expensive step, a model that needs more than the given ptau (or than any ptau) holds. */
async function checkPtauFits(e: CompileEstimate, ptau: string | undefined): Promise<void> {
  const need = `the model needs ${e.constraints} constraints + ${e.publicSignals} public signals, i.e. a powers of tau of power ${e.power}`;
  if (e.power > MAX_PTAU_POWER) {
    throw new SetupError('PTAU_TOO_SMALL', `${need}; BN254 has none above power ${MAX_PTAU_POWER}`, { hint: 'use a lower --scale or a smaller model' });
  }
  if (!ptau) return;
  const info = await readPtauInfo(ptau);
  if (info.power < e.power) {
    throw new SetupError('PTAU_TOO_SMALL', `${ptau} has power ${info.power}; ${need}`, {
      hint: `pass a ptau of power ≥ ${e.power} (e.g. powersOfTau28_hez_final_${String(e.power).padStart(2, '0')}.ptau), or omit --ptau for INSECURE-DEV keys`,
    });
  }
}

function sampleInts(low: LoweredModel, sample: Sample): bigint[] { return sample.flatMap((xs, t) => xs.map((v) => toFixed(v, low.inputs[t]!.scale))); }

/**
 * The emitted circuit must compute exactly the emulated program: its witness (of the first sample) must carry the
 * emulated outputs and satisfy every constraint, and the constraint count must equal the per-gadget accounting. A
 * mismatch is a compiler bug, never shipped.
 */
function selfCheck(low: LoweredModel, circ: EmittedCircuit, ints: bigint[], expectedConstraints: number): void {
  if (circ.constraints.length !== expectedConstraints) throw new CompileError(`internal: the r1cs has ${circ.constraints.length} constraints, the program accounts for ${expectedConstraints}`);
  const expected = emulate(low.program, ints).outputs.map(toField);
  const w = circ.witness!;
  const got = w.slice(1, 1 + expected.length);
  const bad = expected.findIndex((e, i) => e !== got[i]);
  if (bad >= 0) throw new CompileError(`internal: circuit output ${bad} is ${got[bad]}, the emulation says ${expected[bad]}`);
  // the packed input words the circuit computes are the ones the verifier's packing (format/packing.ts) expects
  const words = packValues(packPlan(inputWidths(low.inputs)), ints).map(toField);
  const gotWords = w.slice(1 + expected.length, 1 + expected.length + words.length);
  if (circ.nOutputs !== expected.length + words.length || words.some((x, j) => x !== gotWords[j])) throw new CompileError('internal: the circuit packs its public inputs differently from metadata.inputs[].rangeBits');
  const check = checkR1cs(asR1cs(circ), w);
  if (!check.ok) throw new CompileError(`internal: the honest witness fails r1cs constraint ${check.failed} (${check.failures} in all)`);
}

/** The compiler produced an inconsistent circuit (a zkinfer bug). */
export class CompileError extends ZkinferError {
  override readonly name = 'CompileError';
  constructor(message: string) {
    super('COMPILE_INTERNAL', message, { hint: 'this is a zkinfer bug: please report it with the model' });
  }
}

/**
 * Constraints per graph node in graph order (0 for linear and shape-only nodes: a rescale is charged to the nonlinear
 * op it is fused into), plus input range checks and output equalities.
 */
export function opsTable(low: LoweredModel): CircuitMetadata['ops'] {
  const cost = new Map<string, number>();
  for (const g of low.program.gadgets) cost.set(g.node, (cost.get(g.node) ?? 0) + gadgetCost(g));
  const rows: CircuitMetadata['ops'] = [];
  for (const i of low.inputs) rows.push({ node: `input:${i.name}`, op: 'RangeCheck', constraints: cost.get(`input:${i.name}`) ?? 0 });
  for (const [node, op] of low.nodeOps) rows.push({ node, op, constraints: cost.get(node) ?? 0 });
  const oc = outputCosts(low.program);
  for (const o of low.outputs) {
    const n = oc.slice(o.offset, o.offset + o.shape.reduce((a, b) => a * b, 1)).reduce((a, b) => a + b, 0) + (cost.get(`output:${o.name}`) ?? 0);
    if (n > 0) rows.push({ node: `output:${o.name}`, op: 'Output', constraints: n });
  }
  return rows;
}
