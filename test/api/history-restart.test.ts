// Dashboard history across restarts (docs/api.md, "Dashboard"): a real validator (devnet, SQLite store, its
// API) samples the network; after the API and the validator are stopped and a new validator opens the same
// database, GET /v1/network still returns the points taken before the restart (less two damaged on disk), then new ones.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { loadValidatorCircuit } from '../../src/validator/circuits.js';
import { Validator } from '../../src/validator/validator.js';
import { createValidatorApi } from '../../src/api/validator-api.js';
import type { NetworkViewWire } from '../../src/api/wire.js';
import { affineArtifacts, endSnarkjs } from './harness.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

const NETUID = 1;
after(endSnarkjs);

test('the dashboard history survives a validator restart (points kept in its SQLite store)', async () => {
  await cryptoWaitReady();
  const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-history-'));
  const devnet = await Devnet.open({ fast: true });
  try {
    const { validator: hot } = await stakedValidator(devnet, { netuid: NETUID, coldUri: '//HistoryCold', validatorUri: '//HistoryValidator', faucetTao: 1000, stakeTao: 100 });
    const circuit = await loadValidatorCircuit((await affineArtifacts()).dir, { allowInsecureDev: true });
    const dbPath = join(tmp, 'validator.sqlite');

    const run = async <T>(f: (url: string) => Promise<T>): Promise<T> => {
      const validator = new Validator({ hotkey: hot, chain: devnet, netuid: NETUID, dbPath, circuits: [circuit], concurrency: 1, seed: 1 });
      await validator.start();
      const api = await createValidatorApi({ validator, circuits: [circuit], chain: devnet, netuid: NETUID, config: { port: 0, historyIntervalS: 0.05 } });
      try {
        return await f(await api.listen());
      } finally {
        await api.close();
        await validator.stop();
        validator.close();
      }
    };
    const network = async (url: string): Promise<NetworkViewWire> => (await (await fetch(`${url}/v1/network`)).json()) as NetworkViewWire;

    const before = await run(async (url) => {
      for (let i = 0; i < 40; i++) {
        devnet.produceBlock();
        await new Promise((r) => setTimeout(r, 60));
        const n = await network(url);
        if (n.history.length >= 4) return n.history;
      }
      assert.fail('no history sampled');
    });
    // Damage two stored points (a map cut short, a map of strings): the validator still starts, without them.
    const db = new Database(dbPath);
    const ids = (db.prepare('SELECT id FROM dashboard_history ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    db.prepare('UPDATE dashboard_history SET incentive = ? WHERE id = ?').run('{"1":0.49', ids[1]);
    db.prepare('UPDATE dashboard_history SET score = ? WHERE id = ?').run('{"1":"<b>x</b>"}', ids[2]);
    db.close();
    const kept = before.filter((_p, i) => i !== 1 && i !== 2);
    devnet.produceBlock();
    const after = await run(async (url) => (await network(url)).history);
    // the newest point may be re-sampled (same block, later time) after it was read: compare blocks, and times up to it
    assert.deepEqual(after.slice(0, kept.length).map((p) => p.block), kept.map((p) => p.block), 'points from before the restart are served');
    assert.deepEqual(after.slice(0, kept.length - 1).map((p) => p.at), kept.slice(0, -1).map((p) => p.at));
    assert.ok(after.length > kept.length && after.at(-1)!.block > before.at(-1)!.block, 'and new samples follow');
  } finally {
    await devnet.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
