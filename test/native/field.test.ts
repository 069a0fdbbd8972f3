// The native field arithmetic (docs/native-prover.md, "Field arithmetic") against BigInt: Montgomery multiply and
// square, the 512-bit product, Montgomery reduction, the binary-GCD inverse, modular add/sub, and Fq2
// multiply/square with lazy reduction, on Fq and Fr, on edge values (0, 1, p−1, 2p−1 where the contract allows
// operands below 2p, 2^256 mod p, limbs all ones, ...) and random ones, on the x86 MULX/ADX path and on the
// portable one (ZKINFER_NATIVE_NO_ASM=1). native/tools/field_test.cpp also compares every new routine with the one
// it replaced (native/tools/field_ref.hpp) on 20,000 random values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { R as FR } from './fixtures.js';
import { buildNativeTool, noGxx as skip } from './tool.js';

const FQ = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const MONT = 1n << 256n;
const mod = (x: bigint, p: bigint): bigint => ((x % p) + p) % p;
function pow(b: bigint, e: bigint, p: bigint): bigint {
  let r = 1n;
  b = mod(b, p);
  for (; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
  return r;
}
const hex = (x: bigint): string => x.toString(16);
function rand(bound: bigint): bigint {
  return BigInt(`0x${randomBytes(40).toString('hex')}`) % bound;
}

/** Edge values below `bound` (p or 2p) for modulus p. */
function edges(p: bigint, bound: bigint): bigint[] {
  const v = [0n, 1n, 2n, 3n, p - 1n, p - 2n, (p - 1n) / 2n, (p + 1n) / 2n, MONT % p, (MONT * MONT) % p, (MONT - p) % p,
    (1n << 64n) - 1n, (1n << 128n) - 1n, (1n << 192n), (1n << 253n) - 1n, p - (1n << 64n), p - (1n << 192n), p >> 1n];
  if (bound > p) v.push(p, p + 1n, 2n * p - 1n, 2n * p - 2n, p + (MONT % p));
  return v.filter((x) => x >= 0n && x < bound);
}

interface Case { line: string; want: string }
function cases(): Case[] {
  const out: Case[] = [];
  for (const [f, p] of [['q', FQ], ['r', FR]] as const) {
    const rinv = pow(MONT, p - 2n, p);
    const lazy = [...edges(p, 2n * p), ...Array.from({ length: 40 }, () => rand(2n * p))];  // operands < 2p allowed
    const red = [...edges(p, p), ...Array.from({ length: 40 }, () => rand(p))];
    for (let i = 0; i < lazy.length; i++) {
      const a = lazy[i]!;
      const b = lazy[(i * 7 + 3) % lazy.length]!;
      out.push({ line: `mul ${f} ${hex(a)} ${hex(b)}`, want: hex((a * b * rinv) % p) });
      out.push({ line: `sqr ${f} ${hex(a)}`, want: hex((a * a * rinv) % p) });
      out.push({ line: `wide ${f} ${hex(a)} ${hex(b)}`, want: hex(a * b) });
      out.push({ line: `red ${f} ${hex(a * b)}`, want: hex((a * b * rinv) % p) });
    }
    for (const t of [p * MONT - 1n, p * MONT - p, 4n * p * p - 1n, (p - 1n) * (p - 1n), MONT * MONT / 8n - 1n, 0n, 1n]) {
      if (t < p * MONT) out.push({ line: `red ${f} ${hex(t)}`, want: hex((t * rinv) % p) });
    }
    for (let i = 0; i < red.length; i++) {
      const a = red[i]!;
      const b = red[(i * 5 + 1) % red.length]!;
      // invMont: Montgomery form in, Montgomery form out: a·R^−1 ↦ (a·R^−1)^−1·R = a^−1·R²; inv(0) = 0
      out.push({ line: `inv ${f} ${hex(a)}`, want: hex(a === 0n ? 0n : (pow(a, p - 2n, p) * MONT * MONT) % p) });
      out.push({ line: `add ${f} ${hex(a)} ${hex(b)}`, want: hex((a + b) % p) });
      out.push({ line: `sub ${f} ${hex(a)} ${hex(b)}`, want: hex(mod(a - b, p)) });
      if (f === 'q') {
        const c = red[(i * 3 + 2) % red.length]!;
        const d = red[(i * 11 + 5) % red.length]!;
        // (a + b·u)(c + d·u) with u² = −1, each coordinate × R^−1 (Montgomery)
        const m0 = mod((a * c - b * d) * rinv, p);
        const m1 = mod((a * d + b * c) * rinv, p);
        out.push({ line: `f2mul q ${hex(a)} ${hex(b)} ${hex(c)} ${hex(d)}`, want: `${hex(m0)} ${hex(m1)}` });
        out.push({ line: `f2sqr q ${hex(a)} ${hex(b)}`, want: `${hex(mod((a * a - b * b) * rinv, p))} ${hex(mod(2n * a * b * rinv, p))}` });
      }
    }
  }
  return out;
}

function runVectors(env: Record<string, string>): void {
  const cs = cases();
  const r = spawnSync(buildNativeTool('field_test', ['field']), [], { input: cs.map((c) => c.line).join('\n') + '\n', encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.trim().split('\n');
  assert.equal(got.length, cs.length);
  const norm = (s: string): string => s.split(' ').map((h) => BigInt(`0x${h}`).toString(16)).join(' ');
  let bad = 0;
  cs.forEach((c, i) => {
    if (norm(got[i]!) !== c.want && bad++ < 5) assert.fail(`${c.line}: got ${norm(got[i]!)}, want ${c.want}`);
  });
}

describe('native field arithmetic', { skip }, () => {
  test('Montgomery multiply/square, 512-bit products, reduction, inverse, add/sub, Fq2 lazy multiply/square = BigInt (x86 path)', () => {
    runVectors({});
  });
  test('the same on the portable path (ZKINFER_NATIVE_NO_ASM=1)', () => {
    runVectors({ ZKINFER_NATIVE_NO_ASM: '1' });
  });
  test('every new routine equals the one it replaced on 20,000 random values; x86 = portable', () => {
    const r = spawnSync(buildNativeTool('field_test', ['field']), ['self', '20000', String(Date.now() % 1000)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.pop(), 'ALL OK', r.stdout);
    assert.ok(lines.filter((l) => l.startsWith('ok ')).length >= 4, r.stdout);
  });
});
