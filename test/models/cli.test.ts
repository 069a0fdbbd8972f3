import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/main.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { CsvFormatError, UnknownModelError } from '../../src/models/errors.js';
import { shippedModelDir } from '../../src/models/paths.js';

/** Run `zkinfer ...args` in-process; returns what it printed with console.log. */
async function run(...args: string[]): Promise<string> {
  const program = buildProgram();
  program.exitOverride();
  const lines: string[] = [];
  const log = console.log;
  console.log = (...xs: unknown[]) => void lines.push(xs.join(' '));
  try {
    await program.parseAsync(['node', 'zkinfer', ...args]);
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

const example = join(shippedModelDir('staking-lstm'), 'example-input.json');

test('zkinfer models lists the zoo with inputs, ops and accuracy', async () => {
  const rows = JSON.parse(await run('models', '--json')) as Array<{ name: string; ops: string[]; accuracy: string; input: string }>;
  assert.deepEqual(rows.map((r) => r.name), ['staking-lstm', 'exit-mlp', 'shapes-cnn', 'scoring-ema']);
  assert.deepEqual(rows[0]!.ops, ['LSTM', 'Reshape', 'Gemm']);
  assert.match(rows[0]!.accuracy, /^mae_days \d+(\.\d+)? \(baseline \d+(\.\d+)?\)$/);
  assert.match(rows[0]!.input, /^\[5,1,8\]/);
  const text = await run('models');
  assert.match(text, /staking-lstm — /);
  assert.match(text, /prove time/);
  const schema = JSON.parse(await run('models', '--schema', 'shapes-cnn')) as { properties: { input: { minItems: number } } };
  assert.equal(schema.properties.input.minItems, 1);
});

test('zkinfer predict staking-lstm prints days', async () => {
  assert.match(await run('predict', 'staking-lstm', '--input', example), /^predicted staking duration: \d+ days ≈ [\d.]+ months/);
  const json = JSON.parse(await run('predict', 'staking-lstm', '--input', example, '--json')) as { prediction: number };
  assert.ok(json.prediction >= 5 && json.prediction <= 365);
});

test('CLI errors are typed and say what is wrong', async () => {
  await assert.rejects(run('predict', 'nope', '--input', example), UnknownModelError);
  await assert.rejects(run('train', 'staking-lstm', '--epochs', '0'), InvalidInputError);
  await assert.rejects(run('train', 'shapes-cnn', '--data', 'x.csv'), InvalidInputError);
  const dir = mkdtempSync(join(tmpdir(), 'zk-cli-'));
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 'position_id,start_date,day\np1,2024-01-01,0\n');
  await assert.rejects(run('train', 'staking-lstm', '--data', csv, '--out', dir), (e: unknown) => e instanceof CsvFormatError && e.row === 1 && e.column === 'token');
  const badInput = join(dir, 'bad.json');
  writeFileSync(badInput, JSON.stringify({ token: 'stETH', deposit_eth: 1, days: [] }));
  await assert.rejects(run('predict', 'staking-lstm', '--input', badInput), (e: unknown) => e instanceof InvalidInputError && /days/.test(e.message));
});
