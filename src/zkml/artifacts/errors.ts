import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** A circuit artifacts directory is missing a file, has a malformed metadata.json, or a file's hash does not match. */
export class ArtifactsError extends ZkinferError {
  override readonly name = 'ArtifactsError';
  constructor(code: 'ARTIFACTS_MISSING' | 'ARTIFACTS_INVALID' | 'ARTIFACT_HASH_MISMATCH' | 'CIRCUIT_ID_MISMATCH' | 'ZKEY_VK_MISMATCH' | 'METADATA_INCONSISTENT', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
