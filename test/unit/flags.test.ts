// The CLI's flag parsers on every value class a careless user types (docs/chain.md "Flag values"); the real CLI
// runs one value of each through its commands in test/chain/cli-flags.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTao } from '../../src/cli/chain.js';
import { parseFractionFlag, parseIntFlag } from '../../src/cli/flag-values.js';
import { InvalidInputError } from '../../src/errors/base.js';

const refused = (f: () => unknown, message: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof InvalidInputError && message.test(e.message));
};

test('parseIntFlag: decimal digits in min..max only; "", " ", hex, exponents, fractions, signs out of range and unsafe integers are refused', () => {
  for (const v of ['', ' ', '0x1', '1e0', '1.5', '-1', '+1', ' 1', '99999999999999999999', '70000']) {
    refused(() => parseIntFlag(v, '--netuid', 0, 65535), new RegExp(`^--netuid must be an integer in 0\\.\\.65535, got "${v.replace(/[+.]/g, '\\$&')}"$`));
  }
  assert.equal(parseIntFlag('0', '--netuid', 0, 65535), 0);
  assert.equal(parseIntFlag('65535', '--netuid', 0, 65535), 65535);
  assert.equal(parseIntFlag('007', '--n', 0, 10), 7);
  assert.equal(parseIntFlag('-3', '--n', -5, 5), -3);
});

test('parseFractionFlag: [0, 1) only; "", " ", 1, negatives and words are refused', () => {
  for (const v of ['', ' ', '1', '1.0', '-0.1', 'abc', 'NaN', 'Infinity']) {
    refused(() => parseFractionFlag(v, '--rate-tolerance', 'hint'), /^--rate-tolerance must be a fraction in \[0, 1\), got "/);
  }
  assert.equal(parseFractionFlag('0', '--rate-tolerance', 'hint'), 0);
  assert.equal(parseFractionFlag('0.005', '--rate-tolerance', 'hint'), 0.005);
  assert.equal(parseFractionFlag('0.999', '--rate-tolerance', 'hint'), 0.999);
});

test('parseTao: at most 9 decimals and at most u64 rao, in rao', () => {
  refused(() => parseTao('0.0000000001', '--amount'), /^--amount "0\.0000000001" is not a TAO amount$/);
  for (const v of ['', '-1', '1e3', '0x10', '1,5', '.5']) refused(() => parseTao(v, '--amount'), /is not a TAO amount/);
  refused(() => parseTao('99999999999999999999999999999999', '--amount'), /^--amount 99999999999999999999999999999999 τ is more than any balance can hold \(18446744073\.709551615 τ/);
  refused(() => parseTao('18446744073.709551616', '--amount'), /more than any balance can hold/);
  assert.equal(parseTao('18446744073.709551615', '--amount'), 2n ** 64n - 1n);
  assert.equal(parseTao('1.000000001', '--amount'), 1_000_000_001n);
  assert.equal(parseTao('0.5', '--amount'), 500_000_000n);
});
