import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../errors/base.js';
import { importOnnx } from '../zkml/onnx/import.js';
import { runOnnxRuntime } from '../zkml/onnx/runtime.js';
import { readModelCard, type ModelCard } from './card.js';
import { flattenNested } from './tensor-schema.js';
import type { ModelPlugin } from './zoo/types.js';

export interface Prediction {
  model: string;
  /** Flat ONNX input actually fed to the model (normalised). */
  input: number[];
  /** Raw float output of the model (onnxruntime). */
  output: number[];
  /** One readable line. */
  summary: string;
  /** The headline number in its unit (days, probability, class index, …). */
  value: number | number[];
}

/** Read and parse a JSON input file, with a typed error. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')); // a UTF-8 byte-order mark is not JSON
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file} as JSON: ${(err as Error).message}`, { hint: 'pass a JSON file (see models/staking-lstm/example-input.json)' });
  }
}

function zodProblem(err: z.ZodError): string {
  const i = err.issues[0]!;
  return `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`;
}

/**
 * Turn a request into the model's flat ONNX input with the model's plugin (docs/models.md, plugins): its own
 * request form (e.g. a raw staking position, normalised with the card's statistics) or the tensor form
 * `{ "input": [...] }` already in the ONNX layout, which every model takes.
 */
export function encodeRequest(model: ModelPlugin, card: ModelCard | undefined, body: unknown, source: string): number[] {
  const req = model.request;
  const tensorForm = typeof body === 'object' && body !== null && 'input' in body;
  const schema = tensorForm ? model.inputSchema : req.schema;
  const parsed = schema.safeParse(body);
  if (parsed.success) return tensorForm ? flattenNested((parsed.data as { input: unknown }).input) : req.encode(parsed.data, card);
  const tensorDoc = `{"input": <array of shape [${model.inputShape.join(', ')}]>}`;
  const want = req.doc === tensorDoc ? tensorDoc : `${req.doc} or ${tensorDoc}`;
  throw new InvalidInputError(`${source}: expected ${want}: ${zodProblem(parsed.error)}`, { hint: `an example: ${JSON.stringify(req.example(card)).slice(0, 200)}` });
}

/** Run the float model (onnxruntime) on a flat input and describe the result for a person. */
export async function predict(model: ModelPlugin, modelDir: string, input: number[]): Promise<Prediction> {
  const card = readModelCard(modelDir);
  const bytes = readFileSync(join(modelDir, card.onnx.file));
  const graph = importOnnx(bytes, model.name);
  const [outs] = await runOnnxRuntime(bytes, graph, [[input]]);
  const output = Array.from(outs![0]!);
  return { model: model.name, input, output, ...model.describe(output, card) };
}
