import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import * as E from '../../src/chain/errors.js';
import { serveDevnet } from '../../src/chain/rpc/server.js';
import { RpcChain } from '../../src/chain/rpc/client.js';
import { CLI_NODE_ARGS, runNode, startCli } from '../lifecycle/spawn-cli.js';
import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';
import { hyperparametersFromRuntime } from '../../src/chain/subtensor/codec.js';
import { setActivityCutoffFactorCall, setTempoCall, triggerEpochCall, type TxSections } from '../../src/chain/subtensor/calls.js';
import { readSubtensorFixture } from './contract-fixtures.js';
import { runToNextEpoch, stakedValidator } from './devnet-fixtures.js';

// The subnet owner's epoch-schedule calls and the per-mille activity cutoff on the devnet, with the values of subtensor's
// own tests. Origin: opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, pallets/subtensor/src/tests/tempo_control.rs
// (test names beside each case), coinbase/tempo_control.rs, utils/misc.rs, migrations/migrate_dynamic_tempo.rs
// (docs/chain.md "Epoch schedule").

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice'); // owns the genesis subnet 1
const owner = keyring.addFromUri('//TempoOwner');
const other = keyring.addFromUri('//NotTheOwner');

/** tempo_control.rs `setup_subnet`: a tempo-360 subnet of `owner`, commit-reveal as given, admin freeze window `window`. */
async function ownedSubnet(dev: Devnet, opts: { commitReveal?: boolean; window?: number; tempo?: number } = {}): Promise<number> {
  const netuid = await dev.createSubnet(owner.address, { tempo: opts.tempo ?? 360, commitRevealWeightsEnabled: opts.commitReveal ?? false });
  dev.store.setMeta('admin_freeze_window', String(opts.window ?? 0));
  return netuid;
}

/** The freeze-window scenario of tempo_control.rs: Tempo 10, LastEpochBlock 1, AdminFreezeWindow 8, run_to_block(5). */
async function imminentEpoch(dev: Devnet): Promise<number> {
  const netuid = await ownedSubnet(dev, { tempo: 10, window: 8 });
  dev.store.tx(() => dev.store.updateSubnet({ ...dev.store.subnet(netuid)!, lastEpoch: 1 }));
  dev.produceBlocks(5 - dev.block);
  assert.equal(dev.block, 5);
  return netuid;
}

test('set_tempo: owner only, 360..50400, resets the cycle (next epoch = now + tempo), cutoff follows the tempo, rate-limited', async () => {
  const dev = await Devnet.open();
  try {
    // do_set_tempo_works_with_commit_reveal_enabled: CR does not block set_tempo.
    const netuid = await ownedSubnet(dev, { commitReveal: true });
    dev.produceBlocks(10);
    await assert.rejects(dev.setTempo(other, netuid, 720), E.NotSubnetOwnerError);
    await assert.rejects(dev.setTempo(owner, netuid, 359), E.TempoOutOfBoundsError);
    await assert.rejects(dev.setTempo(owner, netuid, 50_401), E.TempoOutOfBoundsError);
    const r = await dev.setTempo(owner, netuid, 720);
    const h = await dev.hyperparameters(netuid);
    assert.equal(h.tempo, 720);
    // get_next_epoch_start_block_reflects_set_tempo_cycle_reset: LastEpochBlock = now, next fire now + 720.
    assert.equal(dev.lastEpochBlock(netuid), r.block);
    assert.equal(dev.nextEpochBlock(netuid), r.block + 720);
    // the default factor 13 889 ‰ is 5000 blocks at tempo 360 and 10 000 at 720 (get_activity_cutoff_blocks)
    assert.equal(h.activityCutoffFactor, 13_889);
    assert.equal(h.activityCutoff, 10_000);
    // TransactionType::TempoUpdate: MIN_TEMPO blocks between two changes by the owner
    dev.produceBlocks(1);
    await assert.rejects(dev.setTempo(owner, netuid, 360), E.AdminRateLimitError);
    dev.produceBlocks(359);
    await dev.setTempo(owner, netuid, 360);
    assert.equal((await dev.hyperparameters(netuid)).activityCutoff, 5000);
    // the epochs follow the new schedule: the next one runs exactly tempo blocks after the reset
    const next = dev.nextEpochBlock(netuid)!;
    dev.produceBlocks(next - dev.block);
    assert.equal(dev.lastEpochBlock(netuid), next);
  } finally {
    await dev.close();
  }
});

test('set_activity_cutoff_factor: 1000..50000 ‰, the epoch cutoff becomes factor·tempo/1000; the owner is refused in the freeze window', async () => {
  const dev = await Devnet.open();
  try {
    const netuid = await ownedSubnet(dev);
    dev.produceBlocks(1); // a change recorded at block 0 does not rate-limit (check_passes_rate_limit: last block 0 passes)
    await assert.rejects(dev.setActivityCutoffFactor(other, netuid, 5000), E.NotSubnetOwnerError);
    await assert.rejects(dev.setActivityCutoffFactor(owner, netuid, 999), E.ActivityCutoffFactorOutOfBoundsError);
    await assert.rejects(dev.setActivityCutoffFactor(owner, netuid, 50_001), E.ActivityCutoffFactorOutOfBoundsError);
    await dev.setActivityCutoffFactor(owner, netuid, 20_000);
    const h = await dev.hyperparameters(netuid);
    assert.deepEqual([h.activityCutoffFactor, h.activityCutoff], [20_000, 7200]);
    // OwnerHyperparamUpdate: once per tempo × OwnerHyperparamRateLimit (2) = 720 blocks
    dev.produceBlocks(1);
    await assert.rejects(dev.setActivityCutoffFactor(owner, netuid, 1000), E.AdminRateLimitError);
    // do_set_activity_cutoff_factor_works_for_root_bypassing_freeze_window (owner half): frozen 6 < 8 blocks before the epoch
    const frozen = await imminentEpoch(dev);
    await assert.rejects(dev.setActivityCutoffFactor(owner, frozen, 5000), E.AdminWindowClosedError);
    await assert.rejects(dev.setTempo(owner, frozen, 360), E.AdminWindowClosedError);
    assert.equal((await dev.hyperparameters(frozen)).activityCutoffFactor, 13_889);
    // ... and its root half: root (the devnet's sudo key, //Alice) bypasses the freeze window and the rate limit
    await dev.setActivityCutoffFactor(alice, frozen, 5000);
    await dev.setActivityCutoffFactor(alice, frozen, 6000);
    assert.equal((await dev.hyperparameters(frozen)).activityCutoffFactor, 6000);
    await assert.rejects(dev.setActivityCutoffFactor(alice, frozen, 999), E.ActivityCutoffFactorOutOfBoundsError, 'root keeps the bounds');
  } finally {
    await dev.close();
  }
});

test('sudo_set_tempo: root only, any tempo ≥ 1 (no MIN_TEMPO), the admin window still applies, the cycle resets', async () => {
  const dev = await Devnet.open();
  try {
    const netuid = await ownedSubnet(dev, { window: 10 });
    dev.produceBlocks(3);
    await assert.rejects(dev.sudoSetTempo(owner, netuid, 100), E.NotRootError, 'the owner is not root');
    await assert.rejects(dev.sudoSetTempo(alice, netuid, 0), E.TempoOutOfBoundsError, 'tempo 0 is refused on the devnet');
    const r = await dev.sudoSetTempo(alice, netuid, 100);
    assert.equal((await dev.hyperparameters(netuid)).tempo, 100);
    assert.equal(dev.nextEpochBlock(netuid), r.block + 100);
    assert.equal((await dev.hyperparameters(netuid)).activityCutoff, 1388, '13 889 ‰ of 100 blocks');
    // ensure_admin_window_open: 5 blocks before the epoch, inside the window of 10
    dev.produceBlocks(r.block + 95 - dev.block);
    await assert.rejects(dev.sudoSetTempo(alice, netuid, 200), E.AdminWindowClosedError);
  } finally {
    await dev.close();
  }
});

test('trigger_epoch: refused on commit-reveal subnets, when the auto epoch is imminent, and twice; fires AdminFreezeWindow blocks later', async () => {
  const dev = await Devnet.open();
  try {
    // do_trigger_epoch_blocked_with_commit_reveal_enabled
    const cr = await ownedSubnet(dev, { commitReveal: true, window: 5 });
    await assert.rejects(dev.triggerEpoch(owner, cr), E.DynamicTempoBlockedByCommitRevealError);
    assert.equal(dev.store.subnet(cr)!.pendingEpochAt, 0);
    // do_trigger_epoch_rejects_when_auto_epoch_already_imminent: (1 + 10) − 5 = 6 < 8
    const soon = await imminentEpoch(dev);
    await assert.rejects(dev.triggerEpoch(owner, soon), E.AutoEpochAlreadyImminentError);
    assert.equal(dev.store.subnet(soon)!.pendingEpochAt, 0);
    // do_trigger_epoch_works_with_commit_reveal_disabled: PendingEpochAt = now + 5
    const netuid = await ownedSubnet(dev, { window: 5 });
    await assert.rejects(dev.triggerEpoch(other, netuid), E.NotSubnetOwnerError);
    const r = await dev.triggerEpoch(owner, netuid);
    assert.equal(r.firesAt, r.block + 5);
    assert.equal(dev.store.subnet(netuid)!.pendingEpochAt, r.block + 5);
    assert.equal(dev.nextEpochBlock(netuid), r.block + 5);
    await assert.rejects(dev.triggerEpoch(owner, netuid), E.EpochTriggerAlreadyPendingError);
    // the pending trigger freezes admin calls until it fires (is_in_admin_freeze_window)
    await assert.rejects(dev.setActivityCutoffFactor(owner, netuid, 5000), E.AdminWindowClosedError);
    dev.produceBlocks(r.firesAt - dev.block);
    assert.equal(dev.lastEpochBlock(netuid), r.firesAt, 'the triggered epoch ran at its block');
    assert.equal(dev.store.subnet(netuid)!.pendingEpochAt, 0);
    assert.equal(dev.nextEpochBlock(netuid), r.firesAt + 360, 'the cycle restarts from the triggered epoch');
    // OwnerHyperparamUpdate(TriggerEpoch): again only 720 blocks after the last trigger
    await assert.rejects(dev.triggerEpoch(owner, netuid), E.AdminRateLimitError);
  } finally {
    await dev.close();
  }
});

test('set_tempo moves LastEpochBlock but not the last epoch run: bonds on a uid re-registered in between are still reset', async () => {
  // run_epoch.rs resets bonds on uids registered after LastMechansimStepBlock, which only an epoch run sets; set_tempo's
  // cycle reset (LastEpochBlock = now) must not hide a registration between the last epoch and the set_tempo.
  const dev = await Devnet.open();
  try {
    await dev.faucet(owner.address, 1_000_000_000_000n);
    const netuid = await dev.createSubnet(owner.address, { maxAllowedUids: 3, immunityPeriod: 0, weightsRateLimit: 0 });
    const v = await stakedValidator(dev, { netuid, coldUri: '//TempoOwner', validatorUri: '//TempoOwner//v', faucetTao: 100, stakeTao: 50 });
    for (const m of ['//TempoOwner//m1', '//TempoOwner//m2']) await dev.burnedRegister(netuid, owner, keyring.addFromUri(m).address);
    dev.produceBlocks(1);
    await dev.setWeights(v.validator, { netuid, uids: [1, 2], weights: [2, 1], versionKey: 0 });
    runToNextEpoch(dev, netuid);
    assert.deepEqual(dev.bondsOf(netuid)[0]!.map(([j]) => j), [1, 2], 'bonds on both miners after the first epoch');
    // uid 2 (less emission) is pruned for a new miner; then the owner sets the tempo, resetting the cycle.
    dev.produceBlocks(20);
    const r = await dev.burnedRegister(netuid, owner, keyring.addFromUri('//TempoOwner//m3').address);
    assert.equal(r.uid, 2);
    dev.produceBlocks(1);
    await dev.setTempo(owner, netuid, 400);
    runToNextEpoch(dev, netuid);
    // the validator's weight on uid 2 predates its registration (outdated) and the old holder's bond was reset: none left
    assert.deepEqual(dev.bondsOf(netuid)[0]!.map(([j]) => j), [1]);
  } finally {
    await dev.close();
  }
});

test('migrate_dynamic_tempo on a devnet data folder: a cutoff stored in blocks becomes ⌈1000·cutoff/tempo⌉ ‰ and round-trips', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-cutoff-'));
  try {
    let dev = await Devnet.open({ dataDir: dir });
    const n2 = await dev.createSubnet(owner.address, { tempo: 360 });
    const n3 = await dev.createSubnet(owner.address, { tempo: 99 });
    await dev.close();
    // Rewrite the subnets as a data folder from before the change stored them: activityCutoff in blocks, no factor.
    const db = new Database(join(dir, 'devnet.sqlite'));
    for (const [netuid, cutoff] of [[1, 5000], [n2, 7200], [n3, 12_000]] as const) {
      const row = db.prepare('SELECT hyperparams FROM subnets WHERE netuid = ?').get(netuid) as { hyperparams: string };
      const h = JSON.parse(row.hyperparams) as Record<string, unknown>;
      delete h['activityCutoffFactor'];
      h['activityCutoff'] = cutoff;
      db.prepare('UPDATE subnets SET hyperparams = ? WHERE netuid = ?').run(JSON.stringify(h), netuid);
    }
    db.close();
    dev = await Devnet.open({ dataDir: dir });
    const read = async (n: number) => { const h = await dev.hyperparameters(n); return [h.activityCutoffFactor, h.activityCutoff]; };
    assert.deepEqual(await read(1), [13_889, 5000], 'the production default');
    assert.deepEqual(await read(n2), [20_000, 7200]);
    // 12 000 blocks at tempo 99 is 121 213 ‰, clamped to the 50 000 maximum as the migration clamps it
    assert.deepEqual(await read(n3), [50_000, 4950]);
    dev.produceBlocks(1); // the next write stores the factor
    await dev.close();
    const db2 = new Database(join(dir, 'devnet.sqlite'), { readonly: true });
    const stored = JSON.parse((db2.prepare('SELECT hyperparams FROM subnets WHERE netuid = ?').get(n2) as { hyperparams: string }).hyperparams) as Record<string, unknown>;
    db2.close();
    assert.equal(stored['activityCutoffFactor'], 20_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real CLI: `zkinfer chain owner set-tempo | set-activity-cutoff | trigger-epoch` against a devnet over JSON-RPC', async () => {
  const dev = await Devnet.open();
  const server = await serveDevnet(dev, { port: 0 });
  const rpc = await RpcChain.connect(server.url);
  const cli = (args: string[]) => runNode([...CLI_NODE_ARGS, 'chain', 'owner', ...args, '--network', server.url, '--netuid', '1']);
  try {
    dev.store.setMeta('admin_freeze_window', '3');
    dev.produceBlocks(2);
    let r = await cli(['trigger-epoch', '--coldkey-uri', '//Alice']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /subnet 1 epoch triggered at block 2; it runs at block 5/);
    assert.equal(dev.nextEpochBlock(1), 5);
    dev.produceBlocks(3);
    assert.equal(dev.lastEpochBlock(1), 5);
    r = await cli(['set-tempo', '--tempo', '720', '--coldkey-uri', '//Alice']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /subnet 1 tempo set to 720 at block 5; next epoch at block 725/);
    // inside the freeze window (2 blocks before the epoch at 725; window 3) a call waits for the epoch, says so on
    // stderr, and lands once it has passed (sudo_set_tempo: the window applies, no rate limit)
    dev.produceBlocks(718);
    const waiting = startCli(['chain', 'owner', 'sudo-set-tempo', '--tempo', '720', '--coldkey-uri', '//Alice', '--network', server.url, '--netuid', '1']);
    await waiting.waitFor(/admin calls on subnet 1 are frozen: the next epoch is 2 blocks away.*retrying each second until the epoch has passed/);
    dev.produceBlocks(3);
    assert.equal((await waiting.exited()).code, 0, waiting.err());
    assert.match(waiting.out(), /subnet 1 tempo set to 720 by root at block 726; next epoch at block 1446/);
    r = await cli(['set-activity-cutoff', '--factor', '2500', '--coldkey-uri', '//Alice']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /activity cutoff factor set to 2500 ‰: 1800 blocks/);
    assert.deepEqual([(await rpc.hyperparameters(1)).activityCutoff, (await rpc.hyperparameters(1)).tempo], [1800, 720]);
    // typed errors reach the user with what to do; the node keeps serving
    r = await cli(['set-tempo', '--tempo', '100', '--coldkey-uri', '//Alice']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /tempo 100 is outside 360\.\.50400/);
    assert.equal(await rpc.currentBlock(), dev.block);
  } finally {
    await rpc.close();
    await server.close();
    await dev.close();
  }
});

test('subtensor adapter: activity_cutoff as the 2026 runtime API returns it (Compact<u64>), the factor from storage; owner calls need a 2026 runtime', () => {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readSubtensorFixture('metadata-v15.scale.gz', true));
  registry.setMetadata(metadata);
  // The fixture runtime (finney, Sep 2025) declares activity_cutoff Compact<u16>; subtensor 14bc6f9f's SubnetHyperparamsV2
  // (rpc_info/subnet_info.rs) has Compact<u64>, the effective ⌊factor·tempo/1000⌋. Same field order otherwise.
  const v2 = JSON.parse(registry.createType('PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2').toRawType()) as Record<string, string>;
  assert.equal(v2['activityCutoff'], 'Compact<u16>');
  const at2026 = JSON.stringify({ ...v2, activityCutoff: 'Compact<u64>' });
  // factor 50 000 ‰ at tempo 7200: 360 000 blocks, beyond a u16
  const bytes = registry.createType(at2026, { tempo: 7200, activityCutoff: 360_000, maxValidators: 64, yumaVersion: 2 }).toU8a();
  const decoded = registry.createType(at2026, bytes).toJSON() as Record<string, unknown>;
  const h = hyperparametersFromRuntime(decoded, { maxAllowedUids: 256, burn: 1n, bondsPenalty: 65535, activityCutoffFactor: 50_000 });
  assert.deepEqual([h.tempo, h.activityCutoff, h.activityCutoffFactor, h.maxAllowedValidators], [7200, 360_000, 50_000, 64]);
  // A node's own metadata decodes its answer; the old u16 type cannot hold it (why the adapter never uses bundled metadata live).
  assert.throws(() => registry.createType('PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2', bytes), /Input too large/);
  // Before the factor existed the runtime has no ActivityCutoffFactorMilli storage: the factor is left out.
  const q = expandMetadata(registry, metadata).query['subtensorModule']!;
  assert.equal(q['activityCutoffFactorMilli'], undefined);
  assert.equal(hyperparametersFromRuntime(decoded, { maxAllowedUids: 256, burn: 1n, bondsPenalty: 65535 }).activityCutoffFactor, undefined);
  // set_tempo (139), set_activity_cutoff_factor (140) and trigger_epoch (141) are absent from that runtime: a typed refusal.
  const tx = expandMetadata(registry, metadata).tx as unknown as TxSections<unknown>;
  assert.throws(() => setTempoCall(tx, 1, 720), E.UnsupportedOnChainError);
  assert.throws(() => setActivityCutoffFactorCall(tx, 1, 20_000), E.UnsupportedOnChainError);
  assert.throws(() => triggerEpochCall(tx, 1), E.UnsupportedOnChainError);
});
