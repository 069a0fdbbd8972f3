import { ZkinferError } from '../errors/base.js';

/** A CSV file of staking positions has a bad header, row or value. `row` is the 1-based line number in the file. */
export class CsvFormatError extends ZkinferError {
  override readonly name = 'CsvFormatError';
  readonly file: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  constructor(file: string, row: number | undefined, column: string | undefined, problem: string, hint?: string) {
    const where = row === undefined ? file : column === undefined ? `${file} row ${row}` : `${file} row ${row}, column "${column}"`;
    super('CSV_INVALID', `${where}: ${problem}`, {
      hint: hint ?? 'fix that value (see models/staking-lstm/README.md for the columns and units), or drop the row',
      details: { file, row, column },
    });
    this.file = file;
    this.row = row;
    this.column = column;
  }
}

/** A model name that is not in the zoo. */
export class UnknownModelError extends ZkinferError {
  override readonly name = 'UnknownModelError';
  constructor(name: string, known: readonly string[]) {
    super('UNKNOWN_MODEL', `no model named "${name}" in the zoo`, { hint: `choose one of: ${known.join(', ')} (see \`zkinfer models\`)` });
  }
}

/** A model's shipped or trained files are missing or unreadable. */
export class ModelFilesError extends ZkinferError {
  override readonly name = 'ModelFilesError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('MODEL_FILES', message, { hint, cause });
  }
}

/** Training could not run (too little data, bad options). */
export class TrainingError extends ZkinferError {
  override readonly name = 'TrainingError';
  constructor(message: string, hint: string) {
    super('TRAINING_FAILED', message, { hint });
  }
}
