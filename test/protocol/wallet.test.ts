import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { KEYFILE_MAX_BYTES, Wallet, listWallets, resolveWalletRef } from '../../src/protocol/wallet/wallet.js';
import { KeyfileError, ARGON2I_MEMLIMIT_BYTES, decryptKeyfileData, decryptWithKey, deriveKey, encryptKeyfileData, encryptWithKey, isEncrypted, keyfileFromMnemonic } from '../../src/protocol/wallet/keyfile.js';

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

// docs/chain.md "Wallet files": a bad keyfile is a KeyfileError that names the file and never quotes it.
const OTHER = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/** A fresh plaintext wallet `w` with hotkeys `h` (MNEMONIC) and `o` (OTHER); returns it and h's file text. */
async function plainWallet(): Promise<{ w: Wallet; path: string; good: string }> {
  await cryptoWaitReady();
  const path = mkdtempSync(join(tmpdir(), 'zkw-bad-'));
  const w = new Wallet({ path, name: 'w', hotkey: 'h' });
  await w.createColdkey(null, { mnemonic: OTHER });
  w.createHotkey('h', { mnemonic: MNEMONIC });
  w.createHotkey('o', { mnemonic: OTHER });
  return { w, path, good: readFileSync(w.hotkeyFile('h'), 'utf8') };
}

/** `fn` throws a KeyfileError matching `re` that names `file` and quotes none of h's secrets. */
function refuses(fn: () => unknown, file: string, re: RegExp, secrets: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KeyfileError, `not a KeyfileError: ${String(err)}`);
    assert.ok(err.message.includes(file), `file not named: ${err.message}`);
    assert.match(err.message, re);
    const all = `${err.message} ${err.hint ?? ''} ${String(err.stack)} ${String(err.cause)}`;
    for (const s of secrets) assert.ok(!all.includes(s), `secret quoted: ${err.message}`);
    return true;
  });
}

test('corrupt hotkey and coldkey files: typed error naming the file, no secret in it', async () => {
  const { w, good } = await plainWallet();
  const k = JSON.parse(good) as Record<string, string>;
  const secrets = [k['secretPhrase']!, k['privateKey']!.slice(2), k['secretSeed']!.slice(2), MNEMONIC.split(' ').slice(0, 3).join(' ')];
  const file = w.hotkeyFile('h');
  writeFileSync(file, good.slice(0, 450)); // truncated
  refuses(() => w.hotkeyJson(), file, /not valid keyfile JSON \(position \d+\)/, secrets);
  refuses(() => w.hotkeyPair(), file, /not valid keyfile JSON/, secrets);
  const i = good.indexOf('"secretPhrase":"') + 30;
  writeFileSync(file, `${good.slice(0, i)}\u0001${good.slice(i)}`); // a control character inside the phrase
  refuses(() => w.hotkeyJson(), file, /not valid keyfile JSON/, secrets);
  writeFileSync(file, JSON.stringify({ ...k, ss58Address: undefined }));
  refuses(() => w.hotkeyJson(), file, /missing or malformed ss58Address/, secrets);
  writeFileSync(file, JSON.stringify(k.secretPhrase));
  refuses(() => w.hotkeyJson(), file, /not a JSON object/, secrets);
  writeFileSync(file, '');
  refuses(() => w.hotkeyJson(), file, /empty file/, secrets);
  // a plaintext coldkey: the same
  const cold = readFileSync(w.coldkeyFile, 'utf8');
  writeFileSync(w.coldkeyFile, cold.slice(0, 300));
  await assert.rejects(() => w.coldkeyPair(), (err: unknown) => err instanceof KeyfileError && err.message.includes(w.coldkeyFile) && /not valid keyfile JSON/.test(err.message) && !err.message.includes(OTHER.split(' ').slice(0, 3).join(' ')));
  writeFileSync(w.coldkeypubFile, '{"accountId":');
  refuses(() => w.coldkeypub(), w.coldkeypubFile, /not valid keyfile JSON/, []);
});

test('a keyfile whose secret is another key than its public fields is refused', async () => {
  const { w, good } = await plainWallet();
  const k = JSON.parse(good) as Record<string, string>;
  const other = JSON.parse(readFileSync(w.hotkeyFile('o'), 'utf8')) as Record<string, string>;
  const file = w.hotkeyFile('h');
  const otherAddr = other['ss58Address']!;
  // the tester's case: h's public fields and seed, o's phrase
  writeFileSync(file, JSON.stringify({ ...k, secretPhrase: other['secretPhrase'] }));
  refuses(() => w.hotkeyJson(), file, new RegExp(`inconsistent: its secretPhrase is the key of ${otherAddr}`), [k['secretPhrase']!, other['secretPhrase']!]);
  refuses(() => w.hotkeyPair(), file, /inconsistent/, []);
  // o's secrets under h's public key / address / account id, one field at a time
  for (const field of ['publicKey', 'accountId', 'ss58Address']) {
    writeFileSync(file, JSON.stringify({ ...other, [field]: k[field] }));
    refuses(() => w.hotkeyPair(), file, new RegExp(`inconsistent: its secretSeed is the key of ${otherAddr}, its ${field} is ${k['ss58Address']}`), []);
  }
  // a seed alone (Bittensor's first choice) and a phrase alone are fine when they are the file's key
  writeFileSync(file, JSON.stringify({ ...k, secretPhrase: null }));
  assert.equal(w.hotkeyPair().address, k['ss58Address']);
  writeFileSync(file, JSON.stringify({ ...k, secretSeed: null }));
  assert.equal(w.hotkeyPair().address, k['ss58Address']);
  // a coldkey that is not coldkeypub.txt's key
  const hPub = { accountId: k['accountId'], publicKey: k['publicKey'], ss58Address: k['ss58Address'] };
  writeFileSync(w.coldkeypubFile, JSON.stringify(hPub));
  await assert.rejects(() => w.coldkeyPair(), /coldkey file .* is the key of .*, but .*coldkeypub.txt says/);
});

test('a hotkey that is /dev/zero, a FIFO, a directory or too big is refused at once; wallet list flags it and goes on', { timeout: 20_000 }, async () => {
  const { w, path, good } = await plainWallet();
  const secrets = [(JSON.parse(good) as Record<string, string>)['secretPhrase']!];
  symlinkSync('/dev/zero', w.hotkeyFile('zero'));
  execFileSync('mkfifo', [w.hotkeyFile('fifo')]);
  writeFileSync(w.hotkeyFile('big'), Buffer.alloc(KEYFILE_MAX_BYTES + 1, 0x20));
  writeFileSync(w.hotkeyFile('bad'), good.slice(0, 100));
  mkdirSync(w.hotkeyFile('dir'));
  const t0 = Date.now();
  refuses(() => w.hotkeyJson('zero'), w.hotkeyFile('zero'), /is a character device, not a keyfile/, []);
  refuses(() => w.hotkeyJson('fifo'), w.hotkeyFile('fifo'), /is a FIFO, not a keyfile/, []);
  refuses(() => w.hotkeyJson('dir'), w.hotkeyFile('dir'), /is a directory, not a keyfile/, []);
  refuses(() => w.hotkeyJson('big'), w.hotkeyFile('big'), /larger than a keyfile can be/, []);
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  const [listed] = listWallets(path);
  assert.equal(listed?.name, 'w');
  const byName = new Map(listed!.hotkeys.map((h) => [h.name, h]));
  assert.equal(byName.get('h')?.ss58, w.hotkeyJson('h').ss58Address);
  assert.equal(byName.get('o')?.ss58, w.hotkeyJson('o').ss58Address);
  for (const [name, re] of [['zero', /character device/], ['fifo', /FIFO/], ['dir', /directory/], ['big', /larger than/], ['bad', /not valid keyfile JSON/]] as const) {
    assert.equal(byName.get(name)?.ss58, undefined, name);
    assert.match(byName.get(name)?.error ?? '', re, name);
    assert.ok(!(byName.get(name)?.error ?? '').includes(secrets[0]!.split(' ')[0]!), name);
  }
});
