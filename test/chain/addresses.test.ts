// One key, one account (docs/chain.md "Addresses"): the devnet reads every address a call names (and its signer) as
// its own SS58 spelling of the key, so writing a key with another prefix neither registers it twice nor takes another
// coldkey's hotkey, and a string that is no address is refused. And a limit price cannot stall the chain: the integer
// square root of a stake limit is exact on bigints of any size (docs/chain.md "Swap fees and limit prices").
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { canonicalAddress, signCall } from '../../src/chain/devnet/calls.js';
import { isqrt } from '../../src/chain/devnet/pool.js';
import { AlreadyRegisteredError, HotkeyOwnedByOtherColdkeyError } from '../../src/chain/errors.js';
import { taoToRao } from '../../src/chain/types.js';

let kr: Keyring;
before(async () => {
  await cryptoWaitReady();
  kr = new Keyring({ type: 'sr25519', ss58Format: 42 });
});

test('a hotkey written with another SS58 prefix is the same hotkey: no second uid, no squatting; a non-address is refused', async () => {
  const dev = await Devnet.open({ fast: true });
  try {
    const alice = kr.addFromUri('//Alice-addr'), aliceHot = kr.addFromUri('//Alice-addr//hot'), mallory = kr.addFromUri('//Mallory-addr');
    for (const c of [alice, mallory]) dev.faucetSync(c.address, taoToRao(100));
    const register = (cold: typeof alice, hotkey: string) => dev.submit(signCall(dev.genesis, cold, 'burnedRegister', { netuid: 1, hotkey }, dev.block));
    register(alice, aliceHot.address);
    const prefix0 = encodeAddress(aliceHot.publicKey, 0);
    assert.notEqual(prefix0, aliceHot.address);
    assert.throws(() => register(alice, prefix0), AlreadyRegisteredError, 'the same key under prefix 0 got a second uid');
    assert.throws(() => register(mallory, encodeAddress(aliceHot.publicKey, 2)), (e: unknown) => e instanceof AlreadyRegisteredError || e instanceof HotkeyOwnedByOtherColdkeyError, 'another coldkey took the hotkey');
    assert.throws(() => register(mallory, 'x'.repeat(48)), /is not an SS58 address/);
    const mg = dev.metagraphSync(1);
    assert.equal(mg.hotkeys.filter((h) => canonicalAddress(h) === aliceHot.address).length, 1);
    assert.ok(mg.hotkeys.every((h) => canonicalAddress(h) === h), 'the state holds the devnet spelling only');
    // a signer writing its own address with another prefix is still that account (its balance, its stake)
    const alice0 = new Keyring({ type: 'sr25519', ss58Format: 0 }).addFromUri('//Alice-addr');
    const before = await dev.balance(alice.address);
    dev.submit(signCall(dev.genesis, alice0, 'addStake', { hotkey: encodeAddress(aliceHot.publicKey, 0), amount: String(taoToRao(1)) }, dev.block));
    assert.equal(await dev.balance(alice.address), before - taoToRao(1));
  } finally {
    await dev.close();
  }
});

test('isqrt is ⌊√n⌋ for bigints of any size, and a stake limit on a large pool settles at once', { timeout: 60_000 }, async () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => {
    const r = isqrt(n);
    return r * r <= n && (r + 1n) * (r + 1n) > n;
  }), { numRuns: 2000 });
  for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, (1n << 128n) - 1n, 1n << 128n, 10n ** 60n - 1n]) {
    const r = isqrt(n);
    assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n, `isqrt(${n})`);
  }
  // the call that froze the chain for minutes (a float guess stepped by one from ~1e9 away): 100,000 τ / 1,000,000 α
  const dev = await Devnet.open({ fast: true });
  try {
    const owner = kr.addFromUri('//Owner-sqrt'), a = kr.addFromUri('//A-sqrt'), h = kr.addFromUri('//A-sqrt//h');
    const netuid = await dev.createSubnet(owner.address, {}, { tao: taoToRao(100_000), alpha: taoToRao(1_000_000) });
    dev.faucetSync(a.address, taoToRao(10));
    dev.submit(signCall(dev.genesis, a, 'burnedRegister', { netuid, hotkey: h.address }, dev.block));
    dev.submit(signCall(dev.genesis, a, 'addStake', { hotkey: h.address, amount: String(taoToRao(1)), netuid, limitPrice: '9'.repeat(30), allowPartial: false }, dev.block));
  } finally {
    await dev.close();
  }
});
