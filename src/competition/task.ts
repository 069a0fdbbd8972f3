/**
 * A competition task (docs/competitions.md): a model plugin (request schema, encoder, output description) plus
 * what the validator needs to rank submissions — the hidden evaluation set with its ground truth, the metric,
 * the weights of accuracy / proof size / prove time, the deadline, and a baseline model.
 */
import type { ModelPlugin } from '../models/zoo/types.js';

/** One hidden evaluation item: the circuit input (flat, the task's input layout) and its ground truth. */
export interface EvalItem {
  input: number[];
  truth: number;
}

export interface MetricResult {
  /** The metric in its own unit (accuracy, MAE in days, …). */
  value: number;
  /** Output score in [0, 1] (1 best): the scoring formula's output_score. */
  score: number;
}

export interface TaskMetric {
  /** e.g. `accuracy`, `mae_days`. */
  name: string;
  /** One line: how the metric and its output score are computed. */
  doc: string;
  /** `outputs[i]` is the proven output for item i, or undefined when the miner gave no valid proof (counted as a miss). */
  evaluate(outputs: ReadonlyArray<readonly number[] | undefined>, items: readonly EvalItem[]): MetricResult;
}

/** Weights of the final score: w_acc·output_score + w_time·(1 − h(time)) − w_size·(proof size / 3648), clamped to [0, 1]. */
export interface TaskWeights {
  accuracy: number;
  proofSize: number;
  proveTime: number;
}

/** A baseline submission: ONNX to compile with `zkinfer compile --calibration`, and its calibration data. */
export interface Baseline {
  onnx: Uint8Array;
  calibration: { input_data: number[][] };
  /** What it is (one line, shown by `competition show`). */
  doc: string;
}

export interface CompetitionSpec {
  /** Size of the hidden evaluation set a validator draws for each evaluation. */
  evalCount: number;
  /** The hidden evaluation set drawn from a seed only the validator knows (fresh for each evaluation). */
  draw(seed: number, count: number): EvalItem[];
  metric: TaskMetric;
  weights: TaskWeights;
  /** Commitments are accepted up to this many blocks after `startBlock`; later ones are listed as late. */
  startBlock: number;
  deadlineBlocks: number;
  baseline(): Baseline;
}

/** A competition task is just another model plugin, with its competition spec. */
export interface CompetitionTask extends ModelPlugin {
  competition: CompetitionSpec;
}
