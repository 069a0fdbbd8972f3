/**
 * `zkinfer chain …` — read and write any chain backend (the devnet or subtensor), picked by --network
 * (docs/chain.md "CLI"):
 *   metagraph        print a subnet's metagraph (stake, permits, trust, consensus, incentive, dividends, emission)
 *   hyperparameters  print a subnet's hyperparameters
 *   register         burned_register a hotkey, paid by the coldkey
 *   stake add|remove move stake between the coldkey and a hotkey through --netuid's alpha pool (0: root), with
 *                    --limit-price / --safe-staking --rate-tolerance and --allow-partial (the *_limit extrinsics)
 *   stake swap       swap_stake(_limit): move α between subnets (--origin-netuid, --dest-netuid)
 *   pool             print a subnet's pool (reserves, price, fee, the last block's injections)
 *   serve            serve_axon: publish a hotkey's axon address
 *   weights          set weights by hand (what a validator does)
 *   owner set-tempo | set-activity-cutoff | trigger-epoch
 *                    the subnet owner's epoch-schedule calls (coldkey signs; docs/chain.md "Epoch schedule")
 * The same subcommands stay reachable under `zkinfer devnet …` (hidden) for older scripts.
 */
import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { raoToTao, taoToRao, type Chain, type Hyperparameters, type Metagraph, type SubnetPool, type SwapReceipt } from '../chain/types.js';
import { AdminWindowClosedError, UnsupportedOnChainError } from '../chain/errors.js';
import { VERSION_KEY } from '../version.js';
import { addNetworkOptions, connectFromFlags, networkOf, type NetworkOptionValues } from './bt-flags.js';
import { coldkeySigner, hotkeyAddress, hotkeySigner, withKeys, type KeyFlags } from './key-flags.js';
import { parseFractionFlag, parseIntFlag } from './flag-values.js';

export type ChainCmdFlags = KeyFlags & NetworkOptionValues;

/** The largest amount a chain balance holds: u64 rao. */
const MAX_RAO = 2n ** 64n - 1n;

/**
 * A τ amount flag in rao: digits with at most 9 decimals (1 rao = 10⁻⁹ τ; more were cut off, so 0.0000000001
 * became 0) and at most u64 rao (more reached the node and came back as its schema error); docs/chain.md "Flag values".
 */
export function parseTao(s: string, what: string): bigint {
  if (!/^\s*\d+(\.\d{0,9})?\s*$/.test(s)) {
    const hint = /^\s*\d+\.\d{10,}\s*$/.test(s) ? 'at most 9 decimals: 1 rao is 0.000000001 τ' : 'write it like 10 or 0.5';
    throw new InvalidInputError(`${what} "${s}" is not a TAO amount`, { hint });
  }
  const rao = taoToRao(s);
  if (rao > MAX_RAO) throw new InvalidInputError(`${what} ${s.trim()} τ is more than any balance can hold (18446744073.709551615 τ, u64 rao)`);
  return rao;
}

function parseList(s: string, what: string, max: number): number[] {
  return s.split(',').filter((x) => x.trim() !== '').map((x) => parseIntFlag(x.trim(), what, 0, max));
}

/** Connect, run, always close. */
export async function withChain<T>(f: NetworkOptionValues, fn: (chain: Chain) => Promise<T>, stakeNetuid?: number): Promise<T> {
  const chain = await connectFromFlags(f, stakeNetuid === undefined ? {} : { stakeNetuid });
  try {
    return await fn(chain);
  } finally {
    await chain.close();
  }
}

/** Unit of metagraph stake: TAO on the devnet and the root subnet, the subnet's alpha on subtensor (dynamic TAO). */
export function stakeUnit(f: NetworkOptionValues, netuid: number): 'τ' | 'α' {
  return networkOf(f).kind === 'subtensor' && netuid !== 0 ? 'α' : 'τ';
}

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/**
 * The metagraph as an aligned text table: STAKE is the stake weight (α + tao_weight·τ on subtensor) in `unit`,
 * then its parts ALPHA (the subnet's α) and ROOT (τ staked on the root network); emission in `unit`.
 */
export function formatMetagraph(m: Metagraph, unit: 'τ' | 'α' = 'τ'): string {
  const f4 = (x: number) => x.toFixed(4);
  const amount = (r: bigint) => raoToTao(r).toFixed(4);
  const head = ['UID', 'HOTKEY', 'COLDKEY', `STAKE(${unit})`, 'ALPHA(α)', 'ROOT(τ)', 'VPERMIT', 'VTRUST', 'TRUST', 'CONSENSUS', 'INCENTIVE', 'DIVIDENDS', `EMISSION(${unit})`, 'UPDATED', 'ACTIVE', 'AXON'];
  const rows = m.uids.map((uid, i) => [
    String(uid), short(m.hotkeys[i]!), short(m.coldkeys[i]!), amount(m.stake[i]!), amount(m.alphaStake[i]!), amount(m.taoStake[i]!),
    m.validatorPermit[i] ? 'yes' : '-',
    f4(m.validatorTrust[i]!), f4(m.trust[i]!), f4(m.consensus[i]!), f4(m.incentive[i]!), f4(m.dividends[i]!),
    amount(m.emission[i]!), String(m.block - m.lastUpdate[i]!), m.active[i] ? 'yes' : 'no',
    m.axons[i]!.port ? `${m.axons[i]!.ipType === 6 ? `[${m.axons[i]!.ip}]` : m.axons[i]!.ip}:${m.axons[i]!.port}` : '-',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j <= 2 || j === head.length - 1 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [`subnet ${m.netuid} at block ${m.block}: ${m.n} neurons`, line(head), ...rows.map(line)].join('\n');
}

/** Hyperparameters as `name  value` lines (burns in τ). */
export function formatHyperparameters(netuid: number, h: Hyperparameters): string {
  const rows = Object.entries(h).map(([k, v]) => [k, typeof v === 'bigint' && /burn/i.test(k) ? `${raoToTao(v)} τ` : String(v)] as const);
  const w = Math.max(...rows.map(([k]) => k.length));
  return [`subnet ${netuid} hyperparameters`, ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)].join('\n');
}

/**
 * What a stake call did: with the devnet's swap receipt "25 τ for 79.6 α (fee 0.0125 τ)" (a 1:1 stake without fee
 * prints one amount), else the requested amount in `unit`.
 */
export function describeSwap(op: 'add' | 'remove', amount: bigint, swap: SwapReceipt | undefined, unit: 'τ' | 'α'): string {
  if (!swap) return `${raoToTao(amount)} ${op === 'add' ? 'τ' : unit}`;
  const [paidIn, paidOut, fee] = [BigInt(swap.paidIn), BigInt(swap.paidOut), BigInt(swap.fee)];
  if (fee === 0n && paidIn === paidOut) return `${raoToTao(paidIn)} τ`;
  const [inUnit, outUnit] = op === 'add' ? ['τ', 'α'] : ['α', 'τ'];
  const partial = paidIn < amount ? ` (partial: ${raoToTao(paidIn)} of ${raoToTao(amount)} ${inUnit} fit under the limit)` : '';
  return `${raoToTao(paidIn)} ${inUnit} for ${raoToTao(paidOut)} ${outUnit} (fee ${raoToTao(fee)} ${inUnit})${partial}`;
}

/** A subnet pool as `name  value` lines. */
export function formatPool(p: SubnetPool): string {
  const t = (r: bigint, u: string) => `${raoToTao(r)} ${u}`;
  const rows: Array<[string, string]> = [
    ['price', `${raoToTao(p.priceRao)} τ/α`], ['moving price', `${p.movingPrice.toFixed(9)} τ/α`],
    ['τ reserve (tao_in)', t(p.taoIn, 'τ')], ['α reserve (alpha_in)', t(p.alphaIn, 'α')], ['α outstanding (alpha_out)', t(p.alphaOut, 'α')],
    ['fee rate', `${p.feeRate}/65535 (${((p.feeRate / 65535) * 100).toFixed(4)} %)`],
    ['τ injected last block', t(p.taoInEmission, 'τ')], ['α injected last block', t(p.alphaInEmission, 'α')], ['α emitted last block', t(p.alphaOutEmission, 'α')],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [`subnet ${p.netuid} pool`, ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)].join('\n');
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);

/** Attach metagraph/hyperparameters/register/stake/serve/weights to `group` (hidden when it is a legacy alias). */
export function addChainCommands(group: Command, opts: { hidden?: boolean } = {}): void {
  const cmd = (name: string): Command => addNetworkOptions(group.command(name, { hidden: opts.hidden === true }));

  cmd('metagraph')
    .description('print a subnet metagraph: stake, permits, trust, consensus, incentive, dividends, emission, axons')
    .option('--netuid <n>', 'subnet', '1')
    .option('--json', 'print JSON instead of a table (amounts in rao)')
    .action(async (f: ChainCmdFlags & { netuid: string; json?: boolean }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const m = await withChain(f, (c) => c.metagraph(netuid));
      console.log(f.json ? json(m) : formatMetagraph(m, stakeUnit(f, netuid)));
    });

  cmd('hyperparameters')
    .description('print a subnet\'s hyperparameters (tempo, weights rate limit, commit-reveal, …)')
    .option('--netuid <n>', 'subnet', '1')
    .option('--json', 'print JSON (burn in rao)')
    .action(async (f: ChainCmdFlags & { netuid: string; json?: boolean }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const h = await withChain(f, (c) => c.hyperparameters(netuid));
      console.log(f.json ? json(h) : formatHyperparameters(netuid, h));
    });

  withKeys(cmd('register'))
    .description('burned_register a hotkey on a subnet, paid by the coldkey')
    .option('--netuid <n>', 'subnet', '1')
    .action(async (f: ChainCmdFlags & { netuid: string }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const cold = await coldkeySigner(f);
      const hot = await hotkeyAddress(f);
      const r = await withChain(f, (c) => c.burnedRegister(netuid, cold, hot));
      console.log(`registered ${hot} as uid ${r.uid} on subnet ${netuid} at block ${r.block}` +
        (r.replacedHotkey ? ` (replaced ${r.replacedHotkey})` : ''));
    });

  const stake = group.command('stake', { hidden: opts.hidden === true }).description('add or remove stake (coldkey signs)');
  for (const op of ['add', 'remove'] as const) {
    withKeys(addNetworkOptions(stake.command(op)))
      .description(`${op} stake on a hotkey (dynamic TAO: τ ${op === 'add' ? 'in, the subnet\'s α out' : 'out for the subnet\'s α'} through --netuid's pool; netuid 0 is the root network)`)
      .requiredOption('--amount <tao>', op === 'add' ? 'TAO to stake' : 'stake to remove (α of --netuid on subtensor and on a devnet subnet with an alpha pool, else τ)')
      .option('--netuid <n>', 'subnet whose alpha pool the stake swaps through (0: the root network)', '1')
      .option('--limit-price <tao>', `${op === 'add' ? 'highest' : 'lowest'} price (τ per α) the swap may reach: sends ${op}_stake_limit`)
      .option('--safe-staking', 'limit the price to the current price ± --rate-tolerance (the SDK\'s safe_staking)')
      .option('--rate-tolerance <fraction>', 'price tolerance of --safe-staking', '0.005')
      // commander names this option after its last flag (allowPartialStake, btcli's name); both flags set it
      .option('--allow-partial, --allow-partial-stake', 'execute the part that fits under the limit instead of failing with SlippageTooHigh')
      .action(async (f: ChainCmdFlags & { amount: string; netuid: string; limitPrice?: string; safeStaking?: boolean; rateTolerance: string; allowPartialStake?: boolean }) => {
        const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
        const cold = await coldkeySigner(f);
        const hot = await hotkeyAddress(f);
        const amount = parseTao(f.amount, '--amount');
        const tolerance = parseFractionFlag(f.rateTolerance, '--rate-tolerance', 'e.g. --rate-tolerance 0.005 for 0.5 %');
        const request = {
          ...(f.limitPrice === undefined ? {} : { limitPrice: parseTao(f.limitPrice, '--limit-price') }),
          safeStaking: f.safeStaking === true, rateTolerance: tolerance, allowPartial: f.allowPartialStake === true,
        };
        const { resolveStakeLimit } = await import('../chain/stake-limit.js');
        await withChain(f, async (c) => {
          const limit = await resolveStakeLimit(c, op, netuid, request);
          const r = op === 'add' ? await c.addStake(cold, hot, amount, netuid, limit) : await c.removeStake(cold, hot, amount, netuid, limit);
          console.log(`${op === 'add' ? 'staked' : 'unstaked'} ${describeSwap(op, amount, r.swap, stakeUnit(f, netuid))} on ${hot} at block ${r.block}; coldkey balance ${raoToTao(await c.balance(cold.address))} τ`);
        }, netuid);
      });
  }

  withKeys(addNetworkOptions(stake.command('swap')))
    .description('swap_stake: move the hotkey\'s α from --origin-netuid to --dest-netuid (sold for τ that buys the destination\'s α; 0 is the root network)')
    .requiredOption('--origin-netuid <n>', 'subnet the α leaves')
    .requiredOption('--dest-netuid <n>', 'subnet the τ it sells for is staked on')
    .requiredOption('--amount <alpha>', 'α of the origin subnet to move')
    .option('--limit-price <ratio>', 'lowest origin/destination price ratio the move may reach: sends swap_stake_limit')
    .option('--allow-partial, --allow-partial-stake', 'move the part that fits under the limit instead of failing with SlippageTooHigh')
    .action(async (f: ChainCmdFlags & { originNetuid: string; destNetuid: string; amount: string; limitPrice?: string; allowPartialStake?: boolean }) => {
      const from = parseIntFlag(f.originNetuid, '--origin-netuid', 0, 65535);
      const to = parseIntFlag(f.destNetuid, '--dest-netuid', 0, 65535);
      const cold = await coldkeySigner(f);
      const hot = await hotkeyAddress(f);
      const amount = parseTao(f.amount, '--amount');
      if (f.allowPartialStake && f.limitPrice === undefined) throw new InvalidInputError('--allow-partial needs --limit-price');
      const limit = f.limitPrice === undefined ? undefined : { limitPrice: parseTao(f.limitPrice, '--limit-price'), allowPartial: f.allowPartialStake === true };
      await withChain(f, async (c) => {
        if (!c.swapStake) throw new UnsupportedOnChainError('this backend cannot swap stake', { hint: 'unstake and stake again' });
        const r = await c.swapStake(cold, hot, from, to, amount, limit);
        const moved = r.swap ? `${raoToTao(BigInt(r.swap.paidIn))} α of subnet ${from} for ${raoToTao(BigInt(r.swap.paidOut))} ${to === 0 ? 'τ' : 'α'} of subnet ${to}` : `${raoToTao(amount)} α of subnet ${from} to subnet ${to}`;
        console.log(`swapped ${moved} on ${hot} at block ${r.block}`);
      });
    });

  cmd('pool')
    .description('print a subnet\'s pool: τ/α reserves, price, moving price, fee, the last block\'s injections (netuid 0: root)')
    .option('--netuid <n>', 'subnet', '1')
    .option('--json', 'print JSON (amounts in rao)')
    .action(async (f: ChainCmdFlags & { netuid: string; json?: boolean }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const p = await withChain(f, async (c) => {
        if (!c.subnetPool) throw new UnsupportedOnChainError('this backend does not read subnet pools', { hint: 'use the devnet or subtensor backend' });
        return c.subnetPool(netuid);
      });
      console.log(f.json ? json(p) : formatPool(p));
    });

  withKeys(cmd('serve'))
    .description('serve_axon: publish the hotkey\'s axon address (miners do this when they start)')
    .option('--netuid <n>', 'subnet', '1')
    .requiredOption('--ip <ip>', 'public IPv4/IPv6 address of the axon')
    .requiredOption('--port <n>', 'axon port')
    .action(async (f: ChainCmdFlags & { netuid: string; ip: string; port: string }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const hot = await hotkeySigner(f);
      const port = parseIntFlag(f.port, '--port', 1, 65535);
      const r = await withChain(f, (c) => c.serveAxon(hot, { netuid, ip: f.ip, port, version: VERSION_KEY }));
      console.log(`axon ${f.ip.includes(':') ? `[${f.ip}]` : f.ip}:${port} served by ${hot.address} at block ${r.block}`);
    });

  withKeys(cmd('weights'))
    .description('set weights as a validator hotkey (by hand; validators do this automatically); on a commit-reveal subnet they are committed timelocked and revealed by the chain')
    .option('--netuid <n>', 'subnet', '1')
    .requiredOption('--uids <list>', 'comma-separated uids, e.g. 2,3,4')
    .requiredOption('--weights <list>', 'comma-separated u16 weights aligned with --uids, e.g. 50,30,20')
    .option('--version-key <n>', 'weights version key', '0')
    .action(async (f: ChainCmdFlags & { netuid: string; uids: string; weights: string; versionKey: string }) => {
      const hot = await hotkeySigner(f);
      const params = {
        netuid: parseIntFlag(f.netuid, '--netuid', 0, 65535),
        uids: parseList(f.uids, 'uid', 65535),
        weights: parseList(f.weights, 'weight', 65535),
        versionKey: parseIntFlag(f.versionKey, '--version-key', 0, Number.MAX_SAFE_INTEGER),
      };
      const { setWeightsOrCommit } = await import('../chain/timelock/commit.js');
      const r = await withChain(f, (c) => setWeightsOrCommit(c, hot, params));
      console.log(r.revealRound === undefined
        ? `weights set by ${hot.address} at block ${r.block}`
        : `weights committed by ${hot.address} at block ${r.block}; the chain reveals them at beacon round ${r.revealRound}`);
    });

  addOwnerCommands(group, opts.hidden === true);
}

/** How long an owner call waits out a frozen admin window before it gives up (retrying each second). */
const FROZEN_WAIT_MS = 180_000;

/**
 * Runs an owner call; while the chain refuses it because admin calls are frozen (the last AdminFreezeWindow blocks
 * before an epoch, or a triggered epoch pending: a refused call changed nothing), says so once on stderr and
 * retries each second until the epoch has passed, for up to FROZEN_WAIT_MS. On a `--fast` devnet (tempo 10, window
 * 2) a call lands in the window one time in five.
 */
async function retryWhileFrozen<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + FROZEN_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof AdminWindowClosedError) || Date.now() >= deadline) throw err;
      if (!told) {
        process.stderr.write(`${err.message}; retrying each second until the epoch has passed (up to ${FROZEN_WAIT_MS / 60_000} min)…\n`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** The owner's schedule calls under `group owner` (subtensor's set_tempo, set_activity_cutoff_factor, trigger_epoch). */
function addOwnerCommands(group: Command, hidden: boolean): void {
  const owner = group.command('owner', { hidden }).description('subnet owner calls on the epoch schedule (the owner coldkey signs)');
  const cmd = (name: string): Command => withKeys(addNetworkOptions(owner.command(name))).option('--netuid <n>', 'subnet', '1');
  const need = <K extends 'setTempo' | 'setActivityCutoffFactor' | 'triggerEpoch' | 'sudoSetTempo'>(c: Chain, k: K): NonNullable<Chain[K]> => {
    const f = c[k];
    if (!f) throw new InvalidInputError(`this chain backend cannot send ${k}`, { hint: 'use the devnet or a subtensor node from 2026 on' });
    return f.bind(c) as NonNullable<Chain[K]>;
  };
  const tempoCmd = (name: string, description: string, k: 'setTempo' | 'sudoSetTempo', by: string) => cmd(name)
    .description(description)
    .requiredOption('--tempo <blocks>', 'new tempo')
    .action(async (f: ChainCmdFlags & { netuid: string; tempo: string }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const tempo = parseIntFlag(f.tempo, '--tempo', 0, 65535);
      const cold = await coldkeySigner(f);
      const r = await withChain(f, (c) => retryWhileFrozen(() => need(c, k)(cold, netuid, tempo)));
      console.log(`subnet ${netuid} tempo set to ${tempo}${by} at block ${r.block}; next epoch at block ${r.block + tempo}`);
    });
  tempoCmd('set-tempo', 'set_tempo: blocks between epochs (360..50400); the next epoch comes one tempo from now', 'setTempo', '');
  tempoCmd('sudo-set-tempo', 'sudo_set_tempo (devnet root: signed by //Alice): any tempo ≥ 1, no MIN/MAX_TEMPO bounds or rate limit', 'sudoSetTempo', ' by root');
  cmd('set-activity-cutoff')
    .description('set_activity_cutoff_factor: a validator counts as inactive after factor × tempo / 1000 blocks without weights')
    .requiredOption('--factor <per-mille>', 'per mille of the tempo, 1000..50000 (13889 = 5000 blocks at tempo 360)')
    .action(async (f: ChainCmdFlags & { netuid: string; factor: string }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const factor = parseIntFlag(f.factor, '--factor', 0, 0xffff_ffff);
      const cold = await coldkeySigner(f);
      const cutoff = await withChain(f, async (c) => {
        await retryWhileFrozen(() => need(c, 'setActivityCutoffFactor')(cold, netuid, factor));
        return (await c.hyperparameters(netuid)).activityCutoff;
      });
      console.log(`subnet ${netuid} activity cutoff factor set to ${factor} ‰: ${cutoff} blocks`);
    });
  cmd('trigger-epoch')
    .description('trigger_epoch: run the next epoch early, AdminFreezeWindow blocks from now (not on commit-reveal subnets)')
    .action(async (f: ChainCmdFlags & { netuid: string }) => {
      const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
      const cold = await coldkeySigner(f);
      const r = await withChain(f, (c) => retryWhileFrozen(() => need(c, 'triggerEpoch')(cold, netuid)));
      console.log(`subnet ${netuid} epoch triggered at block ${r.block}; it runs at block ${r.firesAt}`);
    });
}

/** Register the `chain` group. */
export function registerChain(program: Command): void {
  addChainCommands(program.command('chain').description('read and write the chain (--network: devnet, finney, test, local, or a URL): metagraph, register, stake, serve, weights, owner calls'));
}
