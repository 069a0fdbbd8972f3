import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { SolidityCompileError } from './errors.js';

const require = createRequire(import.meta.url);

/** EVM target and optimizer settings used for every contract (docs/eth.md). */
export const SOLC_SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

export interface CompiledContract {
  /** `path:Name` of the source unit. */
  fullName: string;
  abi: unknown[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
}

export interface CompileSolidityParameters {
  /** Source unit name → Solidity text. Imports of `@openzeppelin/...` resolve from node_modules. */
  sources: Record<string, string>;
  /** Cache directory (default `.cache/eth/solc` under the working directory); `null` disables caching. */
  cacheDir?: string | null;
}

export type CompileSolidityReturnType = Record<string, CompiledContract>;

/** Package root of `name`. */
function packageRoot(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new SolidityCompileError(`cannot locate package ${name}`, { hint: 'run npm ci', cause });
  }
}

function packageVersion(name: string): string {
  return JSON.parse(readFileSync(join(packageRoot(name), 'package.json'), 'utf8')).version as string;
}

/** Resolve an import (only `@openzeppelin/contracts/...` is served from node_modules). */
function findImport(path: string): { contents: string } | { error: string } {
  const prefix = '@openzeppelin/contracts/';
  if (!path.startsWith(prefix)) return { error: `import not found: ${path}` };
  const file = resolve(packageRoot('@openzeppelin/contracts'), path.slice(prefix.length));
  try {
    return { contents: readFileSync(file, 'utf8') };
  } catch {
    return { error: `import not found: ${path} (looked at ${file})` };
  }
}

let solcModule: { compile(input: string, opts?: unknown): string; version(): string } | undefined;

function loadSolc() {
  solcModule ??= require('solc');
  return solcModule!;
}

/** Compile Solidity with solcjs (standard JSON, cancun, optimizer on), cached by the hash of all inputs. */
export function compileSolidity({ sources, cacheDir }: CompileSolidityParameters): CompileSolidityReturnType {
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: SOLC_SETTINGS,
  };
  const inputJson = JSON.stringify(input);
  const key = createHash('sha256')
    .update(`solc@${packageVersion('solc')};oz@${packageVersion('@openzeppelin/contracts')};`)
    .update(inputJson)
    .digest('hex');
  const dir = cacheDir === null ? null : resolve(cacheDir ?? join('.cache', 'eth', 'solc'));
  const cacheFile = dir ? join(dir, `${key}.json`) : null;
  if (cacheFile && existsSync(cacheFile)) {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as CompileSolidityReturnType;
  }

  const output = JSON.parse(loadSolc().compile(inputJson, { import: findImport })) as {
    errors?: Array<{ severity: string; formattedMessage: string }>;
    contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new SolidityCompileError(`solc reported ${errors.length} error(s):\n${errors.map((e) => e.formattedMessage).join('\n')}`, {
      hint: 'fix the Solidity source named above',
    });
  }
  const result: CompileSolidityReturnType = {};
  for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
    if (!(file in sources)) continue; // skip imported library units
    for (const [name, c] of Object.entries(contracts)) {
      result[name] = {
        fullName: `${file}:${name}`,
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
    }
  }
  if (cacheFile && dir) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, cacheFile); // atomic: parallel test files may compile at once
  }
  return result;
}
