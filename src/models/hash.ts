import { createHash } from 'node:crypto';

/** sha256 (hex) of bytes, e.g. an ONNX file for its model card. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
