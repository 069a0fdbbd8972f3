import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Address, Hex } from 'viem';
import { InvalidInputError, ZkinferError } from '../errors/base.js';
import { resolveCircuitDir } from '../circuit-ref.js';
import type { EthClients } from '../eth/clients.js';
import { CONNECT_TIMEOUT_S, DEFAULT_DEPLOYMENT_FILE } from '../eth/defaults.js';
import type { Deployment } from '../eth/deployment.js';
import { AnvilError, DeploymentError, EthKeyError, EthTransactionError } from '../eth/errors.js';
import { handleSignals } from '../lifecycle/signals.js';
import { backupBeforeDeploy } from '../eth/deployment-backup.js';
import { parseIntFlag } from './flag-values.js';

// viem and the eth stack load on first use (loadEth, awaited by every action) so that `zkinfer --help`
// and the other command groups do not pay for them.
type Viem = typeof import('viem');
let BaseError: Viem['BaseError'], TimeoutError: Viem['TimeoutError'], formatUnits: Viem['formatUnits'], getAddress: Viem['getAddress'], isAddress: Viem['isAddress'], parseUnits: Viem['parseUnits'];
let privateKeyToAccount: typeof import('viem/accounts').privateKeyToAccount;
let DEV_CHAIN_ID: number, devPrivateKeys: typeof import('../eth/anvil.js').devPrivateKeys, startAnvil: typeof import('../eth/anvil.js').startAnvil;
type Att = typeof import('../eth/attest.js');
let attestationsByInput: Att['attestationsByInput'], attestProof: Att['attestProof'], parseAttestProof: Att['parseAttestProof'], readAttestation: Att['readAttestation'];
let ensureCircuitRegistered: typeof import('../eth/circuit.js').ensureCircuitRegistered;
let createEthClients: typeof import('../eth/clients.js').createEthClients, parsePrivateKey: typeof import('../eth/clients.js').parsePrivateKey;
let deployDevStack: typeof import('../eth/deploy.js').deployDevStack, deployStack: typeof import('../eth/deploy.js').deployStack;
let findToken: typeof import('../eth/deployment.js').findToken, readDeployment: typeof import('../eth/deployment.js').readDeployment;
let writeDeployment: typeof import('../eth/deployment.js').writeDeployment, toTxError: typeof import('../eth/tx.js').toTxError;
type Adm = typeof import('../eth/admin.js');
type Vlt = typeof import('../eth/vault.js');
let activateClaimManager: Adm['activateClaimManager'], addToken: Adm['addToken'], proposeClaimManager: Adm['proposeClaimManager'], removeToken: Adm['removeToken'];
let rescueToken: Adm['rescueToken'], setPaused: Adm['setPaused'], setWeight: Adm['setWeight'], stopDeposits: Adm['stopDeposits'];
let ALL: Vlt['ALL'], claim: Vlt['claim'], deposit: Vlt['deposit'], devMint: Vlt['devMint'], readPoints: Vlt['readPoints'], restake: Vlt['restake'], withdraw: Vlt['withdraw'];
let readMetadata: typeof import('../zkml/artifacts/index.js').readMetadata, decodeOutputs: typeof import('../zkml/format/layout.js').decodeOutputs;
let releaseSnarkjsCurve: typeof import('../zkml/prove/curve.js').releaseSnarkjsCurve;
let depositVaultAbi: typeof import('../eth/abi-index.js').depositVaultAbi;

async function loadEth(): Promise<void> {
  if (releaseSnarkjsCurve !== undefined) return;
  const [v, acc, anvil, att, circ, cl, dep, dpl, tx, adm, vlt, art, dec, curve, abis] = await Promise.all([
    import('viem'), import('viem/accounts'), import('../eth/anvil.js'), import('../eth/attest.js'), import('../eth/circuit.js'),
    import('../eth/clients.js'), import('../eth/deploy.js'), import('../eth/deployment.js'), import('../eth/tx.js'), import('../eth/admin.js'),
    import('../eth/vault.js'), import('../zkml/artifacts/index.js'), import('../zkml/format/layout.js'), import('../zkml/prove/curve.js'),
    import('../eth/abi-index.js'),
  ]);
  ({ BaseError, TimeoutError, formatUnits, getAddress, isAddress, parseUnits } = v);
  ({ privateKeyToAccount } = acc);
  ({ DEV_CHAIN_ID, devPrivateKeys, startAnvil } = anvil);
  ({ attestationsByInput, attestProof, parseAttestProof, readAttestation } = att);
  ({ ensureCircuitRegistered } = circ);
  ({ createEthClients, parsePrivateKey } = cl);
  ({ deployDevStack, deployStack } = dep);
  ({ findToken, readDeployment, writeDeployment } = dpl);
  ({ toTxError } = tx);
  ({ activateClaimManager, addToken, proposeClaimManager, removeToken, rescueToken, setPaused, setWeight, stopDeposits } = adm);
  ({ ALL, claim, deposit, devMint, readPoints, restake, withdraw } = vlt);
  ({ readMetadata } = art);
  ({ decodeOutputs } = dec);
  ({ releaseSnarkjsCurve } = curve);
  ({ depositVaultAbi } = abis);
}

const DEFAULT_RPC = 'http://127.0.0.1:8545';

interface ConnOpts {
  rpc: string;
  connectTimeout: number;
  keyFile?: string;
  devAccount?: number;
  deployment: string;
}

function addConnOptions(cmd: Command, needsDeployment = true): Command {
  cmd
    .option('--rpc <url>', 'JSON-RPC endpoint (env ZKINFER_ETH_RPC)', process.env.ZKINFER_ETH_RPC ?? DEFAULT_RPC)
    .option('--connect-timeout <s>', 'seconds the node may take to answer the first call before it counts as unreachable (1..600)',
      (v: string) => parseIntFlag(v, '--connect-timeout', 1, 600), CONNECT_TIMEOUT_S)
    .option('--key-file <file>', 'file holding the hex private key (else env ZKINFER_ETH_KEY)')
    .option('--dev-account <n>', 'DEV ONLY: use anvil dev account n (0..9; its key is public) — refused unless the chain id is 31337',
      (v: string) => parseIntFlag(v, '--dev-account', 0, 9));
  if (needsDeployment) cmd.option('--deployment <file>', 'deployment JSON written by `eth deploy`', DEFAULT_DEPLOYMENT_FILE);
  return cmd;
}

async function loadKey(o: ConnOpts): Promise<{ key: Hex; dev: boolean }> {
  if (o.devAccount !== undefined) return { key: devPrivateKeys(o.devAccount + 1)[o.devAccount]!, dev: true };
  if (o.keyFile) {
    let text: string;
    try {
      text = await readFile(o.keyFile, 'utf8');
    } catch (cause) {
      throw new EthKeyError(`cannot read key file ${o.keyFile}`, { hint: 'check the path and permissions', cause });
    }
    return { key: parsePrivateKey(text), dev: false };
  }
  const env = process.env.ZKINFER_ETH_KEY;
  if (env) return { key: parsePrivateKey(env), dev: false };
  throw new EthKeyError('no Ethereum key given', {
    hint: 'set ZKINFER_ETH_KEY, pass --key-file PATH, or on a local anvil node --dev-account 0',
  });
}

/**
 * Clients for the node at `o.rpc`; a node that is down, answers junk or does not answer within --connect-timeout is
 * an EthTransactionError.
 */
async function reach(o: ConnOpts, key: Hex): Promise<EthClients> {
  const seconds = o.connectTimeout;
  try {
    return await createEthClients({ rpcUrl: o.rpc, privateKey: key, connectTimeoutMs: seconds * 1000 });
  } catch (cause) {
    const why = cause instanceof TimeoutError ? `: no answer within ${seconds} s (--connect-timeout)` : cause instanceof BaseError ? `: ${cause.shortMessage}` : '';
    throw new EthTransactionError(`cannot reach the Ethereum node at ${o.rpc}${why}`, undefined, {
      hint: 'start one with `zkinfer eth node`, or pass --rpc URL',
      cause,
    });
  }
}

async function connect(o: ConnOpts): Promise<EthClients> {
  const { key, dev } = await loadKey(o);
  const clients = await reach(o, key);
  if (dev && clients.chain.id !== DEV_CHAIN_ID) {
    throw new EthKeyError(`--dev-account is only allowed on the local dev chain (31337), this is chain ${clients.chain.id}`, {
      hint: 'use ZKINFER_ETH_KEY or --key-file on real networks',
    });
  }
  return clients;
}

function loadDeployment(o: ConnOpts, clients: EthClients): Deployment {
  const d = readDeployment(o.deployment);
  if (d.chainId !== clients.chain.id) {
    throw new ZkinferError('ETH_DEPLOYMENT', `deployment ${o.deployment} is for chain ${d.chainId}, but ${o.rpc} is chain ${clients.chain.id}`, {
      hint: 'pass the matching --deployment or --rpc (a restarted anvil needs `eth deploy` again)',
    });
  }
  return d;
}

/** The largest token amount a contract call can carry (uint256). */
const MAX_UINT256 = 2n ** 256n - 1n;

/** The significant digits after the point of a plain decimal number (`1.50` → 1); undefined if `text` is none. */
function fractionDigits(text: string): number | undefined {
  const m = /^\d+(?:\.(\d+))?$/.exec(text);
  return m ? (m[1]?.replace(/0+$/, '').length ?? 0) : undefined;
}

function parseAmount(text: string, decimals: number, symbol: string): bigint {
  const digits = fractionDigits(text);
  if (digits === undefined) throw new InvalidInputError(`amount "${text}" is not a positive decimal number of ${symbol}`, { hint: 'e.g. 1.5' });
  // parseUnits rounds the digits past `decimals`: an amount the token cannot represent is refused, not changed
  if (digits > decimals) {
    throw new InvalidInputError(`amount ${text} has more decimals than ${symbol} has (${decimals})`, { hint: `at most ${decimals} digits after the point` });
  }
  const v = parseUnits(text, decimals);
  if (v <= 0n) throw new InvalidInputError(`amount must be positive, got ${text}`);
  if (v > MAX_UINT256) throw new InvalidInputError(`amount ${text} ${symbol} is more than a token amount can be (2^256 − 1 units)`);
  return v;
}

/** A points weight (1 = 1.0, at most 100) as the vault's 18-decimal fixed point; more decimals are refused. */
function weightArg(text: string): bigint {
  const digits = fractionDigits(text);
  if (digits === undefined || digits > 18 || !(Number(text) > 0 && Number(text) <= 100)) {
    throw new InvalidInputError(`weight must be a number in (0, 100] with at most 18 decimals, got "${text}"`, { hint: '1 = 1.0' });
  }
  return parseUnits(text, 18);
}

function parseAddressArg(text: string, what: string): Address {
  if (!isAddress(text, { strict: false })) throw new InvalidInputError(`${what} "${text}" is not an address`, { hint: 'an 0x-prefixed 20-byte hex address' });
  return getAddress(text);
}

/** Run an action, turning viem errors into typed errors the CLI prints with a hint. */
function ethAction<A extends unknown[]>(what: string, fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    await loadEth();
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof ZkinferError || !(err instanceof BaseError)) throw err;
      throw toTxError(err, what);
    }
  };
}

const fmtPoints = (p: bigint) => formatUnits(p, 18);

/** `zkinfer eth node|deploy|mint|deposit|points|withdraw|restake|claim|admin …|register-circuit|attest|attestation` */
export function registerEth(program: Command): void {
  const eth = program.command('eth').description('Ethereum: LRT deposit vault with points, restaking, on-chain attestation of proofs');

  eth
    .command('node')
    .description('start a local anvil dev chain (DEV ONLY: its funded keys are public)')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '8545')
    .option('--state <file>', 'load/save chain state in this file across restarts')
    .option('--block-time <s>', 'mine a block every s seconds (default: one per transaction)')
    .action(async (o: { port: string; state?: string; blockTime?: string }) => {
      await loadEth();
      const port = parseIntFlag(o.port, '--port', 0, 65535);
      const blockTime = o.blockTime === undefined ? undefined : parseIntFlag(o.blockTime, '--block-time', 1, 86_400);
      // Stopping as the other long-running commands do (docs/network.md, "Stopping"); anvil never outlives us
      // (docs/eth.md, "The dev node").
      const shutdown = handleSignals();
      const node = await startAnvil({
        port,
        ...(o.state ? { stateFile: o.state } : {}),
        ...(blockTime ? { blockTime } : {}),
      });
      // a forced exit (second signal, a stop past the grace period) takes anvil with it
      process.on('exit', () => node.process.kill('SIGKILL'));
      const stopped = shutdown.ready();
      console.log('DEV ONLY — local anvil chain; these keys are PUBLIC (anvil test mnemonic). Never send real funds to them.');
      console.log(`chain id ${node.chainId}`);
      console.log(`rpc ${node.rpcUrl}`);
      node.privateKeys.forEach((k, i) => console.log(`account ${i}  ${privateKeyToAccount(k).address}  key ${k}`));
      console.log('next: zkinfer eth deploy --rpc ' + node.rpcUrl + ' --dev-account 0     (Ctrl-C stops the node)');
      const died = new Promise<number | null>((resolve) => node.process.once('exit', (code) => resolve(code)));
      const why = await Promise.race([stopped, died]);
      if (typeof why === 'string') {
        await node.stop();
        console.log(o.state ? `anvil stopped; state saved in ${o.state}` : 'anvil stopped');
        return;
      }
      throw new AnvilError(`anvil exited on its own (code ${why})`, { hint: 'start the node again (with --state FILE the chain is kept across restarts)' });
    });

  addConnOptions(
    eth
      .command('deploy')
      .description('deploy the vault and the attestor; on the dev chain also mock LRTs, wETH, ezETH and a local restake manager')
      .option('--out <file>', 'where to write the deployment JSON', DEFAULT_DEPLOYMENT_FILE)
      .option('--token <address:weight...>', 'existing ERC-20 to whitelist with its points weight (1 = 1.0); repeatable (real networks)')
      .option('--restake-manager <address>', 'Renzo-style RestakeManager to restake through (real networks)')
      .option('--ezeth <address>', 'the token the restake manager mints (also pass it with --token)')
      .option('--claim-manager <address>', 'account allowed to move user balances to the claim receiver after deposits stop')
      .option('--claim-receiver <address>', 'the only address claims pay (default: the claim manager)')
      .option('--notice-period <seconds>', 'notice before a stop time or claim-manager change takes effect (3600…2592000; default 3 days, dev chain 1 hour)')
      .option('--force', 'replace an existing --out file (the old one is kept as <file>.bak-<time>)'),
    false,
  ).action(
    ethAction('deploy', async (o: ConnOpts & { out: string; token?: string[]; restakeManager?: string; ezeth?: string; claimManager?: string; claimReceiver?: string; noticePeriod?: string; force?: boolean }) => {
      const backup = backupBeforeDeploy(o.out, o.force === true);
      if (backup) console.log(`previous deployment kept as ${backup}`);
      const clients = await connect(o);
      const claimManager = o.claimManager ? parseAddressArg(o.claimManager, '--claim-manager') : undefined;
      const claimReceiver = o.claimReceiver ? parseAddressArg(o.claimReceiver, '--claim-receiver') : undefined;
      if (claimReceiver && !claimManager) throw new InvalidInputError('--claim-receiver needs --claim-manager');
      if (o.noticePeriod !== undefined && !/^\d+$/.test(o.noticePeriod)) throw new InvalidInputError(`--notice-period must be whole seconds, got "${o.noticePeriod}"`);
      const claims = { ...(claimManager ? { claimManager } : {}), ...(claimReceiver ? { claimReceiver } : {}) };
      let d: Deployment;
      if (!o.token || o.token.length === 0) {
        if (clients.chain.id !== DEV_CHAIN_ID) {
          throw new InvalidInputError(`chain ${clients.chain.id} is not the dev chain: name the tokens to whitelist with --token ADDRESS:WEIGHT`, {
            hint: 'the mock tokens of the dev stack are only deployed on the local anvil (chain 31337)',
          });
        }
        if (o.noticePeriod !== undefined) throw new InvalidInputError('--notice-period is for real networks; the dev stack uses the 1-hour minimum');
        d = await deployDevStack(clients, claims);
        console.log('INSECURE-DEV deployment: mock tokens with an open mint, local restake manager');
      } else {
        const tokens = o.token.map((spec) => {
          const [addr, w] = spec.split(':');
          return { address: parseAddressArg(addr ?? '', '--token'), weight: weightArg(w ?? '1') };
        });
        if (Boolean(o.restakeManager) !== Boolean(o.ezeth)) throw new InvalidInputError('--restake-manager and --ezeth go together');
        d = await deployStack(clients, {
          tokens,
          ...claims,
          ...(o.noticePeriod !== undefined ? { noticePeriod: BigInt(o.noticePeriod) } : {}),
          ...(o.restakeManager ? { restakeManager: parseAddressArg(o.restakeManager, '--restake-manager') } : {}),
          ...(o.ezeth ? { ezETH: parseAddressArg(o.ezeth, '--ezeth') } : {}),
        });
      }
      writeDeployment(o.out, d);
      console.log(`vault     ${d.vault}`);
      console.log(`attestor  ${d.attestor}`);
      if (d.restakeManager) console.log(`restake   ${d.restakeManager} (ezETH ${d.ezETH})`);
      for (const t of Object.values(d.tokens)) console.log(`token     ${t.symbol.padEnd(8)} ${t.address}  weight ${formatUnits(BigInt(t.weight), 18)}`);
      console.log(`deployment written to ${o.out}`);
    }),
  );

  addConnOptions(
    eth
      .command('mint')
      .description('DEV ONLY: mint mock tokens from a dev token faucet')
      .argument('<token>', 'symbol or address, e.g. wETH')
      .argument('<amount>', 'amount in token units, e.g. 10')
      .option('--to <address>', 'recipient (default: your account)'),
  ).action(
    ethAction('mint', async (tokenArg: string, amountArg: string, o: ConnOpts & { to?: string }) => {
      const clients = await connect(o);
      const t = findToken(loadDeployment(o, clients), tokenArg);
      const to = o.to ? parseAddressArg(o.to, '--to') : clients.account.address;
      await devMint(clients, t, to, parseAmount(amountArg, t.decimals, t.symbol));
      console.log(`minted ${amountArg} ${t.symbol} to ${to}`);
    }),
  );

  addConnOptions(
    eth.command('deposit').description('deposit a whitelisted token into the vault (approves it first if needed)').argument('<token>').argument('<amount>'),
  ).action(
    ethAction('deposit', async (tokenArg: string, amountArg: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      const r = await deposit(clients, d.vault, t.address, parseAmount(amountArg, t.decimals, t.symbol));
      console.log(`deposited ${amountArg} ${t.symbol}, credited ${formatUnits(r.credited, t.decimals)}  tx ${r.hash}`);
    }),
  );

  addConnOptions(
    eth.command('withdraw').description('withdraw your own tokens from the vault').argument('<token>').argument('<amount>', 'amount, or "all"'),
  ).action(
    ethAction('withdraw', async (tokenArg: string, amountArg: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      let amount: bigint;
      if (amountArg === 'all') {
        const { rows } = await readPoints(clients, d, clients.account.address);
        amount = rows.find((r) => r.token === t.address)?.balance ?? 0n;
        if (amount === 0n) throw new InvalidInputError(`you have no ${t.symbol} in the vault`);
      } else {
        amount = parseAmount(amountArg, t.decimals, t.symbol);
      }
      const hash = await withdraw(clients, d.vault, t.address, amountArg === 'all' ? ALL : amount);
      console.log(`withdrew ${amountArg === 'all' ? 'all (≈' + formatUnits(amount, t.decimals) + ')' : formatUnits(amount, t.decimals)} ${t.symbol}  tx ${hash}`);
    }),
  );

  addConnOptions(
    eth
      .command('restake')
      .description('restake deposited tokens through the restake manager; the minted ezETH stays in the vault, credited to you')
      .argument('<token>')
      .argument('<amount>')
      .option('--min-minted <ezETH>', 'least ezETH to accept (default: the simulated amount less --slippage)')
      .option('--slippage <percent>', 'tolerance under the simulated amount', '0.5')
      .option('--deadline <seconds>', 'refuse the restake if it is mined later than this many seconds from now', '1200'),
  ).action(
    ethAction('restake', async (tokenArg: string, amountArg: string, o: ConnOpts & { minMinted?: string; slippage: string; deadline: string }) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      const slippage = Number(o.slippage);
      if (!/^\d+(\.\d+)?$/.test(o.slippage) || slippage > 100) throw new InvalidInputError(`--slippage must be a percentage 0…100, got "${o.slippage}"`);
      if (!/^\d+$/.test(o.deadline)) throw new InvalidInputError(`--deadline must be whole seconds, got "${o.deadline}"`);
      if (!d.restakeManager || !d.ezETH) {
        throw new DeploymentError('this deployment has no restake manager', { hint: 'deploy with --restake-manager and --ezeth (the dev chain wires one)' });
      }
      // the restake is for the deployment's manager and token: the vault refuses it if its owner changed either
      const minted = findToken(d, d.ezETH);
      const deadline = (await clients.publicClient.getBlock()).timestamp + BigInt(o.deadline);
      const r = await restake(clients, d.vault, t.address, parseAmount(amountArg, t.decimals, t.symbol), {
        deadline,
        slippageBps: Math.round(slippage * 100),
        expect: { manager: d.restakeManager, restaked: d.ezETH },
        ...(o.minMinted !== undefined ? { minMinted: parseAmount(o.minMinted, minted.decimals, minted.symbol) } : {}),
      });
      const fmtMinted = (x: bigint) => `${formatUnits(x, minted.decimals)} ${minted.symbol}`;
      console.log(`restaked ${amountArg} ${t.symbol} → ${fmtMinted(r.minted)} (at least ${fmtMinted(r.minMinted)} accepted)  tx ${r.hash}`);
    }),
  );

  addConnOptions(
    eth.command('points').description("show an account's vault balances and points (1 point = 1 ETH-unit × weight 1.0 held for 1 s)").argument('[address]', 'default: your account'),
  ).action(
    ethAction('points', async (addr: string | undefined, o: ConnOpts) => {
      let user: Address;
      let clients: EthClients;
      if (addr) {
        user = parseAddressArg(addr, 'address');
        clients = await reach(o, devPrivateKeys(1)[0]!); // read-only: the key never signs
      } else {
        clients = await connect(o);
        user = clients.account.address;
      }
      const d = loadDeployment(o, clients);
      const { total, rows } = await readPoints(clients, d, user);
      console.log(`account ${user}`);
      console.log(`${'token'.padEnd(10)}${'balance'.padStart(26)}${'points'.padStart(30)}`);
      for (const r of rows) {
        const dec = d.tokens[r.symbol]?.decimals ?? 18;
        console.log(`${r.symbol.padEnd(10)}${formatUnits(r.balance, dec).padStart(26)}${fmtPoints(r.points).padStart(30)}`);
      }
      console.log(`${'total'.padEnd(36)}${fmtPoints(total).padStart(30)}`);
    }),
  );

  addConnOptions(
    eth
      .command('claim')
      .description("claim manager only, after deposits stop: move a user's vault balance to the vault's announced claim receiver")
      .argument('<user>', 'whose balance')
      .argument('<token>')
      .argument('<amount>', 'amount, or "all"'),
  ).action(
    ethAction('claim', async (userArg: string, tokenArg: string, amountArg: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      const user = parseAddressArg(userArg, 'user');
      const hash = await claim(clients, d.vault, user, t.address, amountArg === 'all' ? ALL : parseAmount(amountArg, t.decimals, t.symbol));
      const receiver = await clients.publicClient.readContract({ address: d.vault, abi: depositVaultAbi, functionName: 'claimReceiver' });
      console.log(`claimed ${amountArg} ${t.symbol} of ${user} to ${receiver}  tx ${hash}`);
    }),
  );

  const admin = eth.command('admin').description('vault owner actions: tokens and weights, deposit stop, claim manager, pause');
  const adminCmd = (name: string, description: string) => addConnOptions(admin.command(name).description(description));
  adminCmd('add-token', 'whitelist an ERC-20 with a points weight (1 = 1.0)').argument('<address>').argument('<weight>').action(
    ethAction('addToken', async (addr: string, w: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = await addToken(clients, d, parseAddressArg(addr, 'token'), weightArg(w));
      d.tokens[t.symbol] = t;
      writeDeployment(o.deployment, d);
      console.log(`whitelisted ${t.symbol} ${t.address} (decimals ${t.decimals}) at weight ${w}`);
    }),
  );
  adminCmd('remove-token', 'stop deposits and points of a token (balances stay withdrawable)').argument('<token>').action(
    ethAction('removeToken', async (tokenArg: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      await removeToken(clients, d.vault, t.address);
      console.log(`removed ${t.symbol} from the whitelist; balances stay withdrawable`);
    }),
  );
  adminCmd('set-weight', "change a listed token's points weight").argument('<token>').argument('<weight>').action(
    ethAction('setWeight', async (tokenArg: string, w: string, o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const t = findToken(d, tokenArg);
      const weight = weightArg(w);
      await setWeight(clients, d.vault, t.address, weight);
      d.tokens[t.symbol] = { ...t, weight: String(weight) };
      writeDeployment(o.deployment, d);
      console.log(`${t.symbol} weight set to ${w}`);
    }),
  );
  adminCmd('stop-deposits', 'once: refuse deposits from a time at least the notice period ahead (default: the earliest); claims open then')
    .option('--at <unix>', 'unix time in seconds')
    .action(
      ethAction('setDepositStopTime', async (o: ConnOpts & { at?: string }) => {
        if (o.at !== undefined && !/^\d+$/.test(o.at)) throw new InvalidInputError(`--at must be unix seconds, got "${o.at}"`);
        const clients = await connect(o);
        const when = await stopDeposits(clients, loadDeployment(o, clients).vault, o.at === undefined ? undefined : BigInt(o.at));
        console.log(`deposits stop at ${when} (${new Date(Number(when) * 1000).toISOString()})`);
      }),
    );
  adminCmd('propose-claim-manager', 'announce a claim manager and the only receiver its claims pay; effective after the notice period')
    .argument('<address>')
    .option('--receiver <address>', 'where claims pay (default: the claim manager)')
    .action(
      ethAction('proposeClaimManager', async (addr: string, o: ConnOpts & { receiver?: string }) => {
        const clients = await connect(o);
        const manager = parseAddressArg(addr, 'claim manager');
        const receiver = o.receiver ? parseAddressArg(o.receiver, '--receiver') : manager;
        const eta = await proposeClaimManager(clients, loadDeployment(o, clients).vault, manager, receiver);
        console.log(`claim manager ${manager} (claims pay ${receiver}) proposed; anyone can activate it from ${eta} (${new Date(Number(eta) * 1000).toISOString()}) with \`eth admin activate-claim-manager\``);
      }),
    );
  adminCmd('activate-claim-manager', 'anyone: put the proposed claim manager in place once its notice has passed').action(
    ethAction('activateClaimManager', async (o: ConnOpts) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const { manager, receiver } = await activateClaimManager(clients, d.vault);
      writeDeployment(o.deployment, { ...d, claimManager: manager });
      console.log(`claim manager is now ${manager}; claims pay ${receiver}`);
    }),
  );
  adminCmd('rescue', 'send a token nobody has a position in (sent to the vault by mistake) to an address').argument('<token>', 'address or symbol').requiredOption('--to <address>', 'receiver').action(
    ethAction('rescue', async (tokenArg: string, o: ConnOpts & { to: string }) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      const token = isAddress(tokenArg, { strict: false }) ? getAddress(tokenArg) : findToken(d, tokenArg).address;
      const amount = await rescueToken(clients, d.vault, token, parseAddressArg(o.to, '--to'));
      console.log(`rescued ${amount} units of ${token} to ${getAddress(o.to)}`);
    }),
  );
  for (const paused of [true, false]) {
    adminCmd(paused ? 'pause' : 'unpause', paused ? 'pause deposits, restaking and claims for at most 3 days (withdrawals stay open)' : 'resume').action(
      ethAction(paused ? 'pause' : 'unpause', async (o: ConnOpts) => {
        const clients = await connect(o);
        await setPaused(clients, loadDeployment(o, clients).vault, paused);
        console.log(paused ? 'vault paused' : 'vault unpaused');
      }),
    );
  }

  addConnOptions(
    eth
      .command('register-circuit')
      .description("register a circuit's Groth16 verification key on the attestor, which verifies its proofs itself (attestor owner only); a disabled circuit is registered again")
      .option('--circuit <dir>', 'zkinfer circuit artifacts directory')
      .option('--vk <file>', 'or: a vk.json (the attestor checks that the circuit id is its sha256) …')
      .option('--circuit-id <hex>', '… with its circuit id …')
      .option('--outputs <n>', '… and its number of output signals (the leading public signals)')
      .option('--verifier-sol <file>', 'optional with --vk: its exported verifier (`zkinfer export-verifier`), whose header names the security level')
      .option('--allow-insecure-dev', 'register an INSECURE-DEV circuit on a chain other than local anvil (its proofs can be forged)'),
  ).action(
    ethAction('register-circuit', async (o: ConnOpts & { circuit?: string; verifierSol?: string; circuitId?: string; outputs?: string; vk?: string; allowInsecureDev?: boolean }) => {
      try {
        // Number() read `--outputs ""` as 0 outputs
        const nOutputs = o.outputs === undefined ? undefined : parseIntFlag(o.outputs, '--outputs', 0, Number.MAX_SAFE_INTEGER);
        const clients = await connect(o);
        const d = loadDeployment(o, clients);
        const r = await ensureCircuitRegistered(clients, d.attestor, {
          ...(o.circuit ? { dir: resolveCircuitDir(o.circuit) } : {}),
          ...(o.verifierSol ? { verifierSol: o.verifierSol } : {}),
          ...(o.circuitId ? { circuitId: o.circuitId.replace(/^0x/, '').toLowerCase() } : {}),
          ...(nOutputs !== undefined ? { nOutputs } : {}),
          ...(o.vk ? { vkJson: o.vk } : {}),
          allowInsecureDev: o.allowInsecureDev === true,
          reregister: true,
        });
        if (r.registered) d.verifiers[r.circuitId] = r.vkData;
        writeDeployment(o.deployment, d);
        console.log(`${r.registered ? 'registered' : 'already registered'} circuit ${r.circuitId}  key ${r.vkData}  (${r.nPublic} public signals, ${r.nOutputs} outputs)`);
      } finally {
        await releaseSnarkjsCurve();
      }
    }),
  );

  addConnOptions(
    eth
      .command('attest')
      .description('verify a proof on chain and record the inference (circuit, input hash, outputs, prover, block)')
      .argument('<proof>', 'PROOF.json from `zkinfer prove`')
      .option('--circuit <dir>', 'artifacts directory: register the circuit first if it is not yet (needs the attestor owner key)')
      .option('--gas <n>', 'explicit gas limit (default: estimated; a starved proof check reverts, so the estimate is safe)'),
  ).action(
    ethAction('attest', async (proofPath: string, o: ConnOpts & { circuit?: string; gas?: string }) => {
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(await readFile(proofPath, 'utf8'));
        } catch (cause) {
          throw new InvalidInputError(`cannot read proof file ${proofPath} as JSON`, { cause });
        }
        const proof = parseAttestProof(raw, proofPath);
        const clients = await connect(o);
        const d = loadDeployment(o, clients);
        if (o.circuit) {
          const r = await ensureCircuitRegistered(clients, d.attestor, { dir: resolveCircuitDir(o.circuit) });
          if (r.circuitId !== proof.circuit_id) {
            throw new InvalidInputError(`proof is for circuit ${proof.circuit_id}, but ${o.circuit} is circuit ${r.circuitId}`);
          }
          if (r.registered) {
            d.verifiers[r.circuitId] = r.vkData;
            writeDeployment(o.deployment, d);
            console.log(`registered circuit ${r.circuitId}  key ${r.vkData}`);
          }
        }
        if (o.gas !== undefined && !/^\d+$/.test(o.gas)) throw new InvalidInputError(`--gas must be a whole number, got "${o.gas}"`);
        const gas = o.gas ? BigInt(o.gas) : undefined;
        const r = await attestProof(clients, d.attestor, proof, gas ? { gas } : {});
        const a = await readAttestation(clients, d.attestor, r.id);
        console.log(`attested #${r.id}  circuit ${proof.circuit_id}`);
        console.log(`input hash ${r.inputHash}`);
        console.log(`outputs ${JSON.stringify(a.outputs.map(String))} (field elements)`);
        if (o.circuit) {
          const md = await readMetadata(resolveCircuitDir(o.circuit));
          console.log(`decoded ${JSON.stringify(decodeOutputs(md, [...a.outputs.map(String), ...proof.public_signals.slice(a.outputs.length)]))}`);
        }
        console.log(`prover ${a.prover}  block ${a.blockNumber}  gas ${r.gasUsed}  tx ${r.hash}`);
      } finally {
        await releaseSnarkjsCurve();
      }
    }),
  );

  addConnOptions(
    eth
      .command('attestation')
      .description('look up recorded attestations by id or by input hash')
      .option('--id <n>', 'attestation id')
      .option('--input-hash <hex>', 'keccak256 of the packed input signals (printed by `eth attest`)'),
  ).action(
    ethAction('attestation', async (o: ConnOpts & { id?: string; inputHash?: string }) => {
      const clients = await connect(o);
      const d = loadDeployment(o, clients);
      let ids: readonly bigint[];
      if (o.id !== undefined) {
        if (!/^\d+$/.test(o.id)) throw new InvalidInputError(`--id must be a whole number, got "${o.id}"`);
        ids = [BigInt(o.id)];
      }
      else if (o.inputHash && /^0x[0-9a-fA-F]{64}$/.test(o.inputHash)) ids = await attestationsByInput(clients, d.attestor, o.inputHash as Hex);
      else throw new InvalidInputError('give --id N or --input-hash 0x…(32 bytes)');
      if (ids.length === 0) console.log('no attestation found');
      for (const id of ids) {
        const a = await readAttestation(clients, d.attestor, id);
        console.log(JSON.stringify({ id: String(id), circuitId: a.circuitId, inputHash: a.inputHash, outputs: a.outputs.map(String), prover: a.prover, block: String(a.blockNumber) }));
      }
    }),
  );
}
