/** Task `staking-duration` (docs/competitions.md): the zoo's staking positions, ranked by MAE in days. */
import { OnnxBuilder } from '../../zkml/onnx/write.js';
import { calibrationData } from '../../models/calibration.js';
import { readModelCard } from '../../models/card.js';
import { shippedModelDir } from '../../models/paths.js';
import { decodeDuration, encodePosition, N_FEATURES, Z_CLAMP, type Normalisation } from '../../models/staking/features.js';
import { generatePositions } from '../../models/staking/generate.js';
import { MAX_DURATION_DAYS, SEQ_LEN } from '../../models/staking/schema.js';
import { STAKING_MODEL_NAME } from '../../models/staking/train.js';
import { stakingLstm } from '../../models/zoo/staking-lstm.js';
import { tensorInputSchema } from '../../models/zoo/requests.js';
import { ridgeFit } from '../fit.js';
import type { CompetitionTask, EvalItem } from '../task.js';

export const STAKING_TASK = 'staking-duration';
const inputShape = [SEQ_LEN, 1, N_FEATURES];

/** The staking models' normalisation (shipped staking-lstm card): inputs are z-scored with it, outputs decoded with it. */
function norm(): Normalisation {
  return readModelCard(shippedModelDir(STAKING_MODEL_NAME)).normalisation!;
}

/** Proven z-scored output → days, clipped to the data's range (as `zkinfer predict` does). */
function days(y: number, n: Normalisation): number {
  return Math.min(MAX_DURATION_DAYS, Math.max(SEQ_LEN, decodeDuration(y, n)));
}

/** A linear model over the 5×8 features as ONNX (Flatten → Gemm): `w` 40 weights, `b` the bias (z-scored duration). */
export function stakingLinearOnnx(w: readonly number[], b: number, name = STAKING_TASK): Uint8Array {
  const o = new OnnxBuilder(name);
  o.input('input', inputShape);
  o.node('Flatten', ['input'], ['flat'], { axis: 0 });
  o.node('Gemm', ['flat', o.init('W', [1, w.length], w), o.init('b', [1], [b])], ['output'], { transB: 1 });
  o.output('output', [1, 1]);
  return o.toBytes();
}

export const stakingTask: CompetitionTask = {
  name: STAKING_TASK,
  description: 'Predict how many days a liquid-staking position stays staked from its first 5 days; ranked by MAE on hidden positions',
  inputDoc: stakingLstm.inputDoc,
  outputDoc: stakingLstm.outputDoc,
  inputShape,
  outputShape: [1, 1],
  inputSchema: tensorInputSchema(inputShape),
  request: stakingLstm.request,
  describe: stakingLstm.describe,
  sampleInput: stakingLstm.sampleInput,
  inputBound: Z_CLAMP,
  competition: {
    evalCount: 24,
    draw(seed: number, count: number): EvalItem[] {
      const n = norm();
      return generatePositions({ count, seed }).positions.map((p) => ({ input: encodePosition(p, n).flat(), truth: p.duration_days }));
    },
    metric: {
      name: 'mae_days',
      doc: 'mean |predicted − true| days over hidden positions (no valid proof = the mean-duration guess); output score = R / (R + MAE), R = MAE of the mean-duration guess (0.5 for that guess, 1 for exact)',
      evaluate(outputs, items) {
        const n = norm();
        const guess = (i: number): number => (outputs[i] === undefined ? n.targetMean : days(outputs[i]![0]!, n));
        const mae = items.reduce((a, it, i) => a + Math.abs(guess(i) - it.truth), 0) / Math.max(1, items.length);
        const ref = items.reduce((a, it) => a + Math.abs(n.targetMean - it.truth), 0) / Math.max(1, items.length);
        return { value: mae, score: ref + mae > 0 ? ref / (ref + mae) : 1 };
      },
    },
    weights: { accuracy: 0.9, proofSize: 0.05, proveTime: 0.05 },
    startBlock: 0,
    deadlineBlocks: 1_000_000,
    baseline() {
      const n = norm();
      const { positions } = generatePositions({ count: 2000, seed: 20261205 });
      const fit = ridgeFit(positions.map((p) => encodePosition(p, n).flat()), positions.map((p) => [(p.duration_days - n.targetMean) / n.targetStd]), 1);
      return {
        onnx: stakingLinearOnnx(fit.W[0]!, fit.b[0]!),
        calibration: calibrationData(stakingTask, undefined),
        doc: 'ridge regression over the 5×8 z-scored features (Flatten → Gemm), 2000 seeded training positions',
      };
    },
  },
};
