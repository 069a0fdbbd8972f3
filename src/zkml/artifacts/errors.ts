import { ZkinferError } from '../../errors/base.js';

/** A circuit artifacts directory is missing a file, has a malformed metadata.json, or a file's hash does not match. */
export class ArtifactsError extends ZkinferError {
  override readonly name = 'ArtifactsError';
  constructor(code: 'ARTIFACTS_MISSING' | 'ARTIFACTS_INVALID' | 'ARTIFACT_HASH_MISMATCH' | 'CIRCUIT_ID_MISMATCH', message: string,
    opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, opts);
  }
}
