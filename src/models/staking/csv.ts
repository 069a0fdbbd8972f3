import { readFileSync, writeFileSync } from 'node:fs';
import { CsvFormatError } from '../errors.js';
import { DaySnapshotSchema, MAX_DURATION_DAYS, SEQ_LEN, type DaySnapshot, type StakingPosition } from './schema.js';
import { TOKENS, type Token } from './tokens.js';

/** CSV columns, one row per position per day (days 0..SEQ_LEN-1; later days are allowed and ignored). */
export const CSV_COLUMNS = [
  'position_id',
  'start_date',
  'day',
  'token',
  'deposit_eth',
  'balance_eth',
  'apr_pct',
  'gas_gwei',
  'eth_price_usd',
  'eth_vol_pct',
  'withdraw_queue_days',
  'points_per_eth_day',
  'duration_days',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** Write positions as CSV (the format `loadPositionsCsv` reads). */
export function positionsToCsv(positions: readonly StakingPosition[]): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const p of positions) {
    p.days.forEach((d, day) => {
      lines.push(
        [p.id, p.start_date, day, p.token, p.deposit_eth, d.balance_eth, d.apr_pct, d.gas_gwei, d.eth_price_usd, d.eth_vol_pct, d.withdraw_queue_days, d.points_per_eth_day, p.duration_days].join(','),
      );
    });
  }
  return lines.join('\n') + '\n';
}

export function writePositionsCsv(file: string, positions: readonly StakingPosition[]): void {
  writeFileSync(file, positionsToCsv(positions));
}

/** Read a CSV file of positions; every problem is a CsvFormatError naming the file, row and column. */
export function loadPositionsCsv(file: string): StakingPosition[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CsvFormatError(file, undefined, undefined, `cannot read the file (${(err as Error).message})`, 'check the --data path');
  }
  return parsePositionsCsv(text, file);
}

interface Pending {
  firstRow: number;
  token: Token;
  deposit: number;
  startDate: string;
  duration: number;
  days: Map<number, DaySnapshot>;
}

/** Split one CSV line on commas; a cell wrapped in double quotes is unwrapped (commas inside quotes are not supported). */
function splitCells(line: string): string[] {
  return line.split(',').map((c) => {
    const t = c.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

/** Parse CSV text (see CSV_COLUMNS); `file` is only used in error messages. */
export function parsePositionsCsv(text: string, file = '<csv>'): StakingPosition[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/); // tolerate a UTF-8 BOM (spreadsheet exports)
  const header = lines[0]?.trim() ?? '';
  if (header === '') throw new CsvFormatError(file, 1, undefined, 'the file is empty', `the first line must be the header: ${CSV_COLUMNS.join(',')}`);
  const names = splitCells(header);
  const index = new Map<Column, number>();
  for (const col of CSV_COLUMNS) {
    const i = names.indexOf(col);
    if (i < 0) throw new CsvFormatError(file, 1, col, `missing column "${col}"`, `the header must contain: ${CSV_COLUMNS.join(',')}`);
    index.set(col, i);
  }
  const byId = new Map<string, Pending>();
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const row = li + 1;
    const cells = splitCells(line);
    if (cells.length !== names.length) throw new CsvFormatError(file, row, undefined, `has ${cells.length} fields, the header has ${names.length}`);
    const cell = (c: Column): string => cells[index.get(c)!]!;
    const num = (c: Column, check: (x: number) => boolean, want: string): number => {
      const raw = cell(c);
      const x = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(x) || !check(x)) throw new CsvFormatError(file, row, c, `"${raw}" is not ${want}`);
      return x;
    };
    const id = cell('position_id');
    if (id === '') throw new CsvFormatError(file, row, 'position_id', 'is empty');
    const tokenRaw = cell('token');
    if (!(TOKENS as readonly string[]).includes(tokenRaw)) {
      throw new CsvFormatError(file, row, 'token', `"${tokenRaw}" is not a supported token`, `use one of: ${TOKENS.join(', ')}`);
    }
    const token = tokenRaw as Token;
    const startDate = cell('start_date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(Date.parse(`${startDate}T00:00:00Z`))) {
      throw new CsvFormatError(file, row, 'start_date', `"${startDate}" is not a date (YYYY-MM-DD)`);
    }
    const day = num('day', (x) => Number.isInteger(x) && x >= 0, 'a whole number of days ≥ 0');
    const deposit = num('deposit_eth', (x) => x > 0, 'a positive amount of ETH');
    const duration = num('duration_days', (x) => x >= SEQ_LEN, `a duration ≥ ${SEQ_LEN} days (the model observes the first ${SEQ_LEN} days)`);
    const snapshot = {
      balance_eth: num('balance_eth', (x) => x > 0, 'a positive amount of ETH'),
      apr_pct: num('apr_pct', () => true, 'a number'),
      gas_gwei: num('gas_gwei', () => true, 'a number'),
      eth_price_usd: num('eth_price_usd', () => true, 'a number'),
      eth_vol_pct: num('eth_vol_pct', () => true, 'a number'),
      withdraw_queue_days: num('withdraw_queue_days', () => true, 'a number'),
      points_per_eth_day: num('points_per_eth_day', () => true, 'a number'),
    };
    const parsed = DaySnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const col = String(issue.path[0]) as Column;
      throw new CsvFormatError(file, row, col, `${snapshot[col as keyof typeof snapshot]} is out of range (${issue.message})`);
    }
    let p = byId.get(id);
    if (p === undefined) {
      p = { firstRow: row, token, deposit, startDate, duration, days: new Map() };
      byId.set(id, p);
    } else {
      const same: Array<[Column, unknown, unknown]> = [
        ['token', p.token, token],
        ['deposit_eth', p.deposit, deposit],
        ['start_date', p.startDate, startDate],
        ['duration_days', p.duration, duration],
      ];
      for (const [col, a, b] of same) {
        if (a !== b) throw new CsvFormatError(file, row, col, `position "${id}" has ${col}=${String(b)} here but ${String(a)} on row ${p.firstRow}`, 'a position\'s token, deposit, start date and duration must be the same on all its rows');
      }
    }
    if (p.days.has(day)) throw new CsvFormatError(file, row, 'day', `position "${id}" already has a row for day ${day}`);
    p.days.set(day, parsed.data);
  }
  const out: StakingPosition[] = [];
  for (const [id, p] of byId) {
    const days: DaySnapshot[] = [];
    for (let d = 0; d < SEQ_LEN; d++) {
      const s = p.days.get(d);
      if (s === undefined) throw new CsvFormatError(file, p.firstRow, 'day', `position "${id}" (first seen on this row) has no row for day ${d}`, `each position needs rows for days 0..${SEQ_LEN - 1}`);
      days.push(s);
    }
    out.push({ id, token: p.token, deposit_eth: p.deposit, start_date: p.startDate, days, duration_days: Math.min(p.duration, MAX_DURATION_DAYS) });
  }
  if (out.length === 0) throw new CsvFormatError(file, undefined, undefined, 'contains no positions', 'add at least one position (rows for days 0..4)');
  return out;
}
