import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCalibration } from './calibration.js';
import { writeModelCard } from './card.js';
import type { BuiltModel, ZooModel } from './zoo/types.js';

/** Write a trained/built zoo model into `dir`: model.onnx, model.json and calibration.json. */
export function saveZooModel(dir: string, model: ZooModel, built: BuiltModel): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), built.onnx);
  writeModelCard(dir, built.card);
  writeCalibration(dir, model, built.card);
}
