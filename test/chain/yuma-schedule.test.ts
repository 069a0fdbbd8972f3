import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activityCutoffBlocks, activityCutoffFactorFromBlocks, blocksUntilNextAutoEpoch, INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI, initialLastEpochBlock,
  legacyLastEpochBlock, nextEpochStartBlock, scheduleBlock, shouldRunEpoch, MAX_TEMPO, type ScheduleState,
} from '../../src/chain/yuma/schedule.js';

// subtensor's 2026 epoch scheduler, with the asserted values of its tests. Origin: opentensor/subtensor
// 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, pallets/subtensor/src/tests/{tempo_control,migration,coinbase}.rs
// (docs/chain.md "Epoch schedule").

const state = (over: Partial<ScheduleState>): ScheduleState => ({ tempo: 360, lastEpochBlock: 0, pendingEpochAt: 0, blocksSinceLastStep: 0, ...over });

test('tempo_control.rs get_next_epoch_start_block_*: LastEpochBlock + tempo, an earlier PendingEpochAt wins, none at tempo 0', () => {
  assert.equal(nextEpochStartBlock(state({ tempo: 0 })), null, 'returns_none_when_tempo_zero');
  assert.equal(nextEpochStartBlock(state({ lastEpochBlock: 100, tempo: 50 })), 150, 'uses_last_epoch_block_plus_tempo');
  assert.equal(nextEpochStartBlock(state({ lastEpochBlock: 100, tempo: 50, pendingEpochAt: 120 })), 120, 'returns_pending_when_pending_is_earlier');
  assert.equal(nextEpochStartBlock(state({ lastEpochBlock: 100, tempo: 50, pendingEpochAt: 200 })), 150, 'ignores_pending_when_auto_is_earlier');
  // reflects_set_tempo_cycle_reset: set_tempo(720) at block 10 anchors LastEpochBlock = 10.
  assert.equal(nextEpochStartBlock(state({ lastEpochBlock: 10, tempo: 720 })), 730);
  // do_trigger_epoch_rejects_when_auto_epoch_already_imminent: (1 + 10) − 5 = 6 blocks left < window 8.
  assert.equal(blocksUntilNextAutoEpoch(state({ tempo: 10, lastEpochBlock: 1 }), 5), 6);
  assert.equal(blocksUntilNextAutoEpoch(state({ tempo: 0 }), 5), Infinity);
});

test('should_run_epoch: tempo blocks after the last slot, a due trigger, the MAX_TEMPO safety net; never at tempo 0', () => {
  const s = state({ tempo: 10, lastEpochBlock: 100 });
  assert.equal(shouldRunEpoch(s, 109), false);
  assert.equal(shouldRunEpoch(s, 110), true);
  assert.equal(shouldRunEpoch({ ...s, pendingEpochAt: 105 }, 105), true);
  assert.equal(shouldRunEpoch({ ...s, pendingEpochAt: 105 }, 104), false);
  assert.equal(shouldRunEpoch({ ...s, tempo: 50_000, blocksSinceLastStep: MAX_TEMPO + 1 }, 101), true);
  assert.equal(shouldRunEpoch({ ...s, tempo: 0, pendingEpochAt: 1 }, 200), false);
  // register_network staggers subnets created in one block: LastEpochBlock = now − (netuid mod tempo).
  assert.deepEqual([1, 2, 3, 11].map((netuid) => initialLastEpochBlock(1000, netuid, 10)), [999, 998, 997, 999]);
});

test('migration.rs test_migrate_dynamic_tempo_activity_cutoff_round_trips_production_values: factor·tempo/1000 gives the old cutoff back', () => {
  for (const [cutoff, tempo] of [[5000, 360], [6000, 360], [7200, 360], [12000, 360], [1000, 360], [360, 360]] as const) {
    assert.equal(activityCutoffBlocks(activityCutoffFactorFromBlocks(cutoff, tempo), tempo), cutoff, `cutoff ${cutoff} at tempo ${tempo}`);
  }
  // The default factor is the legacy 5000 blocks at tempo 360; the cutoff now scales with the tempo, at least 1 block.
  assert.equal(activityCutoffBlocks(INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI, 360), 5000);
  assert.equal(activityCutoffBlocks(INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI, 720), 10_000);
  assert.equal(activityCutoffBlocks(1000, 0), 1);
  // Out-of-range conversions are clamped to 1 000..50 000 per mille.
  assert.equal(activityCutoffFactorFromBlocks(10, 360), 1000);
  assert.equal(activityCutoffFactorFromBlocks(60_000, 360), 50_000);
});

/**
 * The legacy rule the migration continues: `should_run_epoch` ⇔ `blocks_until_next_epoch` = tempo − (block + netuid + 1)
 * mod (tempo + 1) = 0 (coinbase/run_coinbase.rs at 7e52a40857e456342d87cedf84ae3c4b4f1e69c4, the parent of the
 * dynamic-tempo commit). The devnet's isEpochBlock fires one block later than this (docs/chain.md "Epoch schedule").
 */
const legacyEpoch = (block: number, netuid: number, tempo: number) => tempo - ((block + netuid + 1) % (tempo + 1)) === 0;

test('migrate_dynamic_tempo seeds LastEpochBlock so the next epoch fires where the legacy modulo rule would', () => {
  for (const tempo of [1, 10, 360]) {
    for (const netuid of [1, 2, 7]) {
      for (const now of [400, 1000, 4321]) { // at least one tempo into the chain (below that the anchor saturates at 0)
        let legacyNext = now;
        while (!legacyEpoch(legacyNext, netuid, tempo)) legacyNext++;
        const s = state({ tempo, lastEpochBlock: legacyLastEpochBlock(now, netuid, tempo) });
        if (legacyNext === now) continue; // firing this very block: the legacy hook already ran before the upgrade
        assert.equal(nextEpochStartBlock(s), legacyNext, `tempo ${tempo}, netuid ${netuid}, block ${now}`);
      }
    }
  }
});

test('coinbase.rs test_epochs_deferred_this_block_respects_cap: due subnets beyond MaxEpochsPerBlock wait one block', () => {
  const cap = 32; // the test runtime's MaxEpochsPerBlock
  const subnets = new Map(Array.from({ length: cap + 2 }, (_, i) => [i + 1, state({ tempo: 100, pendingEpochAt: 1 })] as const));
  const first = scheduleBlock(subnets, 1, cap);
  assert.equal(first.run.length, cap);
  assert.deepEqual(first.deferred, [cap + 1, cap + 2]);
  for (const netuid of first.deferred) {
    assert.equal(first.next.get(netuid)!.pendingEpochAt, 2);
    assert.ok(shouldRunEpoch(first.next.get(netuid)!, 2), 'deferred subnets are due next block');
  }
  assert.equal(first.next.get(1)!.lastEpochBlock, 1);
  const second = scheduleBlock(first.next, 2, cap);
  assert.deepEqual(second.run, [cap + 1, cap + 2]);
});
