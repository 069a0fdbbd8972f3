import { importOnnx } from '../../zkml/onnx/import.js';
import { runOnnxRuntime } from '../../zkml/onnx/runtime.js';
import type { ModelCard } from '../card.js';
import { onnxOps, onnxOpset } from '../onnx-export/ops.js';
import { buildScoringModel, referenceScores, SCORING_MODEL_NAME, SCORING_ROWS } from '../scoring/build.js';
import { sampleScoringBatch } from '../scoring/sample.js';
import { sha256 } from '../hash.js';
import { tensorInputSchema, tensorRequest } from './requests.js';
import type { ZooModel } from './types.js';

const BATCH = 16;
const inputShape = [SCORING_ROWS.length, BATCH];
const sampleBatch = (seed: number): number[] => sampleScoringBatch(seed, BATCH).flat();

export const scoringEma: ZooModel = {
  name: SCORING_MODEL_NAME,
  description: `The validator's EMA score update for ${BATCH} uids as a circuit (proof of weights)`,
  inputDoc: `rows ${SCORING_ROWS.join(', ')} × ${BATCH} uids (scores scaled by n_uids)`,
  outputDoc: 'updated scores (scaled by n_uids)',
  inputShape,
  outputShape: [1, BATCH],
  inputSchema: tensorInputSchema(inputShape),
  request: tensorRequest(inputShape, sampleBatch),
  describe: (output) => ({ value: output, summary: `${scoringEma.outputDoc}: ${output.map((v) => v.toFixed(4)).join(', ')}` }),
  acceptsCsv: false,
  sampleInput: sampleBatch,
  async train(opts) {
    const built = buildScoringModel({ batch: BATCH });
    // Float graph (onnxruntime) against the validator's exact formula on seeded batches.
    const graph = importOnnx(built.onnx, SCORING_MODEL_NAME);
    const batches = Array.from({ length: 200 }, (_, i) => sampleScoringBatch((opts.seed ?? 1) * 1000 + i, BATCH));
    const outs = await runOnnxRuntime(built.onnx, graph, batches.map((rows) => [rows.flat()]));
    let max = 0;
    let sum = 0;
    let n = 0;
    batches.forEach((rows, i) => {
      const ref = referenceScores(rows, built.cfg);
      outs[i]![0]!.forEach((v, j) => {
        const e = Math.abs(v - ref[j]!);
        max = Math.max(max, e);
        sum += e;
        n++;
      });
    });
    const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
    const card: ModelCard = {
      name: SCORING_MODEL_NAME,
      description: scoringEma.description,
      task: 'function',
      onnx: { file: 'model.onnx', sha256: sha256(built.onnx), opset: onnxOpset(built.onnx), ops: onnxOps(built.onnx) },
      input: { name: 'input', shape: inputShape, description: scoringEma.inputDoc },
      output: { name: 'output', shape: [1, BATCH], description: scoringEma.outputDoc },
      evaluation: [
        { predictor: `ONNX graph vs exact formula (${n} scores)`, metrics: { max_abs: r6(max), mean_abs: r6(sum / n) } },
        { predictor: `h(x) polynomial (degree ${2 * built.poly.coeffs.length - 1}) vs tan curve`, metrics: { max_abs: r6(built.curveMaxError) } },
      ],
      notes: [
        'In-circuit: clamp of the normalised response time, h(x) (odd polynomial fit), size penalty clamp, f clamp, EMA step for verified uids and decay for failed ones.',
        'Off-circuit (public inputs computed by the validator): min_rt/max_rt over the round, the verified bit, size/3648, and the u16 weight normalisation.',
        `Constants: w_time ${built.cfg.wTime}, w_size ${built.cfg.wSize}, w_out ${built.cfg.wOutput}, alpha ${built.cfg.alpha}, decay ${built.cfg.failDecay}; h(x) coefficients ${built.poly.coeffs.map((c) => c.toPrecision(6)).join(', ')} around ${built.poly.centre}.`,
      ],
    };
    return { onnx: built.onnx, card };
  },
};
