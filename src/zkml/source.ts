/**
 * A circuit's source (docs/competitions.md, "Auditing a submission"): what `zkinfer compile` made the circuit from —
 * the ONNX model, the calibration data and the options the program depends on — kept in `<artifacts>/source/` so a
 * competition validator can recompile the same R1CS with its own zkinfer and check the proving key against it.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ZkinferError } from '../errors/base.js';
import { readMetadata } from './artifacts/index.js';
import { PrecisionSchema, type Precision } from './quantize/precision.js';

export const SOURCE_DIR = 'source';
export const SOURCE_FILES = { model: 'model.onnx', calibration: 'calibration.json', options: 'compile.json' } as const;

/** The compile options a circuit's program is a function of (source/compile.json; a process boundary). */
export const CompileSourceOptionsSchema = z.object({
  name: z.string().max(200).optional(),
  precision: PrecisionSchema.optional(),
  scale: z.number().int().min(1).max(24).optional(),
  outputScale: z.number().int().min(0).max(64).optional(),
  dims: z.record(z.string(), z.number().int().positive()).optional(),
  calibration: z.boolean().describe('source/calibration.json holds the calibration data'),
}).strict();
export type CompileSourceOptions = z.infer<typeof CompileSourceOptionsSchema>;

/** A circuit's source in memory: the model bytes, the calibration JSON text (or none), the options. */
export interface CompileSource {
  model: Uint8Array;
  calibration?: string;
  options: CompileSourceOptions;
}

type SourceFlags = { name?: string; precision?: Precision; scale?: number; outputScale?: number; dims?: Record<string, number>; calibration?: string };

/** Write `<dir>/source/` for a compile of `model` (its path, or the very bytes compiled) with `opts`. */
export async function writeCompileSource(dir: string, model: string | Uint8Array, opts: SourceFlags): Promise<void> {
  const d = join(dir, SOURCE_DIR);
  await mkdir(d, { recursive: true });
  if (typeof model === 'string') await copyFile(model, join(d, SOURCE_FILES.model));
  else await writeFile(join(d, SOURCE_FILES.model), model);
  if (opts.calibration) await copyFile(opts.calibration, join(d, SOURCE_FILES.calibration));
  else await rm(join(d, SOURCE_FILES.calibration), { force: true });
  const options: CompileSourceOptions = CompileSourceOptionsSchema.parse({
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.precision !== undefined ? { precision: opts.precision } : {}),
    ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
    ...(opts.outputScale !== undefined ? { outputScale: opts.outputScale } : {}),
    ...(opts.dims ? { dims: opts.dims } : {}),
    calibration: opts.calibration !== undefined,
  });
  await writeFile(join(d, SOURCE_FILES.options), JSON.stringify(options, null, 1) + '\n');
}

/** `source/model.onnx` is not the model the circuit was compiled from (docs/competitions.md "Auditing a submission"). */
export class CompileSourceError extends ZkinferError {
  override readonly name = 'CompileSourceError';
  constructor(message: string, opts: { details?: Record<string, unknown> } = {}) {
    super('SOURCE_MISMATCH', message, { ...opts, hint: 'recompile the circuit with `zkinfer compile` from its model (source/ was edited or left by another compile)' });
  }
}

/**
 * Read `<dir>/source/` (undefined when the circuit was compiled before sources were kept). Its model must be the one
 * the circuit was compiled from: sha256(source/model.onnx) = `modelSha256` (default: metadata.json's), else a
 * CompileSourceError — a validator recompiling another model would reject the submission.
 */
export async function readCompileSource(dir: string, modelSha256?: string): Promise<CompileSource | undefined> {
  const d = join(dir, SOURCE_DIR);
  let options: CompileSourceOptions;
  try {
    options = CompileSourceOptionsSchema.parse(JSON.parse(await readFile(join(d, SOURCE_FILES.options), 'utf8')));
  } catch {
    return undefined;
  }
  const model = await readFile(join(d, SOURCE_FILES.model));
  const want = modelSha256 ?? (await readMetadata(dir)).modelSha256;
  const got = createHash('sha256').update(model).digest('hex');
  if (got !== want) {
    throw new CompileSourceError(`${join(d, SOURCE_FILES.model)} has sha256 ${got}, but the circuit was compiled from a model with sha256 ${want} (metadata.modelSha256)`, { details: { expected: want, actual: got } });
  }
  return {
    model,
    ...(options.calibration ? { calibration: await readFile(join(d, SOURCE_FILES.calibration), 'utf8') } : {}),
    options,
  };
}

/** Write a source received from elsewhere into `dir/source/` (what the validator recompiles); returns the lowering options. */
export async function materializeSource(dir: string, s: CompileSource): Promise<{ modelPath: string; opts: SourceFlags }> {
  const d = join(dir, SOURCE_DIR);
  await mkdir(d, { recursive: true });
  const modelPath = join(d, SOURCE_FILES.model);
  await writeFile(modelPath, s.model);
  const { calibration: hasCalibration, ...o } = s.options;
  let calibration: string | undefined;
  if (hasCalibration) {
    calibration = join(d, SOURCE_FILES.calibration);
    await writeFile(calibration, s.calibration ?? '');
  }
  return { modelPath, opts: { ...o, ...(calibration ? { calibration } : {}) } };
}

/** A source on the wire (the CompetitionArtifacts synapse): JSON with the model base64-encoded. */
export const WireSourceSchema = z.object({ options: CompileSourceOptionsSchema, model: z.string().max(16 * 1024 * 1024), calibration: z.string().optional() });

export function sourceToWire(s: CompileSource): string {
  return JSON.stringify({ options: s.options, model: Buffer.from(s.model).toString('base64'), ...(s.calibration !== undefined ? { calibration: s.calibration } : {}) });
}

/** A wire source from its decoded JSON (the validator decodes a miner's answer within bounds; throws a zod error on anything else). */
export function sourceFromWire(json: unknown): CompileSource {
  const w = WireSourceSchema.parse(json);
  return { options: w.options, model: Buffer.from(w.model, 'base64'), ...(w.calibration !== undefined ? { calibration: w.calibration } : {}) };
}
