import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { Wallet, listWallets, resolveWalletRef } from '../../src/protocol/wallet/wallet.js';
import { ARGON2I_MEMLIMIT_BYTES, decryptKeyfileData, decryptWithKey, deriveKey, encryptKeyfileData, encryptWithKey, isEncrypted, keyfileFromMnemonic } from '../../src/protocol/wallet/keyfile.js';

const MNEMONIC = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

test('argon2i KDF matches the reference implementation vector (t=2, m=64 MiB, p=1)', async () => {
  // From the Argon2 reference test suite (v=0x13): $argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA
  const key = await deriveKey('password', { opslimit: 2, memlimitBytes: 64 * 1024 * 1024, salt: new TextEncoder().encode('somesalt') });
  assert.equal(Buffer.from(key).toString('hex'), 'c1628832147d9720c5bd1cfd61367078729f6dfb6f8fea9ff98158e0d7816ed0');
});

test('coldkey encryption at Bittensor strength (argon2i opslimit 8, 512 MiB) round-trips', async () => {
  assert.equal(ARGON2I_MEMLIMIT_BYTES, 536870912);
  const key = await deriveKey('hunter2'); // one full-strength derivation (seconds)
  assert.equal(key.length, 32);
  const box = encryptWithKey(new TextEncoder().encode('{"k":1}'), key);
  assert.equal(Buffer.from(decryptWithKey(box, key)).toString(), '{"k":1}');
  const other = await deriveKey('hunter2', { opslimit: 1, memlimitBytes: 8 * 1024 * 1024 });
  assert.throws(() => decryptWithKey(box, other), /wrong coldkey password/);
});

test('keyfile from the substrate dev mnemonic gives the well-known //Alice-root address', async () => {
  await cryptoWaitReady();
  const k = keyfileFromMnemonic(MNEMONIC);
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic(MNEMONIC);
  assert.equal(k.ss58Address, pair.address);
  assert.equal(k.publicKey, u8aToHex(pair.publicKey));
  assert.equal(k.ss58Address, '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
});

test('wallet layout: plain hotkey JSON, $NACL coldkey (argon2i + secretbox), env overrides', async () => {
  await cryptoWaitReady();
  const path = mkdtempSync(join(tmpdir(), 'zkw-'));
  const fast = { opslimit: 1, memlimitBytes: 8 * 1024 * 1024 }; // cheap KDF to keep the test fast; full strength is tested above
  const w = new Wallet({ path, name: 'alice', hotkey: 'miner1' }, fast);
  const cold = await w.createColdkey('hunter2', { mnemonic: MNEMONIC });
  const hot = w.createHotkey();
  const raw = readFileSync(join(path, 'alice', 'coldkey'));
  assert.ok(isEncrypted(raw));
  assert.equal(raw.subarray(0, 5).toString(), '$NACL');
  assert.equal(raw.length, 5 + 24 + 16 + Buffer.byteLength(JSON.stringify(keyfileFromMnemonic(MNEMONIC))));
  assert.equal(statSync(w.coldkeyFile).mode & 0o777, 0o600);
  assert.equal(w.coldkeypub().ss58Address, cold.ss58);
  const hk = JSON.parse(readFileSync(join(path, 'alice', 'hotkeys', 'miner1'), 'utf8')) as Record<string, string>;
  for (const f of ['secretPhrase', 'secretSeed', 'ss58Address', 'publicKey', 'accountId', 'privateKey']) assert.ok(hk[f], f);
  assert.equal(w.hotkeyPair().address, hot.ss58);
  const coldPair = await w.coldkeyPair('hunter2');
  assert.equal(coldPair.address, cold.ss58);
  await assert.rejects(() => w.coldkeyPair('wrong'), /wrong coldkey password/);
  const data = new TextEncoder().encode('hello');
  assert.equal(Buffer.from(await decryptKeyfileData(await encryptKeyfileData(data, 'p', fast), 'p', fast)).toString(), 'hello');
  assert.deepEqual(listWallets(path), [{ name: 'alice', coldkey: cold.ss58, hotkeys: [{ name: 'miner1', ss58: hot.ss58 }] }]);
  await assert.rejects(() => w.createColdkey(null), /already exists/);
  process.env['BT_WALLET_NAME'] = 'envname';
  process.env['BT_WALLET_HOTKEY'] = 'envhot';
  process.env['BT_WALLET_PATH'] = path;
  try {
    assert.deepEqual(resolveWalletRef(), { path, name: 'envname', hotkey: 'envhot' });
    assert.deepEqual(resolveWalletRef({ name: 'flag' }), { path, name: 'flag', hotkey: 'envhot' });
  } finally {
    delete process.env['BT_WALLET_NAME'];
    delete process.env['BT_WALLET_HOTKEY'];
    delete process.env['BT_WALLET_PATH'];
  }
  assert.throws(() => new Wallet({ path, name: '../evil', hotkey: 'x' }), /invalid wallet name/);
});
