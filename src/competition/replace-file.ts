/** The competitions folder's saved files (leaderboards, audit passes; docs/competitions.md). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replace `file` with `text` atomically (written beside it, then renamed): a crash leaves the old file or the new one, never half of one. */
export function replaceFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
