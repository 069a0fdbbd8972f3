import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bytesToHex, type Hex } from 'viem';
import { HDKey } from 'viem/accounts';
import { listenError } from '../lifecycle/errors.js';
import { AnvilError } from './errors.js';

const require = createRequire(import.meta.url);

/** anvil's well-known default mnemonic: every key derived from it is PUBLIC — dev only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEV_CHAIN_ID = 31337;

/** Path of the anvil binary shipped by the `@foundry-rs/anvil` npm package for this platform. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch (cause) {
    throw new AnvilError(`anvil binary package ${pkg} is not installed`, {
      hint: 'run `npm ci` (anvil comes from the @foundry-rs/anvil npm package; no download happens at run time)',
      cause,
    });
  }
  const bin = join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  if (!existsSync(bin)) throw new AnvilError(`anvil binary missing at ${bin}`, { hint: 'reinstall @foundry-rs/anvil' });
  return bin;
}

/**
 * The first `count` private keys of the dev mnemonic (the accounts anvil funds): BIP-39 seed (PBKDF2-HMAC-SHA512,
 * 2048 rounds, by Node's crypto, once), then BIP-32 m/44'/60'/0'/0/i as anvil and viem's mnemonicToAccount derive
 * them. viem's mnemonicToAccount ran the seed's PBKDF2 in JavaScript once per key: ~0.1 s of every `--dev-account` command.
 */
export function devPrivateKeys(count = 10, mnemonic = DEV_MNEMONIC): Hex[] {
  const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const root = HDKey.fromMasterSeed(seed);
  return Array.from({ length: count }, (_, i) => bytesToHex(root.derive(`m/44'/60'/0'/0/${i}`).privateKey!));
}

export interface StartAnvilParameters {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Always loopback unless told otherwise. */
  host?: string;
  chainId?: number;
  accounts?: number;
  /** Seconds between blocks; default: a block per transaction. */
  blockTime?: number;
  /** Persist state to this file (anvil --state). */
  stateFile?: string;
  /** Give up after this many ms waiting for "Listening on". */
  startTimeoutMs?: number;
}

export interface AnvilInstance {
  rpcUrl: string;
  port: number;
  chainId: number;
  /** Funded dev keys (10,000 ETH each). PUBLIC keys — dev only. */
  privateKeys: Hex[];
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Start anvil on loopback (a free port by default) and resolve once it listens. */
export async function startAnvil(params: StartAnvilParameters = {}): Promise<AnvilInstance> {
  const host = params.host ?? '127.0.0.1';
  const chainId = params.chainId ?? DEV_CHAIN_ID;
  const accounts = params.accounts ?? 10;
  const args = ['--host', host, '--port', String(params.port ?? 0), '--chain-id', String(chainId), '--accounts', String(accounts),
    '--mnemonic', DEV_MNEMONIC, '--hardfork', 'cancun'];
  if (params.blockTime) args.push('--block-time', String(params.blockTime));
  if (params.stateFile) args.push('--state', params.stateFile);
  // anvil never outlives this process (docs/eth.md, "The dev node"): on POSIX a shell forks a watcher that holds
  // the read end of our stdin pipe and then execs anvil, so the child's pid is anvil's. When this process ends in
  // any way (kill -9 included) the pipe closes and the watcher sends anvil SIGTERM, which saves --state.
  const bin = anvilBinary();
  const child = process.platform === 'win32'
    ? spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('/bin/sh', ['-c', 'exec 3<&0 </dev/null; (cat <&3; kill -TERM $$) >/dev/null 2>&1 & exec "$0" "$@" 3<&-', bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  // anvil gone: close the watcher's pipe so it ends now, while anvil's pid cannot have been reused yet
  child.once('exit', () => child.stdin?.destroy());

  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AnvilError(`anvil did not start within ${params.startTimeoutMs ?? 20000} ms`, { details: { output: out.slice(-2000) } }));
    }, params.startTimeoutMs ?? 20000);
    const onData = (buf: Buffer) => {
      out += buf.toString();
      const m = /Listening on [^\s:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining so anvil never blocks on a full pipe
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', (cause) => {
      clearTimeout(timer);
      reject(new AnvilError(`cannot run anvil: ${cause.message}`, { cause }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (/Address already in use/.test(out)) {
        const inUse = Object.assign(new Error(out.trim()), { code: 'EADDRINUSE' });
        return reject(listenError(inUse, host, params.port ?? 0, 'pick another port with --port (0 picks a free one)'));
      }
      reject(new AnvilError(`anvil exited with code ${code} before listening`, {
        hint: 'is the port already in use? pick another with --port',
        details: { output: out.slice(-2000) },
      }));
    });
  });

  return {
    rpcUrl: `http://${host}:${port}`,
    port,
    chainId,
    privateKeys: devPrivateKeys(accounts),
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
