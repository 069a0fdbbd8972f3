// sha256File (src/zkml/artifacts/files.ts), read in 1 MiB chunks into one buffer: empty, small, exact-chunk and
// multi-chunk files (the last one sparse, 64 MiB + 4097 bytes) hash as coreutils' sha256sum says.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sha256File } from '../../src/zkml/artifacts/files.js';

const dir = mkdtempSync(join(tmpdir(), 'zkinfer-sha256-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha256sum = (path: string): string => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;

test('empty, small, one-chunk and multi-chunk files hash as sha256sum says', async () => {
  const files: Record<string, string> = { small: join(dir, 'small'), empty: join(dir, 'empty'), chunk: join(dir, 'chunk'), mid: join(dir, 'mid'), big: join(dir, 'big') };
  writeFileSync(files.small!, 'zkinfer\n');
  writeFileSync(files.empty!, '');
  writeFileSync(files.chunk!, Buffer.alloc(1 << 20, 0x5a));
  writeFileSync(files.mid!, Buffer.from(Array.from({ length: (3 << 20) + 17 }, (_, i) => (i * 131) & 255)));
  writeFileSync(files.big!, 'head');
  truncateSync(files.big!, (64 << 20) + 4097);
  for (const [name, path] of Object.entries(files)) assert.equal(await sha256File(path), sha256sum(path), name);
});

test('a missing file is an ENOENT error', async () => {
  await assert.rejects(sha256File(join(dir, 'nope')), { code: 'ENOENT' });
});
