import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard } from './card.js';
import type { ModelPlugin } from './zoo/types.js';

/** Number of seeded sample inputs (plus one extreme sample for bounded inputs) written to calibration.json (what `zkinfer compile --calibration` reads). */
export const CALIBRATION_SAMPLES = 16;

/** EZKL-style input data: `{"input_data": [[...k samples concatenated...]]}` for a one-input model. */
export function calibrationData(model: ModelPlugin, card: ModelCard | undefined, count = CALIBRATION_SAMPLES, seed = 1): { input_data: number[][] } {
  const flat: number[] = [];
  for (let i = 0; i < count; i++) flat.push(...model.sampleInput(seed * 7919 + i, card));
  if (model.inputBound !== undefined) {
    // one extreme sample (±bound, alternating) so the circuit's input range covers every valid input
    const n = model.inputShape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) flat.push(i % 2 === 0 ? model.inputBound : -model.inputBound);
  }
  return { input_data: [flat] };
}

export function writeCalibration(dir: string, model: ModelPlugin, card: ModelCard | undefined): void {
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(calibrationData(model, card)) + '\n');
}
