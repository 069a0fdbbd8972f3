import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSolidity, type CompiledContract } from './solc.js';

/** Root of the zkinfer package (holds package.json and contracts/), from src/ or dist/src/ alike. */
export function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'zkinfer') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('zkinfer package root not found');
    dir = up;
  }
}

function listSol(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listSol(join(dir, e.name)) : e.name.endsWith('.sol') ? [join(dir, e.name)] : [],
  );
}

/** Every source under contracts/, keyed `contracts/<path>` (sorted, so the cache key is stable). */
export function projectSources(): Record<string, string> {
  const root = packageDir();
  const files = listSol(join(root, 'contracts')).sort();
  return Object.fromEntries(files.map((f) => [relative(root, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
}

export type ProjectContractName =
  | 'DepositVault'
  | 'InferenceAttestor'
  | 'LocalRestakeManager'
  | 'EzETH'
  | 'DevToken'
  | 'FeeOnTransferToken'
  | 'BadRestakeManager'
  | 'RebasingToken'
  | 'HookToken'
  | 'ReentrantDepositor';

let memo: Record<string, CompiledContract> | undefined;

/** Compile contracts/ (cached under .cache/eth/solc by source hash) and return one contract's artifact. */
export function projectContract(name: ProjectContractName): CompiledContract {
  memo ??= compileSolidity({ sources: projectSources(), cacheDir: join(packageDir(), '.cache', 'eth', 'solc') });
  const c = memo[name];
  if (!c) throw new Error(`contract ${name} not found in contracts/`);
  return c;
}
