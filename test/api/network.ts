// A real zkinfer network in-process, for the API's end-to-end tests: devnet (fast blocks), honest miners
// proving with snarkjs in worker threads, and a validator — all over loopback — with the validator's API.
import type { CompetitionWeights } from '../../src/validator/competition-scores.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { CircuitStore } from '../../src/miner/circuit-store.js';
import { Miner } from '../../src/miner/miner.js';
import { PoolBackend } from '../../src/miner/pool-backend.js';
import { loadValidatorCircuit } from '../../src/validator/circuits.js';
import { Validator } from '../../src/validator/validator.js';
import { createValidatorApi } from '../../src/api/validator-api.js';
import type { ApiConfigInput } from '../../src/api/config.js';
import { affineArtifacts } from './harness.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

export const NETUID = 1;

export interface TestNetwork {
  url: string;
  devnet: Devnet;
  validator: Validator;
  validatorHotkey: KeyringPair;
  minerUids: number[];
  api: Awaited<ReturnType<typeof createValidatorApi>>;
  close(): Promise<void>;
}

/**
 * `n` registered hotkeys whose axons point at a closed loopback port (nothing answers there): cheap uids that make
 * the metagraph large (e.g. more than the scoring circuit's 16 columns) without running more miners.
 */
async function registerIdle(devnet: Devnet, cold: KeyringPair, n: number): Promise<void> {
  const k = new Keyring({ type: 'sr25519' });
  for (let i = 0; i < n; i++) {
    const hot = k.addFromUri(`//ApiTestIdle/${i}`);
    await devnet.burnedRegister(NETUID, cold, hot.address);
    await devnet.serveAxon(hot, { netuid: NETUID, ip: '127.0.0.1', port: 9, version: 1000 });
    devnet.produceBlock();
  }
}

export async function startNetwork(
  opts: { miners?: number; config?: ApiConfigInput; dashboardDir?: string; blockMs?: number; circuitDir?: string; benchmarkIntervalMs?: number; proofOfWeightsDir?: string; competition?: CompetitionWeights; idleUids?: number } = {},
): Promise<TestNetwork> {
  await cryptoWaitReady();
  const dir = opts.circuitDir ?? (await affineArtifacts()).dir;
  const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-api-net-'));
  const devnet = await Devnet.open({ fast: true, hyperparameters: { tempo: 10, weightsRateLimit: 3 } });
  const { keyring: k, cold, validator: vHot } = await stakedValidator(devnet, { netuid: NETUID, coldUri: '//ApiTestColdkey', validatorUri: '//ApiTestValidator', faucetTao: 10_000, stakeTao: 1000 });
  const miners: Array<{ miner: Miner; backend: PoolBackend }> = [];
  const minerUids: number[] = [];
  for (let i = 0; i < (opts.miners ?? 2); i++) {
    const hot = k.addFromUri(`//ApiTestMiner/${i}`);
    const { uid } = await devnet.burnedRegister(NETUID, cold, hot.address);
    devnet.produceBlock();
    const circuits = new CircuitStore();
    await circuits.add(dir, { capacity: 2 });
    if (opts.proofOfWeightsDir) await circuits.add(opts.proofOfWeightsDir, { capacity: 1 });
    const backend = new PoolBackend({ size: 1 });
    const miner = new Miner({ hotkey: hot, chain: devnet, netuid: NETUID, circuits, backend });
    await miner.start();
    miners.push({ miner, backend });
    minerUids.push(uid);
    if (i === 0) await registerIdle(devnet, cold, opts.idleUids ?? 0);
  }
  const circuit = await loadValidatorCircuit(dir, { timeoutS: 120, allowInsecureDev: true });
  const pow = opts.proofOfWeightsDir ? await loadValidatorCircuit(opts.proofOfWeightsDir, { timeoutS: 120, allowInsecureDev: true }) : undefined;
  // Build snarkjs's shared curve once before the validator verifies concurrently: concurrent first uses each
  // build their own (ffjavascript caches it only once built), and the extra worker pools outlive the test.
  await snarkjs.curves.getCurveFromName('bn128');
  const validator = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath: join(tmp, 'validator.sqlite'), circuits: [circuit], concurrency: 4, seed: 11, benchmarkIntervalMs: opts.benchmarkIntervalMs ?? 500, ...(pow ? { proofOfWeights: { circuit: pow } } : {}), ...(opts.competition ? { competition: opts.competition } : {}) });
  await validator.start();
  const timer = setInterval(() => devnet.produceBlock(), opts.blockMs ?? 150);
  const api = await createValidatorApi({
    validator,
    circuits: pow ? [circuit, pow] : [circuit],
    chain: devnet,
    netuid: NETUID,
    ...(opts.circuitDir ? {} : { models: { [circuit.id]: { aliases: ['affine'] } } }),
    config: { port: 0, historyIntervalS: 0.5, ...opts.config },
    ...(opts.dashboardDir ? { dashboardDir: opts.dashboardDir } : {}),
  });
  const url = await api.listen();
  return {
    url,
    devnet,
    validator,
    validatorHotkey: vHot,
    minerUids,
    api,
    async close() {
      clearInterval(timer);
      await api.close();
      await validator.stop().catch(() => undefined);
      validator.close();
      for (const m of miners) {
        await m.miner.stop().catch(() => undefined);
        await m.backend.close();
      }
      await devnet.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
