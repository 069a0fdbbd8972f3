// sha256File (src/zkml/artifacts/files.ts): the native addon's (read and hashed on libuv's pool, native/src/sha256.cpp)
// and the JS one (1 MiB chunks into one buffer): empty, small, exact-chunk and multi-chunk files (the last one sparse,
// 64 MiB + 4097 bytes) hash as coreutils' sha256sum says, by each path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sha256File, sha256FileJs } from '../../src/zkml/artifacts/files.js';
import { loadNativeAddon } from '../../src/zkml/prove/native/addon.js';

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
  const native = loadNativeAddon()?.sha256File;
  for (const [name, path] of Object.entries(files)) {
    const want = sha256sum(path);
    assert.equal(await sha256File(path), want, name);
    assert.equal(await sha256FileJs(path), want, `${name} (JS)`);
    if (native) assert.equal(await native(path), want, `${name} (native)`);
  }
});

test('the native addon hashes files off the JS thread (skipped when it is not built)', async (t) => {
  const addon = loadNativeAddon();
  if (!addon) return t.skip('native addon not built');
  assert.equal(typeof addon.sha256File, 'function', 'the addon exports sha256File: rebuild it with `npm run build:native`');
  await assert.rejects(addon.sha256File!(join(dir, 'nope')), (e: Error & { code?: string }) => e.code === 'IO' && /cannot open .*nope: No such file/.test(e.message));
  await assert.rejects(addon.sha256File!(dir), (e: Error & { code?: string }) => e.code === 'IO' && /cannot read/.test(e.message), 'a folder is not hashed as an empty file');
});

test('a missing file is an ENOENT error (the native path hands it to the JS read, which says why)', async () => {
  await assert.rejects(sha256File(join(dir, 'nope')), { code: 'ENOENT' });
  await assert.rejects(sha256FileJs(join(dir, 'nope')), { code: 'ENOENT' });
});

test('sha256Hex (native addon when built, else node:crypto) equals node:crypto on strings and bytes', async () => {
  const { createHash } = await import('node:crypto');
  const { sha256Hex } = await import('../../src/zkml/format/circuit-id-node.js');
  const native = loadNativeAddon()?.sha256;
  const cases: Array<string | Uint8Array> = ['', 'zkinfer', 'ünïcode — ≤', new Uint8Array(0), Buffer.alloc(1 << 20, 7), new Uint8Array(Buffer.from('abc')).subarray(1)];
  for (const c of cases) {
    const want = createHash('sha256').update(c).digest('hex');
    assert.equal(sha256Hex(c), want);
    if (native) assert.equal(native(typeof c === 'string' ? Buffer.from(c, 'utf8') : c), want);
  }
});
