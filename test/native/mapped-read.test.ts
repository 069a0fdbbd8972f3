// Files read through the addon's mappings (src/zkml/artifacts/mapped-read.ts, native/src/addon.cpp mapLatin1 /
// mapFile; docs/network.md "CLI start-up", round 10): the same text and bytes as readFileSync, a write never reaches
// the file, and the same errors (readFileSync's) for a missing file; without the addon the reads still work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readBytes, readLatin1 } from '../../src/zkml/artifacts/mapped-read.js';
import { loadNativeAddon, nativeAddonError } from '../../src/zkml/prove/native/addon.js';

const addon = loadNativeAddon();
const skip = addon?.mapLatin1 ? false : `native addon without mapLatin1: ${nativeAddonError() ?? 'an older build'}`;
const dir = mkdtempSync(join(tmpdir(), 'zkinfer-mapped-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// every byte value, several pages long (a latin1 string is one character per byte)
const bytes = Buffer.from(Array.from({ length: 3 * 4096 + 17 }, (_, i) => (i * 131 + (i >> 8)) & 0xff));
const file = join(dir, 'all-bytes.bin');
writeFileSync(file, bytes);
const fromSource = import.meta.url.endsWith('.ts'); // npm test runs the compiled tests from dist/
const tsx = fromSource ? ['--import', 'tsx'] : [];

test('the addon maps a file as an external latin1 string and an ArrayBuffer equal to readFileSync\'s', { skip }, () => {
  const text = addon!.mapLatin1!(file);
  assert.equal(text.length, bytes.length);
  assert.equal(text, readFileSync(file, 'latin1'));
  assert.equal(readLatin1(file), bytes.toString('latin1'));
  const b = readBytes(file);
  assert.ok(b.equals(bytes));
  b[0] = b[0]! ^ 0xff; // a private copy-on-write page: the file keeps its byte
  assert.ok(readFileSync(file).equals(bytes));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  assert.equal(readLatin1(empty), '');
  assert.equal(readBytes(empty).length, 0);
  assert.throws(() => addon!.mapFile!(join(dir, 'missing')), (e: Error & { code?: string }) => e.code === 'IO' && /cannot map .*missing: No such file/.test(e.message));
});

test('a missing file is readFileSync\'s ENOENT, with or without the addon', () => {
  assert.throws(() => readLatin1(join(dir, 'missing')), { code: 'ENOENT' });
  assert.throws(() => readBytes(join(dir, 'missing')), { code: 'ENOENT' });
});

test('without the addon the same text and bytes come from readFileSync', () => {
  const helper = fileURLToPath(new URL(`../../src/zkml/artifacts/mapped-read.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const r = spawnSync(process.execPath, [...tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(helper)}); const fs = await import('node:fs');
const f = ${JSON.stringify(file)}; process.stdout.write(String(m.readLatin1(f) === fs.readFileSync(f, 'latin1') && m.readBytes(f).equals(fs.readFileSync(f))));`],
  { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ZKINFER_NATIVE_ADDON: join(dir, 'no-addon.node') } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true');
});
