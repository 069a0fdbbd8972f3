/** Mean absolute error. */
export function mae(pred: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i]! - actual[i]!);
  return s / pred.length;
}

/** Root mean squared error. */
export function rmse(pred: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i]! - actual[i]!) ** 2;
  return Math.sqrt(s / pred.length);
}

/** Fraction of argmax predictions equal to the label. */
export function accuracy(predLabels: readonly number[], labels: readonly number[]): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (predLabels[i] === labels[i]) ok++;
  return ok / labels.length;
}
