import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { Devnet } from '../chain/devnet/devnet.js';
import { serveDevnet } from '../chain/rpc/server.js';
import { taoToRao, type Metagraph } from '../chain/types.js';
import { CircuitStore } from '../miner/circuit-store.js';
import { Miner } from '../miner/miner.js';
import { PoolBackend } from '../miner/pool-backend.js';
import { ensureCrypto } from '../protocol/signing.js';
import { loadValidatorCircuit, type ValidatorCircuit } from '../validator/circuits.js';
import { Validator } from '../validator/validator.js';
import type { RealInputs } from '../protocol/circuit-io.js';
import { ensureDevnetWallets, type DevnetNeuronKeys } from './wallets.js';
import { tableRows, type TableRow } from './table.js';

export const DEVNET_NETUID = 1;

export interface DevnetUpOptions {
  /** State folder: chain (devnet.sqlite), wallets/, validator.sqlite. A rerun continues from it. */
  dataDir: string;
  miners: number;
  fast: boolean;
  /** Artifacts directory of the circuit to serve. */
  circuitDir: string;
  /** Benchmark input generator for the circuit (default: uniform random within its input range). */
  generate?: (rand: () => number) => RealInputs;
  /** First miner port (consecutive after it); 0 = any free port. */
  basePort?: number;
  /** Prover backend of the miners' worker pools. */
  prover?: 'snarkjs' | 'native' | 'auto';
  /** Query timeout, seconds. */
  timeoutS?: number;
  /** Serve the chain's JSON-RPC on 127.0.0.1 at this port (0 = any free port) so other processes can attach; undefined = not served. */
  rpcPort?: number;
  log?: (line: string) => void;
}

export interface DevnetUpHandle {
  devnet: Devnet;
  /** The chain's JSON-RPC URL when served (`--network URL` for `zkinfer miner` / `zkinfer chain metagraph`). */
  rpcUrl?: string;
  validator: Validator;
  miners: Miner[];
  keys: DevnetNeuronKeys[];
  /** The live table rows at the current block. */
  rows(): Promise<{ block: number; rows: TableRow[]; metagraph: Metagraph }>;
  /** Stop everything (validator first so in-flight results are recorded, then miners, then the chain). */
  stop(): Promise<void>;
}

const FUND = taoToRao(1_000);
const VALIDATOR_STAKE = taoToRao(500);

/** Start a devnet, register and stake the neurons, and run miners and a validator in this process. */
export async function devnetUp(opts: DevnetUpOptions): Promise<DevnetUpHandle> {
  const log = opts.log ?? (() => undefined);
  await ensureCrypto();
  mkdirSync(opts.dataDir, { recursive: true });
  const devnet = await Devnet.open({ dataDir: join(opts.dataDir, 'chain'), fast: opts.fast });
  const stops: Array<() => Promise<void>> = [async () => devnet.close()];
  const stopAll = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch((e: Error) => log(`stop: ${e.message}`));
    stops.length = 0;
  };
  try {
    let rpcUrl: string | undefined;
    if (opts.rpcPort !== undefined) {
      const server = await serveDevnet(devnet, { port: opts.rpcPort, portFlag: '--rpc-port', onError: (e) => log(`chain rpc: ${e instanceof Error ? e.message : String(e)}`) });
      stops.push(() => server.close());
      rpcUrl = server.url;
      log(`chain JSON-RPC on ${rpcUrl} (attach: zkinfer miner --network ${rpcUrl} …, zkinfer chain metagraph --network ${rpcUrl})`);
    }
    devnet.start();
    const keys = await ensureDevnetWallets(join(opts.dataDir, 'wallets'), opts.miners);
    for (const k of keys) {
      if ((await devnet.uidOf(DEVNET_NETUID, k.hotkey.address)) !== undefined) continue;
      if ((await devnet.balance(k.coldkey.address)) < FUND / 2n) await devnet.faucet(k.coldkey.address, FUND);
      const { uid } = await devnet.burnedRegister(DEVNET_NETUID, k.coldkey, k.hotkey.address);
      log(`registered ${k.name} (${k.role}) as uid ${uid}`);
      if (k.role === 'validator') await devnet.addStake(k.coldkey, k.hotkey.address, VALIDATOR_STAKE);
    }
    // a development network: its validator accepts INSECURE-DEV keys, and says so (docs/security.md)
    const circuit: ValidatorCircuit = await loadValidatorCircuit(opts.circuitDir, {
      allowInsecureDev: true,
      timeoutS: opts.timeoutS ?? 60,
      ...(opts.generate ? { generate: opts.generate } : {}),
    });
    if (circuit.artifacts.metadata.security === 'INSECURE-DEV') log(`validator runs with --allow-insecure-dev: circuit ${circuit.id.slice(0, 16)}… is INSECURE-DEV (every miner can read the dev secret and forge proofs; development only)`);
    const miners: Miner[] = [];
    let i = 0;
    for (const k of keys.filter((x) => x.role === 'miner')) {
      const circuits = new CircuitStore();
      await circuits.add(opts.circuitDir, { capacity: 1 });
      const backend = new PoolBackend({ size: 1, prover: opts.prover ?? 'auto' });
      const miner = new Miner({ hotkey: k.hotkey, chain: devnet, netuid: DEVNET_NETUID, circuits, backend, port: opts.basePort ? opts.basePort + i : 0, log });
      i++;
      stops.push(async () => { await miner.stop(); await backend.close(); });
      const port = await miner.start();
      miners.push(miner);
      log(`${k.name} serving on 127.0.0.1:${port}`);
    }
    const vKeys = keys.find((k) => k.role === 'validator')!;
    const validator = new Validator({
      hotkey: vKeys.hotkey,
      chain: devnet,
      netuid: DEVNET_NETUID,
      dbPath: join(opts.dataDir, 'validator.sqlite'),
      circuits: [circuit],
      concurrency: Math.max(1, opts.miners),
      log,
    });
    stops.push(async () => { await validator.stop(); validator.close(); });
    await validator.start();
    const roles = new Map(keys.map((k) => [k.hotkey.address, k.name]));
    return {
      devnet,
      ...(rpcUrl ? { rpcUrl } : {}),
      validator,
      miners,
      keys,
      async rows() {
        const metagraph = await devnet.metagraph(DEVNET_NETUID);
        return { block: metagraph.block, metagraph, rows: tableRows(metagraph, validator.store, validator.lastWeights(), roles) };
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
