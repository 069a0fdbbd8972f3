// The anvil dev keys (src/eth/anvil.ts devPrivateKeys) are the ones anvil funds: viem's own mnemonic derivation of
// its default mnemonic, and account 0 is anvil's documented 0xf39F…2266.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { DEV_MNEMONIC, devPrivateKeys } from '../../src/eth/anvil.js';

test('devPrivateKeys derives what viem mnemonicToAccount derives; account 0 is anvil\'s 0xf39F…2266', () => {
  const keys = devPrivateKeys(10);
  assert.equal(keys.length, 10);
  keys.forEach((k, i) => assert.equal(k, bytesToHex(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).getHdKey().privateKey!), `key ${i}`));
  assert.equal(privateKeyToAccount(keys[0]!).address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  assert.equal(privateKeyToAccount(keys[1]!).address, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  // another mnemonic gives other keys (the mnemonic is the seed's password, not ignored)
  assert.notEqual(devPrivateKeys(1, 'legal winner thank year wave sausage worth useful legal winner thank yellow')[0], keys[0]);
});
