import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ModelCard } from '../models/card.js';

/** Headline accuracy of a card: the model's first metric next to the best baseline's. */
function accuracyLine(card: ModelCard | undefined): string {
  const rows = card?.evaluation ?? [];
  if (rows.length === 0) return 'n/a';
  const [first, ...rest] = rows;
  const key = Object.keys(first!.metrics)[0]!;
  const base = card?.task === 'function' ? undefined : rest.find((r) => r.metrics[key] !== undefined);
  return `${key} ${first!.metrics[key]}` + (base ? ` (baseline ${base.metrics[key]})` : '');
}

export interface ZooListing {
  name: string;
  description: string;
  input: string;
  output: string;
  ops: string[];
  accuracy: string;
  constraints: number | null;
  quantMaxAbs: number | null;
  proveMs: number | null;
}

/** One row per zoo model from the shipped model cards, the last compile and the last bench. */
export async function listZoo(): Promise<ZooListing[]> {
  const [{ readModelCard }, { readBenchResults, readCompiledMetadata }, { shippedModelDir }, { ZOO }] = await Promise.all([
    import('../models/card.js'), import('../models/compiled.js'), import('../models/paths.js'), import('../models/zoo.js'),
  ]);
  const bench = readBenchResults();
  return ZOO.map((m) => {
    const dir = shippedModelDir(m.name);
    const card = existsSync(dir) ? readModelCard(dir) : undefined;
    const md = readCompiledMetadata(m.name);
    const b = bench[m.name];
    return {
      name: m.name,
      description: m.description,
      input: `[${m.inputShape.join(',')}] ${m.inputDoc}`,
      output: `[${m.outputShape.join(',')}] ${m.outputDoc}`,
      ops: card?.onnx.ops ?? [],
      accuracy: accuracyLine(card),
      constraints: b?.constraints ?? md?.constraints ?? null,
      quantMaxAbs: b?.quantMaxAbs ?? md?.error?.maxAbs ?? null,
      proveMs: b?.proveMedianMs ?? null,
    };
  });
}

/** `zkinfer models [--json] [--schema NAME]` */
export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list the model zoo: inputs/outputs, ops, accuracy, constraints, quantization error, prove time of the last bench')
    .option('--json', 'print JSON')
    .option('--schema <model>', "print a model's request JSON Schema (zod → JSON Schema)")
    .action(async (o: { json?: boolean; schema?: string }) => {
      if (o.schema !== undefined) {
        const [{ z }, { getZooModel }] = await Promise.all([import('zod'), import('../models/zoo.js')]);
        console.log(JSON.stringify(z.toJSONSchema(getZooModel(o.schema).request.schema), null, 2));
        return;
      }
      const rows = await listZoo();
      if (o.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      for (const r of rows) {
        console.log(`${r.name} — ${r.description}`);
        console.log(`  input        ${r.input}`);
        console.log(`  output       ${r.output}`);
        console.log(`  ops          ${r.ops.join(', ') || 'n/a'}`);
        console.log(`  accuracy     ${r.accuracy}`);
        console.log(`  constraints  ${r.constraints ?? 'n/a (not compiled here: zkinfer predict --prove, or npm run bench:models)'}`);
        console.log(`  quant error  ${r.quantMaxAbs === null ? 'n/a' : `max |circuit − float| ${r.quantMaxAbs.toExponential(2)}`}`);
        console.log(`  prove time   ${r.proveMs === null ? 'n/a (run npm run bench:models)' : `${Math.round(r.proveMs)} ms (median, last bench)`}`);
      }
    });
}
