// The native one-shot `zkinfer prove` (native/src/cli_prove.cpp) writes PROOF.json's decoded outputs and reads the
// input file itself; both must agree with what the Node command does (docs/network.md "CLI start-up", round 21):
// jsNumberToString against JavaScript's String(x) on edge and random doubles, and the input reader against JSON.parse
// — whatever it accepts it reads as JSON.parse does, and it refuses (leaving the file to Node) what is not plain
// {"input_data": [[numbers…]…]}.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { buildNativeTool, noGxx as skip } from './tool.js';

const bitsOf = (x: number): string => { const b = Buffer.alloc(8); b.writeDoubleLE(x); return b.readBigUInt64LE().toString(16).padStart(16, '0'); };
const ofBits = (h: string): number => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(`0x${h}`)); return b.readDoubleLE(); };

function runTool(mode: 'number' | 'input', lines: string[]): string[] {
  const bin = buildNativeTool('cli_prove_test', ['js_number', 'input_json']);
  const r = spawnSync(bin, [mode], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, lines.length);
}

test('doubles are written as JavaScript writes them', { skip }, () => {
  const xs = [0, -0, 1, -1, 0.1, 0.2 + 0.1, 1 / 3, 1e21, 1e21 - 65536, 999999999999999900000, 1e-6, 1e-7, 1.5e-7, 123e-20,
    5e-324, -5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, 2 ** -1074, 2 ** 70, 1234.5678, 100, 1e20, 12e20,
    0.000001234, 0.0000001234, -1.0433252671472486, NaN, Infinity, -Infinity];
  for (let e = -30; e <= 30; e++) for (const m of [1, 1.5, 9.999999999999999, 2.5, 7]) xs.push(m * 10 ** e, -m * 10 ** e);
  // outputs are integers over 2^scaleBits: those first, then any bit pattern
  for (let i = 0; i < 20000; i++) {
    const r = randomBytes(8);
    xs.push(i % 2 ? r.readDoubleLE() : Number(r.readBigInt64LE() >> BigInt(r[0]! % 64)) / 2 ** (r[1]! % 64));
  }
  const got = runTool('number', xs.map(bitsOf));
  xs.forEach((x, i) => assert.equal(got[i], String(x), `bits ${bitsOf(x)}`));
});

test('the input file is read as JSON.parse reads it, or refused', { skip }, () => {
  const accepted = [
    '{"input_data": [[0.5, -1, 2e-3, 1E+2, 0, -0.0, 123456789012345678901234567890]]}',
    '\uFEFF {\n\t"input_data" :[ [1,2] , [ 3 ] ,[]]\r\n}\n',
    '{"input_data":[]}',
    JSON.stringify({ input_data: [[0.1 + 0.2, 1 / 3, -1e-300, 4.9e-324, 1.7976931348623157e308]] }),
  ];
  const refused = [
    '', '{}', '[]', '{"input_data": [[1, 2]], "x": 1}', '{"input_data": [[1, 2]]} x', '{"input_data": [[01]]}', '{"input_data": [[+1]]}',
    '{"input_data": [[.5]]}', '{"input_data": [[1.]]}', '{"input_data": [[1e]]}', '{"input_data": [[NaN]]}', '{"input_data": [["1"]]}',
    '{"input_data": [[1,]]}', '{"input_data": [1]}', '{"input\\u005fdata": [[1]]}', '{"input_data": [[1]]', '{"input_data": [[1, null]]}',
    '{"input_data": [[1]],}', '{"input_data": [[1]]}{}', '{"input_data": [[1 2]]}',
  ];
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  const got = runTool('input', [...accepted, ...refused].map(hex));
  accepted.forEach((text, i) => {
    const rows = (JSON.parse(text.replace(/^\uFEFF/, '')) as { input_data: number[][] }).input_data;
    const want = rows.map((r) => (r.length === 0 ? '-' : r.map(bitsOf).join(','))).join(';');
    assert.equal(got[i], want, text);
    if (want !== '') got[i]!.split(';').forEach((row, k) => { if (row !== '-') row.split(',').forEach((h, j) => assert.ok(Object.is(ofBits(h), rows[k]![j]))); });
  });
  refused.forEach((text, i) => assert.equal(got[accepted.length + i], 'refused', text));
});
