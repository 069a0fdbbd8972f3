// Shared helpers for the setup-/prove-/verify- tests: compile the hand-written circuits of
// test/fixtures/circuits with circom2 and set them up, caching everything under .cache/ (gitignored).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../fixtures/cache-dir.js';
import { CLI_NODE_ARGS, runNode } from '../lifecycle/spawn-cli.js';
import { writeArtifacts, type ArtifactsMetadataInput, type CircuitMetadata } from '../../src/zkml/artifacts/index.js';
import { setupCircuit } from '../../src/zkml/setup/index.js';
import * as snarkjs from 'snarkjs';

/** The repository root (works from test/ under tsx and from dist/test/ compiled). */
export const repoRoot: string = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
})();

/** Test cache: dev ptau files and keys (ZKINFER_CACHE_DIR equivalent), compiled fixtures, artifacts. */
export const testCache = join(repoRoot, '.cache', 'zkinfer-test');

export interface CompiledFixture { r1cs: string; wasm: string }

/** Compile test/fixtures/circuits/<name>.circom with circom2 (cached by source hash). */
export async function compileFixture(name: string): Promise<CompiledFixture> {
  const src = join(repoRoot, 'test', 'fixtures', 'circuits', `${name}.circom`);
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 16);
  const out = join(testCache, 'circuits', `${name}-${hash}`);
  const r1cs = join(out, `${name}.r1cs`), wasm = join(out, `${name}_js`, `${name}.wasm`);
  await cacheDir(out, (d) => existsSync(join(d, `${name}.r1cs`)) && existsSync(join(d, `${name}_js`, `${name}.wasm`)), async (tmp) => {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'circom2', 'cli.js'), src, '--r1cs', '--wasm', '-o', tmp], { cwd: repoRoot, stdio: 'pipe' });
  });
  return { r1cs, wasm };
}

/** Hand-written metadata of the fixtures (what the compiler writes for generated circuits). */
export const FIXTURE_META: Record<string, Omit<ArtifactsMetadataInput, 'security' | 'ptau' | 'constraints'>> = {
  affine: {
    name: 'affine-fixture',
    modelSha256: '0'.repeat(64),
    ops: [{ node: 'affine', op: 'Fixture', constraints: 49 }],
    inputs: [{ name: 'x', signal: 'x', shape: [3], scaleBits: 8, rangeBits: 15 }],
    outputs: [
      { name: 'lin', signal: 'lin', shape: [1], scaleBits: 8, rangeBits: 32 },
      { name: 'prod', signal: 'prod', shape: [1], scaleBits: 16, rangeBits: 32 },
    ],
    publicLayout: {
      outputs: [{ name: 'lin', offset: 0, length: 1 }, { name: 'prod', offset: 1, length: 1 }],
      inputs: [{ name: 'x', offset: 2, length: 3 }],
      total: 5,
    },
  },
  // Not a fixed-point model: scale 0, a pure constraint-count fixture (300 products) for prover tests.
  'square-chain': {
    name: 'square-chain-fixture',
    modelSha256: '0'.repeat(64),
    ops: [{ node: 'chain', op: 'Fixture', constraints: 300 }],
    inputs: [{ name: 'x', signal: 'x', shape: [1], scaleBits: 0, rangeBits: 8 }],
    outputs: [{ name: 'y', signal: 'y', shape: [1], scaleBits: 0, rangeBits: 252 }],
    publicLayout: { outputs: [{ name: 'y', offset: 0, length: 1 }], inputs: [{ name: 'x', offset: 1, length: 1 }], total: 2 },
  },
};

/** A complete artifacts directory for a fixture (dev ptau, cached keys), written once per test process. */
export async function fixtureArtifacts(name: keyof typeof FIXTURE_META | string, dirName = name): Promise<{ dir: string; metadata: CircuitMetadata }> {
  const c = await compileFixture(name);
  const dir = join(testCache, 'artifacts', `${dirName}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  const res = await setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: dir, cacheDir: testCache });
  const meta = FIXTURE_META[name];
  if (!meta) throw new Error(`no fixture metadata for ${name}`);
  const metadata = await writeArtifacts(dir, { ...meta, security: res.security, ptau: res.ptau, constraints: res.constraints });
  return { dir, metadata };
}

/** Copy an artifacts directory (for tests that tamper with files). */
export async function copyArtifacts(dir: string, to: string): Promise<string> {
  await rm(to, { recursive: true, force: true });
  await cp(dir, to, { recursive: true });
  return to;
}

/** node's argv for the zkinfer CLI with `args`: bin/zkinfer.js (or the sources under tsx, lifecycle/spawn-cli.ts). */
export const zkinferArgv = (args: string[]): string[] => [...CLI_NODE_ARGS, ...args];

/** The CLI without blocking this process (when this process serves what the CLI talks to: API, devnet). */
export function zkinferAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode(zkinferArgv(args), { cwd: repoRoot });
}

/** Run the zkinfer CLI in a child process (from sources under tsx, or compiled from dist). */
export function zkinfer(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, zkinferArgv(args), { cwd: repoRoot, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


/**
 * snarkjs `zkey verify` of a key against an r1cs and a ptau, the ptau and key read into memory first: snarkjs leaves
 * the files it opens for this open (Node then closes them on GC with a DEP0137 warning).
 */
export function zkeyVerifies(r1csPath: string, ptauPath: string, zkeyPath: string): Promise<boolean> {
  return snarkjs.zKey.verifyFromR1cs(r1csPath, { type: 'mem', data: readFileSync(ptauPath) }, { type: 'mem', data: readFileSync(zkeyPath) });
}
