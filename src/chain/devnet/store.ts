/**
 * SQLite persistence of the devnet state (better-sqlite3, WAL). Amounts are stored as decimal TEXT
 * (rao bigints), u16 vectors as JSON. Every block and every call runs inside one transaction
 * (`Store.tx`), so a crash never leaves half a block.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AxonInfo, Commitment, Hyperparameters } from '../types.js';
import { HyperparametersSchema, hyperparametersToJson } from './hyperparams.js';
import { DEFAULT_FEE_RATE, type AlphaPool } from './pool.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS balances (coldkey TEXT PRIMARY KEY, free TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hotkey_owner (hotkey TEXT PRIMARY KEY, coldkey TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stakes (hotkey TEXT NOT NULL, coldkey TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY (hotkey, coldkey));
CREATE TABLE IF NOT EXISTS subnets (
  netuid INTEGER PRIMARY KEY, owner TEXT NOT NULL, hyperparams TEXT NOT NULL,
  pending_emission TEXT NOT NULL DEFAULT '0', last_epoch INTEGER NOT NULL DEFAULT -1,
  pending_epoch_at INTEGER NOT NULL DEFAULT 0, epoch_index INTEGER NOT NULL DEFAULT -1,
  regs_block INTEGER NOT NULL DEFAULT 0, regs_in_block INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS neurons (
  netuid INTEGER NOT NULL, uid INTEGER NOT NULL, hotkey TEXT NOT NULL, coldkey TEXT NOT NULL,
  registered_at INTEGER NOT NULL, last_update INTEGER NOT NULL,
  validator_permit INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,
  consensus INTEGER NOT NULL DEFAULT 0, incentive INTEGER NOT NULL DEFAULT 0, dividends INTEGER NOT NULL DEFAULT 0,
  trust INTEGER NOT NULL DEFAULT 0, validator_trust INTEGER NOT NULL DEFAULT 0, emission TEXT NOT NULL DEFAULT '0',
  weights TEXT NOT NULL DEFAULT '[]', bonds TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (netuid, uid), UNIQUE (netuid, hotkey));
CREATE TABLE IF NOT EXISTS axons (
  netuid INTEGER NOT NULL, hotkey TEXT NOT NULL, ip TEXT NOT NULL, ip_type INTEGER NOT NULL, port INTEGER NOT NULL,
  version INTEGER NOT NULL, protocol INTEGER NOT NULL, block INTEGER NOT NULL, PRIMARY KEY (netuid, hotkey));
CREATE TABLE IF NOT EXISTS commitments (
  netuid INTEGER NOT NULL, hotkey TEXT NOT NULL, block INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (netuid, hotkey));
CREATE TABLE IF NOT EXISTS timelocked_commits (
  id INTEGER PRIMARY KEY AUTOINCREMENT, netuid INTEGER NOT NULL, epoch INTEGER NOT NULL, hotkey TEXT NOT NULL,
  block INTEGER NOT NULL, round INTEGER NOT NULL, commit_hex TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alpha_pools (netuid INTEGER PRIMARY KEY, tao TEXT NOT NULL, alpha TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alpha_stakes (
  netuid INTEGER NOT NULL, hotkey TEXT NOT NULL, coldkey TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY (netuid, hotkey, coldkey));
CREATE TABLE IF NOT EXISTS used_calls (signature TEXT PRIMARY KEY, expires INTEGER NOT NULL);
`;

/** Columns added to `alpha_pools` for dynamic TAO (also the migration of older data folders). */
const POOL_COLUMNS: Array<[string, string]> = [
  ['alpha_out', "TEXT NOT NULL DEFAULT '0'"], ['protocol_alpha', "TEXT NOT NULL DEFAULT '0'"],
  ['fee_rate', `INTEGER NOT NULL DEFAULT ${DEFAULT_FEE_RATE}`], ['moving_price', "TEXT NOT NULL DEFAULT '0'"],
  ['start_block', 'INTEGER NOT NULL DEFAULT 0'], ['pending_server', "TEXT NOT NULL DEFAULT '0'"],
  ['pending_validator', "TEXT NOT NULL DEFAULT '0'"], ['pending_root', "TEXT NOT NULL DEFAULT '0'"],
  ['pending_owner', "TEXT NOT NULL DEFAULT '0'"], ['tao_in_emission', "TEXT NOT NULL DEFAULT '0'"],
  ['alpha_in_emission', "TEXT NOT NULL DEFAULT '0'"], ['alpha_out_emission', "TEXT NOT NULL DEFAULT '0'"],
];

/**
 * A subnet's dynamic-TAO state: the pool reserves and subtensor's per-subnet coinbase storage (docs/chain.md
 * "Per-block coinbase"). Amounts in rao.
 */
export interface PoolRow extends AlphaPool {
  /** `SubnetAlphaOut`: α outside the pool (stakes, emission, protocol-bought α). */
  alphaOut: bigint;
  /** `SubnetProtocolAlpha`: α the chain bought with excess τ emission. */
  protocolAlpha: bigint;
  /** The swap pallet's `FeeRate` (of 65535). */
  feeRate: number;
  /** `SubnetMovingPrice`: the price EMA as I96F32 bits (32 fraction bits). */
  movingPrice: bigint;
  /** The block the subnet started (its `start_call`; moving-price age counts from it). */
  startBlock: number;
  /** `PendingServerEmission`, `PendingValidatorEmission`, `PendingRootAlphaDivs`, `PendingOwnerCut`: α until the epoch. */
  pendingServer: bigint;
  pendingValidator: bigint;
  pendingRoot: bigint;
  pendingOwner: bigint;
  /** The last block's `SubnetTaoInEmission`, `SubnetAlphaInEmission`, `SubnetAlphaOutEmission`. */
  taoInEmission: bigint;
  alphaInEmission: bigint;
  alphaOutEmission: bigint;
}

const POOL_DEFAULTS: Omit<PoolRow, 'tao' | 'alpha'> = {
  alphaOut: 0n, protocolAlpha: 0n, feeRate: DEFAULT_FEE_RATE, movingPrice: 0n, startBlock: 0,
  pendingServer: 0n, pendingValidator: 0n, pendingRoot: 0n, pendingOwner: 0n, taoInEmission: 0n, alphaInEmission: 0n, alphaOutEmission: 0n,
};

interface RawPool {
  tao: string; alpha: string; alpha_out: string; protocol_alpha: string; fee_rate: number; moving_price: string; start_block: number;
  pending_server: string; pending_validator: string; pending_root: string; pending_owner: string;
  tao_in_emission: string; alpha_in_emission: string; alpha_out_emission: string;
}

function toPool(r: RawPool): PoolRow {
  return {
    tao: BigInt(r.tao), alpha: BigInt(r.alpha), alphaOut: BigInt(r.alpha_out), protocolAlpha: BigInt(r.protocol_alpha),
    feeRate: r.fee_rate, movingPrice: BigInt(r.moving_price), startBlock: r.start_block, pendingServer: BigInt(r.pending_server),
    pendingValidator: BigInt(r.pending_validator), pendingRoot: BigInt(r.pending_root), pendingOwner: BigInt(r.pending_owner),
    taoInEmission: BigInt(r.tao_in_emission), alphaInEmission: BigInt(r.alpha_in_emission), alphaOutEmission: BigInt(r.alpha_out_emission),
  };
}

/** One neuron row. */
export interface NeuronRow {
  netuid: number;
  uid: number;
  hotkey: string;
  coldkey: string;
  registeredAt: number;
  lastUpdate: number;
  validatorPermit: boolean;
  active: boolean;
  consensus: number;
  incentive: number;
  dividends: number;
  trust: number;
  validatorTrust: number;
  emission: bigint;
  weights: Array<[number, number]>;
  bonds: Array<[number, number]>;
}

export interface SubnetRow {
  netuid: number;
  owner: string;
  hyperparams: Hyperparameters;
  pendingEmission: bigint;
  /**
   * subtensor's `LastEpochBlock`: the last consumed epoch slot (the anchor of the next one, docs/chain.md
   * "Epoch schedule"); −1 in a data folder made before the 2026 schedule (migrated at its next block).
   */
  lastEpoch: number;
  /** subtensor's `PendingEpochAt`: a deferred epoch's block, 0 = none. */
  pendingEpochAt: number;
  /**
   * subtensor's `SubnetEpochIndex`: epochs run so far (0 at creation), the commit-reveal epoch counter
   * (docs/chain.md "Commit-reveal weights"); −1 in a data folder made before it (seeded at its next block).
   */
  epochIndex: number;
  regsBlock: number;
  regsInBlock: number;
}

interface RawNeuron {
  netuid: number; uid: number; hotkey: string; coldkey: string; registered_at: number; last_update: number;
  validator_permit: number; active: number; consensus: number; incentive: number; dividends: number; trust: number;
  validator_trust: number; emission: string; weights: string; bonds: string;
}

function toNeuron(r: RawNeuron): NeuronRow {
  return {
    netuid: r.netuid, uid: r.uid, hotkey: r.hotkey, coldkey: r.coldkey, registeredAt: r.registered_at,
    lastUpdate: r.last_update, validatorPermit: r.validator_permit === 1, active: r.active === 1,
    consensus: r.consensus, incentive: r.incentive, dividends: r.dividends, trust: r.trust,
    validatorTrust: r.validator_trust, emission: BigInt(r.emission),
    weights: JSON.parse(r.weights) as Array<[number, number]>, bonds: JSON.parse(r.bonds) as Array<[number, number]>,
  };
}

/** One pending timelocked weights commit. */
export interface TimelockedCommitRow {
  id: number;
  netuid: number;
  epoch: number;
  hotkey: string;
  block: number;
  round: number;
  commitHex: string;
}

/** Typed access to the devnet database. `path` ':memory:' for tests. */
export class Store {
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // data folders made before the 2026 epoch schedule lack PendingEpochAt
    const cols = this.db.prepare('PRAGMA table_info(subnets)').all() as Array<{ name: string }>;
    if (!cols.some((c) => c.name === 'pending_epoch_at')) this.db.exec('ALTER TABLE subnets ADD COLUMN pending_epoch_at INTEGER NOT NULL DEFAULT 0');
    // ... and SubnetEpochIndex (−1: seeded with the legacy epoch index at the next block, as migrate_dynamic_tempo does)
    if (!cols.some((c) => c.name === 'epoch_index')) this.db.exec('ALTER TABLE subnets ADD COLUMN epoch_index INTEGER NOT NULL DEFAULT -1');
    // ... and the dynamic-TAO pool state (docs/chain.md "Per-block coinbase")
    const poolCols = new Set((this.db.prepare('PRAGMA table_info(alpha_pools)').all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, decl] of POOL_COLUMNS) if (!poolCols.has(name)) this.db.exec(`ALTER TABLE alpha_pools ADD COLUMN ${name} ${decl}`);
  }

  close(): void {
    this.db.close();
  }

  /** Run `fn` in one IMMEDIATE transaction. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getMeta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- balances / stake ----
  balance(coldkey: string): bigint {
    const r = this.db.prepare('SELECT free FROM balances WHERE coldkey = ?').get(coldkey) as { free: string } | undefined;
    return r ? BigInt(r.free) : 0n;
  }

  setBalance(coldkey: string, amount: bigint): void {
    this.db.prepare('INSERT INTO balances (coldkey, free) VALUES (?, ?) ON CONFLICT(coldkey) DO UPDATE SET free = excluded.free')
      .run(coldkey, amount.toString());
  }

  hotkeyOwner(hotkey: string): string | undefined {
    const r = this.db.prepare('SELECT coldkey FROM hotkey_owner WHERE hotkey = ?').get(hotkey) as { coldkey: string } | undefined;
    return r?.coldkey;
  }

  setHotkeyOwner(hotkey: string, coldkey: string): void {
    this.db.prepare('INSERT OR IGNORE INTO hotkey_owner (hotkey, coldkey) VALUES (?, ?)').run(hotkey, coldkey);
  }

  stakeOf(hotkey: string, coldkey: string): bigint {
    const r = this.db.prepare('SELECT amount FROM stakes WHERE hotkey = ? AND coldkey = ?').get(hotkey, coldkey) as { amount: string } | undefined;
    return r ? BigInt(r.amount) : 0n;
  }

  setStake(hotkey: string, coldkey: string, amount: bigint): void {
    if (amount === 0n) this.db.prepare('DELETE FROM stakes WHERE hotkey = ? AND coldkey = ?').run(hotkey, coldkey);
    else this.db.prepare('INSERT INTO stakes (hotkey, coldkey, amount) VALUES (?, ?, ?) ON CONFLICT(hotkey, coldkey) DO UPDATE SET amount = excluded.amount')
      .run(hotkey, coldkey, amount.toString());
  }

  /** Total stake on a hotkey (all coldkeys). */
  totalStake(hotkey: string): bigint {
    const rows = this.db.prepare('SELECT amount FROM stakes WHERE hotkey = ?').all(hotkey) as Array<{ amount: string }>;
    return rows.reduce((a, r) => a + BigInt(r.amount), 0n);
  }

  // ---- alpha pools (docs/chain.md "Devnet alpha pools", "Per-block coinbase") ----
  /** The subnet's alpha pool, or undefined on a subnet without one (stake there is the global τ stake). */
  pool(netuid: number): PoolRow | undefined {
    const r = this.db.prepare('SELECT * FROM alpha_pools WHERE netuid = ?').get(netuid) as RawPool | undefined;
    return r ? toPool(r) : undefined;
  }

  /** Write a pool's reserves (and any other fields given; new pools start from POOL_DEFAULTS). */
  setPool(netuid: number, p: AlphaPool & Partial<PoolRow>): void {
    const row: PoolRow = { ...POOL_DEFAULTS, ...this.pool(netuid), ...p };
    this.db.prepare(`INSERT OR REPLACE INTO alpha_pools (netuid, tao, alpha, alpha_out, protocol_alpha, fee_rate, moving_price, start_block,
      pending_server, pending_validator, pending_root, pending_owner, tao_in_emission, alpha_in_emission, alpha_out_emission)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      netuid, row.tao.toString(), row.alpha.toString(), row.alphaOut.toString(), row.protocolAlpha.toString(), row.feeRate,
      row.movingPrice.toString(), row.startBlock, row.pendingServer.toString(), row.pendingValidator.toString(),
      row.pendingRoot.toString(), row.pendingOwner.toString(), row.taoInEmission.toString(), row.alphaInEmission.toString(),
      row.alphaOutEmission.toString());
  }

  /** Netuids of the subnets with an alpha pool (subtensor's dynamic subnets). */
  poolNetuids(): number[] {
    return (this.db.prepare('SELECT netuid FROM alpha_pools ORDER BY netuid').all() as Array<{ netuid: number }>).map((r) => r.netuid);
  }

  /** Every (hotkey, coldkey, α) staked on a subnet (netuid 0: the root network's τ). */
  alphaStakes(netuid: number, hotkey?: string): Array<{ hotkey: string; coldkey: string; amount: bigint }> {
    const rows = (hotkey === undefined
      ? this.db.prepare('SELECT hotkey, coldkey, amount FROM alpha_stakes WHERE netuid = ? ORDER BY hotkey, coldkey').all(netuid)
      : this.db.prepare('SELECT hotkey, coldkey, amount FROM alpha_stakes WHERE netuid = ? AND hotkey = ? ORDER BY coldkey').all(netuid, hotkey)) as Array<{ hotkey: string; coldkey: string; amount: string }>;
    return rows.map((r) => ({ hotkey: r.hotkey, coldkey: r.coldkey, amount: BigInt(r.amount) }));
  }

  alphaOf(netuid: number, hotkey: string, coldkey: string): bigint {
    const r = this.db.prepare('SELECT amount FROM alpha_stakes WHERE netuid = ? AND hotkey = ? AND coldkey = ?').get(netuid, hotkey, coldkey) as { amount: string } | undefined;
    return r ? BigInt(r.amount) : 0n;
  }

  setAlpha(netuid: number, hotkey: string, coldkey: string, amount: bigint): void {
    if (amount === 0n) this.db.prepare('DELETE FROM alpha_stakes WHERE netuid = ? AND hotkey = ? AND coldkey = ?').run(netuid, hotkey, coldkey);
    else this.db.prepare('INSERT INTO alpha_stakes (netuid, hotkey, coldkey, amount) VALUES (?, ?, ?, ?) ON CONFLICT(netuid, hotkey, coldkey) DO UPDATE SET amount = excluded.amount')
      .run(netuid, hotkey, coldkey, amount.toString());
  }

  /** The hotkey's stake weight on a subnet: its α there on a subnet with a pool, else its global stake. */
  subnetStake(netuid: number, hotkey: string): bigint {
    if (!this.pool(netuid)) return this.totalStake(hotkey);
    const rows = this.db.prepare('SELECT amount FROM alpha_stakes WHERE netuid = ? AND hotkey = ?').all(netuid, hotkey) as Array<{ amount: string }>;
    return rows.reduce((a, r) => a + BigInt(r.amount), 0n);
  }

  /** Credit stake to (hotkey, coldkey) on a subnet: α on a pool subnet, else the global stake. */
  creditStake(netuid: number, hotkey: string, coldkey: string, amount: bigint): void {
    if (this.pool(netuid)) this.setAlpha(netuid, hotkey, coldkey, this.alphaOf(netuid, hotkey, coldkey) + amount);
    else this.setStake(hotkey, coldkey, this.stakeOf(hotkey, coldkey) + amount);
  }

  // ---- subnets ----
  subnet(netuid: number): SubnetRow | undefined {
    const r = this.db.prepare('SELECT * FROM subnets WHERE netuid = ?').get(netuid) as
      | { netuid: number; owner: string; hyperparams: string; pending_emission: string; last_epoch: number; pending_epoch_at: number; epoch_index: number; regs_block: number; regs_in_block: number }
      | undefined;
    if (!r) return undefined;
    return {
      netuid: r.netuid, owner: r.owner, hyperparams: HyperparametersSchema.parse(JSON.parse(r.hyperparams)),
      pendingEmission: BigInt(r.pending_emission), lastEpoch: r.last_epoch, pendingEpochAt: r.pending_epoch_at, epochIndex: r.epoch_index, regsBlock: r.regs_block, regsInBlock: r.regs_in_block,
    };
  }

  netuids(): number[] {
    return (this.db.prepare('SELECT netuid FROM subnets ORDER BY netuid').all() as Array<{ netuid: number }>).map((r) => r.netuid);
  }

  /** A new subnet whose epoch schedule is anchored at `lastEpoch` (subtensor's register_network anchor). */
  insertSubnet(netuid: number, owner: string, h: Hyperparameters, lastEpoch: number): void {
    this.db.prepare('INSERT INTO subnets (netuid, owner, hyperparams, last_epoch, epoch_index) VALUES (?, ?, ?, ?, 0)').run(netuid, owner, JSON.stringify(hyperparametersToJson(h)), lastEpoch);
  }

  updateSubnet(s: SubnetRow): void {
    this.db.prepare('UPDATE subnets SET owner = ?, hyperparams = ?, pending_emission = ?, last_epoch = ?, pending_epoch_at = ?, epoch_index = ?, regs_block = ?, regs_in_block = ? WHERE netuid = ?')
      .run(s.owner, JSON.stringify(hyperparametersToJson(s.hyperparams)), s.pendingEmission.toString(), s.lastEpoch, s.pendingEpochAt, s.epochIndex, s.regsBlock, s.regsInBlock, s.netuid);
  }

  // ---- neurons ----
  neurons(netuid: number): NeuronRow[] {
    return (this.db.prepare('SELECT * FROM neurons WHERE netuid = ? ORDER BY uid').all(netuid) as RawNeuron[]).map(toNeuron);
  }

  neuronByHotkey(netuid: number, hotkey: string): NeuronRow | undefined {
    const r = this.db.prepare('SELECT * FROM neurons WHERE netuid = ? AND hotkey = ?').get(netuid, hotkey) as RawNeuron | undefined;
    return r ? toNeuron(r) : undefined;
  }

  /** Subnets a hotkey is registered on. */
  netuidsOfHotkey(hotkey: string): number[] {
    return (this.db.prepare('SELECT netuid FROM neurons WHERE hotkey = ?').all(hotkey) as Array<{ netuid: number }>).map((r) => r.netuid);
  }

  /** Insert or overwrite the neuron at (netuid, uid). */
  putNeuron(n: NeuronRow): void {
    this.db.prepare(`INSERT OR REPLACE INTO neurons (netuid, uid, hotkey, coldkey, registered_at, last_update, validator_permit, active,
      consensus, incentive, dividends, trust, validator_trust, emission, weights, bonds)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      n.netuid, n.uid, n.hotkey, n.coldkey, n.registeredAt, n.lastUpdate, n.validatorPermit ? 1 : 0, n.active ? 1 : 0,
      n.consensus, n.incentive, n.dividends, n.trust, n.validatorTrust, n.emission.toString(),
      JSON.stringify(n.weights), JSON.stringify(n.bonds));
  }

  deleteAxon(netuid: number, hotkey: string): void {
    this.db.prepare('DELETE FROM axons WHERE netuid = ? AND hotkey = ?').run(netuid, hotkey);
    this.db.prepare('DELETE FROM commitments WHERE netuid = ? AND hotkey = ?').run(netuid, hotkey);
  }

  // ---- axons / commitments ----
  axon(netuid: number, hotkey: string): Omit<AxonInfo, 'coldkey'> | undefined {
    const r = this.db.prepare('SELECT * FROM axons WHERE netuid = ? AND hotkey = ?').get(netuid, hotkey) as
      | { hotkey: string; ip: string; ip_type: 0 | 4 | 6; port: number; version: number; protocol: number; block: number }
      | undefined;
    return r ? { hotkey: r.hotkey, ip: r.ip, ipType: r.ip_type, port: r.port, version: r.version, protocol: r.protocol, block: r.block } : undefined;
  }

  putAxon(netuid: number, a: Omit<AxonInfo, 'coldkey'>): void {
    this.db.prepare('INSERT OR REPLACE INTO axons (netuid, hotkey, ip, ip_type, port, version, protocol, block) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(netuid, a.hotkey, a.ip, a.ipType, a.port, a.version, a.protocol, a.block);
  }

  putCommitment(netuid: number, c: Commitment): void {
    this.db.prepare('INSERT OR REPLACE INTO commitments (netuid, hotkey, block, data) VALUES (?, ?, ?, ?)').run(netuid, c.hotkey, c.block, c.data);
  }

  commitments(netuid: number): Commitment[] {
    return this.db.prepare('SELECT hotkey, block, data FROM commitments WHERE netuid = ? ORDER BY hotkey').all(netuid) as Commitment[];
  }

  // ---- commit-reveal v3 (subtensor TimelockedWeightCommits: netuid → epoch → queue) ----
  addTimelockedCommit(c: Omit<TimelockedCommitRow, 'id'>): void {
    this.db.prepare('INSERT INTO timelocked_commits (netuid, epoch, hotkey, block, round, commit_hex) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.netuid, c.epoch, c.hotkey, c.block, c.round, c.commitHex);
  }

  /** Commits of one epoch, in commit order. */
  timelockedCommits(netuid: number, epoch: number): TimelockedCommitRow[] {
    return (this.db.prepare('SELECT id, netuid, epoch, hotkey, block, round, commit_hex AS commitHex FROM timelocked_commits WHERE netuid = ? AND epoch = ? ORDER BY id')
      .all(netuid, epoch)) as TimelockedCommitRow[];
  }

  deleteTimelockedCommit(id: number): void {
    this.db.prepare('DELETE FROM timelocked_commits WHERE id = ?').run(id);
  }

  /** Drop commits of epochs before `epoch` (expired unrevealed). */
  expireTimelockedCommits(netuid: number, epoch: number): void {
    this.db.prepare('DELETE FROM timelocked_commits WHERE netuid = ? AND epoch < ?').run(netuid, epoch);
  }

  // ---- replay guard ----
  /** Record a call signature; false if it was already used. */
  useCall(signature: string, expires: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO used_calls (signature, expires) VALUES (?, ?)').run(signature, expires).changes === 1;
  }

  pruneUsedCalls(block: number): void {
    this.db.prepare('DELETE FROM used_calls WHERE expires < ?').run(block);
  }
}
