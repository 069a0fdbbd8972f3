import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePositions } from '../../src/models/staking/generate.js';
import { loadPositionsCsv, parsePositionsCsv, positionsToCsv, CSV_COLUMNS } from '../../src/models/staking/csv.js';
import { CsvFormatError } from '../../src/models/errors.js';

const sample = generatePositions({ count: 3, seed: 5 }).positions;
const good = positionsToCsv(sample);
const lines = good.trimEnd().split('\n');

/** Replace one cell of data line `line` (1-based file line) in column `col`. */
function withCell(line: number, col: string, value: string): string {
  const copy = [...lines];
  const cells = copy[line - 1]!.split(',');
  cells[CSV_COLUMNS.indexOf(col as (typeof CSV_COLUMNS)[number])] = value;
  copy[line - 1] = cells.join(',');
  return copy.join('\n');
}

function assertCsvError(text: string, row: number | undefined, column: string | undefined, pattern: RegExp): void {
  assert.throws(
    () => parsePositionsCsv(text, 'positions.csv'),
    (err: unknown) => {
      assert.ok(err instanceof CsvFormatError, `got ${String(err)}`);
      assert.equal(err.row, row);
      assert.equal(err.column, column);
      assert.match(err.message, pattern);
      assert.match(err.message, /^positions\.csv/);
      return true;
    },
  );
}

test('CSV round-trips generated positions exactly', () => {
  assert.deepEqual(parsePositionsCsv(good), sample);
  const dir = mkdtempSync(join(tmpdir(), 'zk-csv-'));
  writeFileSync(join(dir, 'p.csv'), good);
  assert.deepEqual(loadPositionsCsv(join(dir, 'p.csv')), sample);
});

test('CSV: rows may come in any order, later days are ignored, CRLF is fine', () => {
  const extra = lines[1]!.split(',');
  extra[CSV_COLUMNS.indexOf('day')] = '9';
  const shuffled = [lines[0]!, ...lines.slice(1).reverse(), extra.join(',')].join('\r\n');
  const byId = new Map(parsePositionsCsv(shuffled).map((p) => [p.id, p]));
  for (const p of sample) assert.deepEqual(byId.get(p.id), p);
});

test('CSV: a BOM and double-quoted cells (spreadsheet exports) are accepted', () => {
  const quoted = '\uFEFF' + lines.map((l) => l.split(',').map((c) => `"${c}"`).join(',')).join('\n');
  assert.deepEqual(parsePositionsCsv(quoted), sample);
});

test('CSV errors name the row and column', () => {
  assertCsvError(withCell(3, 'apr_pct', 'abc'), 3, 'apr_pct', /"abc" is not a number/);
  assertCsvError(withCell(4, 'gas_gwei', ''), 4, 'gas_gwei', /is not a number/);
  assertCsvError(withCell(2, 'token', 'DOGE'), 2, 'token', /"DOGE" is not a supported token/);
  assertCsvError(withCell(5, 'balance_eth', '-1'), 5, 'balance_eth', /positive/);
  assertCsvError(withCell(6, 'eth_vol_pct', '-3'), 6, 'eth_vol_pct', /out of range/);
  assertCsvError(withCell(2, 'duration_days', '2'), 2, 'duration_days', /≥ 5/);
  assertCsvError(withCell(3, 'start_date', '2024-13-45x'), 3, 'start_date', /not a date/);
  assertCsvError(withCell(3, 'deposit_eth', '99'), 3, 'deposit_eth', /row 2/);
  assertCsvError(withCell(3, 'day', '0'), 3, 'day', /already has a row for day 0/);
  assertCsvError(withCell(3, 'day', '1.5'), 3, 'day', /whole number/);
});

test('CSV structural errors: header, field count, missing day, empty file', () => {
  assertCsvError('', 1, undefined, /empty/);
  assertCsvError(good.replace('apr_pct,', 'apr,'), 1, 'apr_pct', /missing column "apr_pct"/);
  const short = [...lines];
  short[2] = short[2]!.split(',').slice(0, 5).join(',');
  assertCsvError(short.join('\n'), 3, undefined, /has 5 fields/);
  const missing = lines.filter((_, i) => i !== 3).join('\n'); // drop day 2 of the first position
  assertCsvError(missing, 2, 'day', /no row for day 2/);
  assertCsvError(lines[0]! + '\n', undefined, undefined, /no positions/);
});

test('CSV: unreadable file is a typed error', () => {
  assert.throws(() => loadPositionsCsv('/nonexistent/positions.csv'), CsvFormatError);
});
