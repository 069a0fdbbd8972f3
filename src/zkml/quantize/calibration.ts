import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InvalidInputError } from '../../errors/base.js';
import type { GraphIR } from '../ir/graph.js';
import { sizeOf } from '../ir/tensor.js';

/** EZKL-style input file: `input_data` holds one flat array per model input; k·size values mean k samples. */
export const InputDataSchema = z.object({ input_data: z.array(z.array(z.number())).min(1) });

/** One sample = one flat float array per model input. */
export type Sample = number[][];

/** Split `input_data` into samples for this graph (each input's array must hold a whole number of tensors). */
export function samplesFromInputData(graph: GraphIR, data: number[][], source: string): Sample[] {
  if (data.length !== graph.inputs.length) {
    throw new InvalidInputError(`${source}: input_data has ${data.length} array(s), model "${graph.name}" has ${graph.inputs.length} input(s)`, {
      hint: 'give one flat array per model input',
    });
  }
  let k = -1;
  graph.inputs.forEach((vi, i) => {
    const n = sizeOf(vi.shape), len = data[i]!.length;
    if (len === 0 || len % n !== 0) throw new InvalidInputError(`${source}: input "${vi.name}" needs a multiple of ${n} values (shape [${vi.shape}]), got ${len}`);
    if (k >= 0 && len / n !== k) throw new InvalidInputError(`${source}: every input must have the same number of samples`);
    k = len / n;
  });
  return Array.from({ length: k }, (_, s) => graph.inputs.map((vi, i) => { const n = sizeOf(vi.shape); return data[i]!.slice(s * n, (s + 1) * n); }));
}

/** Read a calibration / sample-input JSON file. */
export async function readSamplesFile(graph: GraphIR, path: string): Promise<Sample[]> {
  let json: unknown;
  try {
    json = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, '')); // a UTF-8 byte-order mark is not JSON
  } catch (cause) {
    throw new InvalidInputError(`cannot read ${path} as JSON`, { hint: 'pass a file like {"input_data": [[0.1, 0.2, ...]]}', cause });
  }
  const parsed = InputDataSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError(`${path} is not an input file: ${parsed.error.issues[0]?.message}`, { hint: 'expected {"input_data": [[...floats]]}' });
  return samplesFromInputData(graph, parsed.data.input_data, path);
}

/** Deterministic uniform samples in [−1, 1) (used when no calibration file is given). */
export function defaultSamples(graph: GraphIR, count = 8, seed = 0x5eed): Sample[] {
  let s = seed >>> 0;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s / 2 ** 32) * 2 - 1; };
  return Array.from({ length: count }, () => graph.inputs.map((vi) => Array.from({ length: sizeOf(vi.shape) }, next)));
}

/** Integer bits for an input so every sample fits with 2× headroom: |v| < 2^bits. */
export function inputIntBits(samples: Sample[], input: number): number {
  let m = 0;
  for (const sm of samples) for (const v of sm[input]!) m = Math.max(m, Math.abs(v));
  return Math.max(1, Math.ceil(Math.log2(Math.max(m, 1e-9) * 2 + 1e-12)));
}
