// sha256File (src/zkml/artifacts/files.ts): a file up to 64 MiB is digested whole (WebCrypto, on libuv's thread pool),
// a larger one streamed; both agree with coreutils' sha256sum.
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

test('small, empty, whole-read and streamed (> 64 MiB, sparse) files hash as sha256sum says', async () => {
  const files: Record<string, string> = { small: join(dir, 'small'), empty: join(dir, 'empty'), mid: join(dir, 'mid'), big: join(dir, 'big') };
  writeFileSync(files.small!, 'zkinfer\n');
  writeFileSync(files.empty!, '');
  writeFileSync(files.mid!, Buffer.alloc(3 << 20, 0xa5));
  writeFileSync(files.big!, 'head');
  truncateSync(files.big!, (64 << 20) + 4097); // past the whole-file limit: the streamed path
  for (const [name, path] of Object.entries(files)) assert.equal(await sha256File(path), sha256sum(path), name);
});

test('a missing file is an ENOENT error', async () => {
  await assert.rejects(sha256File(join(dir, 'nope')), { code: 'ENOENT' });
});
