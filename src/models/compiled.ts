import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CircuitMetadataSchema, type CircuitMetadata } from '../zkml/format/metadata.js';
import { compile, type CompileProgress, type CompileResult } from '../zkml/compile.js';
import { cacheDir, shippedModelDir } from './paths.js';

/** Where a zoo model's circuit is compiled (cached; reused while model and options are unchanged). */
export function compiledDir(name: string): string {
  return cacheDir('circuits', name);
}

/** Compile a zoo model's ONNX file from `modelDir` (default: shipped) with its calibration inputs. */
export async function compileZooModel(name: string, opts: { modelDir?: string; onProgress?: CompileProgress; outDir?: string } = {}): Promise<CompileResult> {
  const dir = opts.modelDir ?? shippedModelDir(name);
  const calibration = join(dir, 'calibration.json');
  return compile(join(dir, 'model.onnx'), {
    outDir: opts.outDir ?? compiledDir(name),
    name,
    ...(existsSync(calibration) ? { calibration } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}

/** metadata.json of the last compile of a zoo model, or undefined when it was never compiled here. */
export function readCompiledMetadata(name: string): CircuitMetadata | undefined {
  const file = join(compiledDir(name), 'metadata.json');
  if (!existsSync(file)) return undefined;
  const parsed = CircuitMetadataSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** One model's row in .cache/bench/models.json, written by `npm run bench:models`. */
export const ModelBenchSchema = z.object({
  name: z.string(),
  constraints: z.number().int(),
  scaleBits: z.number().int(),
  quantMaxAbs: z.number(),
  onnxruntimeMedianMs: z.number(),
  witnessMedianMs: z.number(),
  proveMedianMs: z.number(),
  runs: z.number().int(),
  prover: z.string(),
  device: z.string(),
  at: z.string(),
});
export type ModelBench = z.infer<typeof ModelBenchSchema>;
export const ModelBenchFileSchema = z.object({ models: z.record(z.string(), ModelBenchSchema) });

export function benchFile(): string {
  return cacheDir('bench', 'models.json');
}

/** The last bench results (empty when the bench never ran here). */
export function readBenchResults(): Record<string, ModelBench> {
  const file = benchFile();
  if (!existsSync(file)) return {};
  const parsed = ModelBenchFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data.models : {};
}
