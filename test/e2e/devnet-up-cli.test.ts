// The README's main job as a user types it: `zkinfer devnet up --fast` compiles (or reuses) the staking LSTM,
// starts the devnet, a validator (with its API) and 3 miners, and shows the live table; miners' proofs verify;
// one SIGTERM stops everything with the state kept (docs/network.md, "devnet up").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../lifecycle/spawn-cli.js';

test('zkinfer devnet up --fast: every miner answers with proofs the validator verifies, one SIGTERM stops it with state kept', { timeout: 600_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'zkinfer-devnet-up-'));
  const run = startCli(['devnet', 'up', '--fast', '--data', data, '--api-port', '0', '--rpc-port', '0']);
  try {
    // the validator runs a development network on INSECURE-DEV keys, and says so
    await run.waitFor(/validator runs with --allow-insecure-dev/, 420_000);
    // a table row per miner with at least one verified proof (uid, role, verified, failed, …)
    for (const m of ['miner1', 'miner2', 'miner3']) {
      await run.waitFor(new RegExp(`\\d+\\s+${m}\\s+[1-9]\\d*\\s+\\d+\\s`), 240_000);
    }
    assert.doesNotMatch(run.out() + run.err(), /INSECURE_DEV_REFUSED|Unhandled|TypeError/);
    assert.ok(existsSync(join(data, 'zkinfer.lock')), 'devnet up holds the data-dir lock while it runs');
    run.proc.kill('SIGTERM');
    const r = await run.exited(20_000);
    assert.equal(r.code, 0, `exit code ${r.code} (signal ${r.signal}):\n${run.err()}`);
    assert.match(run.out() + run.err(), /stopped; state kept in/);
    assert.equal(existsSync(join(data, 'zkinfer.lock')), false, 'the data-dir lock is released on stop');
  } finally {
    if (run.proc.exitCode === null) run.proc.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
});
