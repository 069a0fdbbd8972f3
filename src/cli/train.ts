import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { lineProgress } from './progress.js';
import { parseIntFlag } from './flag-values.js';
import type { ModelCard } from '../models/card.js';

function intOption(flag: string, raw: string | undefined, min: number): number | undefined {
  return raw === undefined ? undefined : parseIntFlag(raw, flag, min, Number.MAX_SAFE_INTEGER);
}

/** The evaluation table of a model card as aligned text. */
export function formatEvaluation(card: ModelCard): string {
  const rows = card.evaluation ?? [];
  if (rows.length === 0) return '';
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const table = [['predictor', ...keys], ...rows.map((r) => [r.predictor, ...keys.map((k) => (r.metrics[k] === undefined ? '' : String(r.metrics[k])))])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** `zkinfer train <model>`: train a zoo model (or build a function model), export ONNX, evaluate, save. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a zoo model with tfjs, export it to ONNX (checked in onnxruntime) and save it (names: `zkinfer models`)')
    .argument('<model>', 'zoo model name')
    .option('--data <csv>', 'CSV of real staking positions (staking-lstm, exit-mlp); default: generated data')
    .option('--seed <n>', 'seed for data generation, split, initialisation and shuffling', '1')
    .option('--epochs <n>', 'training epochs (default per model)')
    .option('--count <n>', 'number of generated examples (default per model)')
    .option('--out <dir>', 'output folder for model.onnx, model.json, calibration.json (default: ./trained/<model>)')
    .option('--save-data <csv>', 'also write the generated staking positions as CSV (the format --data reads)')
    .option('--no-progress', 'no progress bar')
    .action(async (name: string, o: { data?: string; seed: string; epochs?: string; count?: string; out?: string; saveData?: string; progress: boolean }) => {
      const [{ default: cliProgress }, { saveZooModel }, { generatePositions }, { writePositionsCsv }, { getZooModel }] = await Promise.all([
        import('cli-progress'), import('../models/save.js'), import('../models/staking/generate.js'), import('../models/staking/csv.js'), import('../models/zoo.js'),
      ]);
      const model = getZooModel(name);
      // refused before training, never a recursive mkdir on a path like /proc/x (docs/zkml-compile.md "Output directory")
      const { checkOutputDir } = await import('../out-path.js');
      checkOutputDir(resolve(o.out ?? `trained/${name}`), o.out ?? `trained/${name}`);
      const seed = intOption('--seed', o.seed, 0)!;
      const epochs = intOption('--epochs', o.epochs, 1);
      const count = intOption('--count', o.count, 20);
      if (o.data !== undefined && !model.acceptsCsv) throw new InvalidInputError(`${name} does not train from a CSV`, { hint: `--data works with: staking-lstm, exit-mlp` });
      if (o.saveData !== undefined) {
        if (!model.acceptsCsv) throw new InvalidInputError(`--save-data only applies to the staking models`);
        const { positions } = generatePositions({ count: count ?? 5000, seed });
        writePositionsCsv(o.saveData, positions);
        console.log(`wrote ${positions.length} generated positions to ${o.saveData}`);
      }
      const bar = o.progress && process.stderr.isTTY === true
        ? new cliProgress.SingleBar({ format: `training ${name} {bar} {percentage}% | batch {value}/{total} | loss {loss}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
        : undefined;
      // Not a terminal (CI, a log file): a progress line every few seconds instead of a bar.
      const lines = o.progress && !bar ? lineProgress((l) => process.stderr.write(`${l}\n`)) : undefined;
      let started = false;
      const built = await model.train({
        seed,
        ...(epochs === undefined ? {} : { epochs }),
        ...(count === undefined ? {} : { count }),
        ...(o.data === undefined ? {} : { dataFile: o.data }),
        onProgress: (done, total, loss) => {
          lines?.onProgress(`training ${name}, batch`, done, total);
          if (!bar) return;
          if (!started) {
            bar.start(total, 0, { loss: '-' });
            started = true;
          }
          bar.update(done, { loss: loss.toFixed(4) });
        },
      });
      if (started) bar?.stop();
      const out = resolve(o.out ?? `trained/${name}`);
      saveZooModel(out, model, built);
      const c = built.card;
      console.log(`${name}: ${c.description}`);
      if (c.training) console.log(`data: ${c.training.data}; train ${c.training.trainCount}, held-out ${c.training.testCount}; ${c.training.epochs} epochs in ${c.training.seconds} s`);
      console.log(formatEvaluation(c));
      if (c.exportMaxAbsDiff !== undefined) console.log(`ONNX export check (onnxruntime vs tfjs): max |diff| = ${c.exportMaxAbsDiff.toExponential(2)}`);
      console.log(`ops: ${c.onnx.ops.join(', ')}`);
      console.log(`saved ${out}/model.onnx, model.json, calibration.json`);
    });
}
