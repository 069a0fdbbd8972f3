import type * as tfTypes from '@tensorflow/tfjs';
import { ZkinferError } from '../../errors/base.js';
import { importOnnx } from '../../zkml/onnx/import.js';
import { runOnnxRuntime } from '../../zkml/onnx/runtime.js';
import type { Tf } from '../train/tf.js';
import type { ExportedModel } from './from-tfjs.js';

/** Largest allowed |tfjs − onnxruntime| on any output of an exported model. */
export const EXPORT_TOLERANCE = 1e-5;

/** The exported ONNX model disagrees with the tfjs model it came from. */
export class ExportMismatchError extends ZkinferError {
  override readonly name = 'ExportMismatchError';
  constructor(maxAbsDiff: number) {
    super('EXPORT_MISMATCH', `the exported ONNX model differs from tfjs by ${maxAbsDiff.toExponential(3)} (tolerance ${EXPORT_TOLERANCE})`, {
      hint: 'this is an exporter bug (weight layout): report it with the model config',
    });
  }
}

/**
 * Run `samples` (each in tfjs's layout, without the batch axis) through tfjs and through the exported
 * file in onnxruntime-node; returns the largest absolute output difference.
 */
export async function compareExport(tf: Tf, model: tfTypes.LayersModel, exported: ExportedModel, samples: number[][] | number[][][] | number[][][][]): Promise<number> {
  const graph = importOnnx(exported.bytes, 'export-check');
  const tfOut = tf.tidy(() => (model.predict(tf.tensor(samples as number[][])) as tfTypes.Tensor).arraySync() as number[][]);
  const ortOut = await runOnnxRuntime(exported.bytes, graph, samples.map((s) => [toOnnxLayout(s, exported.inputShape)]));
  let max = 0;
  ortOut.forEach((outs, i) => outs[0]!.forEach((v, j) => (max = Math.max(max, Math.abs(v - tfOut[i]![j]!)))));
  return max;
}

/** Compare and throw ExportMismatchError above EXPORT_TOLERANCE; returns the difference. */
export async function assertExportMatches(tf: Tf, model: tfTypes.LayersModel, exported: ExportedModel, samples: number[][] | number[][][] | number[][][][]): Promise<number> {
  const diff = await compareExport(tf, model, exported, samples);
  if (!(diff <= EXPORT_TOLERANCE)) throw new ExportMismatchError(diff);
  return diff;
}

/**
 * One tfjs sample (no batch axis) → flat values in the ONNX input layout: sequences [T,F] → [T,1,F] (same
 * order), images [H,W,C] → [1,C,H,W] (transposed), vectors unchanged.
 */
export function toOnnxLayout(sample: number[] | number[][] | number[][][], onnxShape: number[]): number[] {
  if (onnxShape.length === 4) {
    const img = sample as number[][][];
    const [, C, H, W] = onnxShape as [number, number, number, number];
    const out = new Array<number>(C * H * W);
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[(c * H + y) * W + x] = img[y]![x]![c]!;
    return out;
  }
  return (sample as number[][]).flat(2) as number[];
}
