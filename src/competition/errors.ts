import { ZkinferError } from '../errors/base.js';

/** A competition name that no task has. */
export class UnknownCompetitionError extends ZkinferError {
  override readonly name = 'UnknownCompetitionError';
  constructor(name: string, known: readonly string[]) {
    super('UNKNOWN_COMPETITION', `no competition named "${name}"`, { hint: `choose one of: ${known.join(', ')} (see \`zkinfer competition list\`)` });
  }
}

/** A submitted circuit does not fit its task (inputs/outputs, or it is no circuit at all). */
export class SubmissionMismatchError extends ZkinferError {
  override readonly name = 'SubmissionMismatchError';
  constructor(message: string, hint: string) {
    super('SUBMISSION_MISMATCH', message, { hint });
  }
}
