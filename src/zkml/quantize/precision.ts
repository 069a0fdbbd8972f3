import { z } from 'zod';
import { InvalidInputError } from '../../errors/base.js';
import type { ActFn, ActShape } from './activation.js';

/**
 * Precision presets (`zkinfer compile --precision fast|balanced|accurate`, docs/zkml-compile.md "Precision presets"):
 * each trades constraints for error through the activation tables (more segments), the fractional bits of the
 * weights beyond the working scale, the offset bits the tables read, and the error goal the working scale is chosen
 * for on the calibration samples.
 */
export const PRECISIONS = ['fast', 'balanced', 'accurate'] as const;
export const PrecisionSchema = z.enum(PRECISIONS);
export type Precision = z.infer<typeof PrecisionSchema>;
export const DEFAULT_PRECISION: Precision = 'balanced';

/** exp16 / log17 / sin / cos (Exp, Softmax, LogSoftmax, Log, Tan: lower-nonlinear.ts) use 128 segments in every preset. */
const NONLINEAR_TABLES = { exp16: { k: 3, j: 6 }, log17: { k: 3, j: 6 }, sin: { k: 1, j: 6 }, cos: { k: 1, j: 6 } } as const;

export interface PrecisionPreset {
  name: Precision;
  /** Window and segment count of each activation table. */
  act: Readonly<Record<ActFn, ActShape>>;
  /** Fractional bits of constant weights beyond the working scale s (per tensor, fewer for weights ≥ 1). */
  weightBits: number;
  /** Fractional bits of a table's in-segment offset beyond s (free: the bits are decomposed anyway). */
  offsetBits: number;
  /** Extra output bits of a table (its slope's rounding moves y by 2^−(s + outBits) at most). */
  outBits: number;
  /** Working scales tried on the calibration samples, in order of cost. */
  scales: readonly number[];
  /** Scale used when no calibration file is given. */
  defaultScale: number;
  /** Error goal on the calibration samples: max abs error ≤ max(abs, rel · max |output|). */
  goal: { abs: number; rel: number };
  /**
   * Other table settings the calibration search also tries (compile.ts choosePrecision): each overrides the fields
   * it names; the cheapest setting × scale that meets the goal wins (docs/zkml-compile.md "Precision presets").
   */
  variants?: ReadonlyArray<TableVariant>;
  /**
   * Extra fractional bits of an LSTM's h between steps, taken from R's weight bits (docs/zkml-compile.md "Precision
   * presets"): the h rescale keeps its width (one quotient bit more, one remainder bit less) and R·h its scale, so it
   * costs no constraint; it moves error from h's rounding (fed back every step) to R's. Absent: 0.
   */
  lstmHBits?: number;
  /**
   * Extra fractional bits of a graph input read only as an LSTM's X (docs/zkml-compile.md "LSTM precision"): the
   * input is quantized at s + lstmInBits, W and R keep their bits, and the gate sums are that much finer (each gate
   * table's decomposition one bit wider per bit, and each input element's range check). Absent: 0.
   */
  lstmInBits?: number;
  /**
   * Extra selector bits (2^lstmLastJ times the segments) of tanh(c') on an LSTM's last step when its h flows unrescaled
   * into the outputs (docs/zkml-compile.md "LSTM precision"): that table's error reaches the outputs undamped. Absent: 0.
   */
  lstmLastJ?: number;
  /**
   * Fewer selector bits (2^−lstmEarlyJ times the segments) of the i, f and o gate sigmoids on an LSTM's steps before
   * its last 3 (docs/zkml-compile.md "LSTM precision"): their error is damped by ≥ 3 forget gates. Absent: 0.
   */
  lstmEarlyJ?: number;
  /**
   * Round an LSTM's cell state to its scale between steps instead of flooring it (docs/zkml-compile.md "LSTM
   * precision"): no floor bias, at no constraint. Absent: floored (`fast`, whose coarse scales were searched with it).
   */
  lstmRoundC?: boolean;
  /**
   * Calibrated activation windows (docs/zkml-compile.md "Calibrated activation windows"): with at least `minSamples`
   * calibration samples, each sigmoid/tanh/erf table's window is shrunk (same segment width) to cover its input's
   * calibrated range widened by abs + sd × the input's standard deviation over the samples on each side (a margin
   * from the calibration statistics: inputs the samples did not see land inside it). Absent: the preset's windows.
   */
  windowMargin?: { abs: number; sd: number; minSamples: number };
  /**
   * Per-tensor scales (docs/zkml-compile.md "Per-tensor scales", tensor-scales.ts): graph inputs and Relu outputs
   * that only feed constant-linear ops get their own scale from the calibrated range. The calibration search
   * (compile.ts choosePrecision) sets it on a candidate when the preset's `searchTensorScales` is on; kept only
   * where it measurably wins.
   */
  tensorScales?: boolean;
  /** Let the calibration search try per-tensor scales beside the working scale alone. Absent: never. */
  searchTensorScales?: boolean;
}

/** A preset's table settings that a variant may override. */
export type TableVariant = Partial<Pick<PrecisionPreset, 'weightBits' | 'offsetBits' | 'outBits' | 'lstmHBits' | 'lstmInBits' | 'lstmLastJ' | 'lstmEarlyJ' | 'scales'>> & { act?: Partial<Record<ActFn, ActShape>> };

/** The preset itself, then each of its variants applied to it (without further variants). */
export function presetVariants(p: PrecisionPreset): PrecisionPreset[] {
  const { variants, ...base } = p;
  return [base, ...(variants ?? []).map((v) => ({ ...base, ...v, act: { ...base.act, ...v.act } }))];
}

/** balanced's first table variant (the comment at its use in PRESETS). */
const BALANCED_V1: TableVariant = { act: { sigmoid: { k: 3, j: 5, offsetBits: -2 } }, weightBits: 3, offsetBits: 0, outBits: 0, lstmHBits: 1, lstmLastJ: 1 };

export const PRESETS: Readonly<Record<Precision, PrecisionPreset>> = {
  fast: {
    name: 'fast',
    act: { sigmoid: { k: 3, j: 3 }, tanh: { k: 2, j: 4 }, erf: { k: 2, j: 4 }, ...NONLINEAR_TABLES },
    weightBits: 0, offsetBits: 0, outBits: 0, scales: [6, 7, 8, 10, 12], defaultScale: 8,
    goal: { abs: 1e-2, rel: 1e-2 },
  },
  balanced: {
    name: 'balanced',
    act: { sigmoid: { k: 3, j: 4 }, tanh: { k: 2, j: 5 }, erf: { k: 2, j: 5 }, ...NONLINEAR_TABLES },
    weightBits: 2, offsetBits: 2, outBits: 2, scales: [8, 9, 10, 11, 12], defaultScale: 10,
    goal: { abs: 1e-3, rel: 1e-3 },
    lstmRoundC: true,
    windowMargin: { abs: 1, sd: 3, minSamples: 8 },
    searchTensorScales: true,
    // twice the sigmoid segments and one more weight bit, but the tables read their offset at s (the sigmoid at s − 2:
    // its slope ≤ 1/4 makes that truncation ≤ 2^−(s+1)) and add no output bits: cheaper where the sigmoid's error
    // dominates; and h one bit finer between LSTM steps (docs/zkml-compile.md "Precision presets")
    // The second is the first for an LSTM that reads a graph input: that input one bit finer, c and tanh/erf offsets
    // one bit finer, h two, and half the gate sigmoids' segments before the last 3 steps (docs/zkml-compile.md "LSTM
    // precision"); searched from the default scale up (at 9 it meets the relative goal on the staking LSTM's 16
    // calibration samples by 1e-5, but not 1e-3 on held-out inputs: 1.8e-3)
    variants: [BALANCED_V1, { ...BALANCED_V1, offsetBits: 1, lstmHBits: 2, lstmInBits: 1, lstmEarlyJ: 1, scales: [10, 11, 12] }],
  },
  accurate: {
    name: 'accurate',
    act: { sigmoid: { k: 3, j: 5 }, tanh: { k: 3, j: 7 }, erf: { k: 3, j: 7 }, ...NONLINEAR_TABLES },
    weightBits: 4, offsetBits: 4, outBits: 4, scales: [10, 11, 12, 13, 14], defaultScale: 12,
    goal: { abs: 2e-4, rel: 2e-4 },
    lstmRoundC: true,
    searchTensorScales: true,
  },
};

/** The error the preset aims for, given the largest |output| on the calibration samples. */
export function errorGoal(p: PrecisionPreset, outputMagnitude: number): number {
  return Math.max(p.goal.abs, p.goal.rel * outputMagnitude);
}

/** A `--precision` value, or a clear error naming the presets. */
export function parsePrecision(v: string | undefined): Precision {
  if (v === undefined) return DEFAULT_PRECISION;
  const p = PrecisionSchema.safeParse(v);
  if (!p.success) throw new InvalidInputError(`--precision must be one of ${PRECISIONS.join(', ')}, got "${v}"`, { hint: 'fast: fewest constraints; balanced (default); accurate: smallest error' });
  return p.data;
}

