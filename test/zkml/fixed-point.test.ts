import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BN254_R, decodeReal, encodeReal, fromField, toField } from '../../src/zkml/fixed-point.js';

test('BN254 scalar field modulus', () => {
  assert.equal(BN254_R.toString(), '21888242871839275222246405745257275088548364400416034343698204186575808495617');
});

test('negatives encode as p - |x| and decode back', () => {
  assert.equal(toField(-1n), BN254_R - 1n);
  assert.equal(fromField(BN254_R - 5n), -5n);
  assert.equal(encodeReal(-0.5, 4), (BN254_R - 8n).toString());
  assert.equal(decodeReal(encodeReal(-3.25, 8), 8), -3.25);
  assert.equal(decodeReal(encodeReal(1.1, 16), 16), Math.round(1.1 * 65536) / 65536);
});

test('non-finite values and non-field elements are refused', () => {
  assert.throws(() => encodeReal(Number.NaN, 8), /cannot encode NaN/);
  assert.throws(() => fromField(BN254_R), /not a BN254 field element/);
});
