/**
 * A tiny real Groth16 circuit for the attestation tests, built with circom2 + snarkjs directly and cached under
 * .cache/eth-test/ (INSECURE-DEV: the powers of tau is generated locally with known entropy).
 *   y = x0·x1 + 3·x0 + 7, public inputs x0, x1 and `recipient` (in no constraint, bound by the zkey alone, as
 *   zkinfer circuits do) → public signals [y, x0, x1, recipient] (outputs first, as Circom orders them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { cacheDir } from '../../fixtures/cache-dir.js';
import { circuitIdOfVk } from '../../../src/zkml/artifacts/canonical.js';
import { packageDir } from '../../../src/eth/project.js';
import type { AttestProof } from '../../../src/eth/attest.js';
import { releaseSnarkjsCurve } from '../../../src/zkml/prove/curve.js';
import { withVkHash } from '../../../src/zkml/format/solidity.js';

export const TINY_CIRCOM = `pragma circom 2.1.0;
template Tiny() {
  signal input x[2];
  signal input recipient;
  signal output y;
  signal t;
  t <== x[0] * x[1];
  y <== t + 3 * x[0] + 7;
}
component main {public [x, recipient]} = Tiny();
`;

export interface TinyCircuit {
  dir: string;
  zkeyPath: string;
  wasmPath: string;
  vk: Record<string, unknown>;
  circuitId: string;
  nPublic: 4;
  nOutputs: 1;
}

/** Build (or reuse from cache) the tiny circuit's r1cs, wasm, zkey and vk. */
export async function tinyCircuit(): Promise<TinyCircuit> {
  const base = join(packageDir(), '.cache', 'eth-test', 'tiny-recipient');
  const vkPath = join(base, 'vk.json');
  // built into a private folder renamed into place: `base` only ever holds a complete, consistent set of keys
  await cacheDir(base, (d) => existsSync(join(d, 'vk.json')), async (tmp) => {
    writeFileSync(join(tmp, 'tiny.circom'), TINY_CIRCOM);
    const require = createRequire(import.meta.url);
    const circom = join(dirname(require.resolve('circom2/package.json')), 'cli.js');
    execFileSync(process.execPath, [circom, 'tiny.circom', '--r1cs', '--wasm', '-o', '.'], { cwd: tmp, stdio: 'pipe' });
    const p0 = join(tmp, 'pot0.ptau');
    const p1 = join(tmp, 'pot1.ptau');
    const pf = join(tmp, 'pot.ptau');
    const curve = await snarkjs.curves.getCurveFromName('bn128', true);
    await snarkjs.powersOfTau.newAccumulator(curve, 4, p0);
    await snarkjs.powersOfTau.contribute(p0, p1, 'eth-test', 'INSECURE-DEV eth test entropy');
    await snarkjs.powersOfTau.preparePhase2(p1, pf);
    await snarkjs.zKey.newZKey(join(tmp, 'tiny.r1cs'), pf, join(tmp, 'z0.zkey'));
    await snarkjs.zKey.contribute(join(tmp, 'z0.zkey'), join(tmp, 'circuit.zkey'), 'eth-test', 'INSECURE-DEV eth test zkey');
    const vk = await snarkjs.zKey.exportVerificationKey(join(tmp, 'circuit.zkey'));
    await curve.terminate();
    renameSync(join(tmp, 'tiny_js', 'tiny.wasm'), join(tmp, 'witness.wasm'));
    for (const f of ['pot0.ptau', 'pot1.ptau', 'pot.ptau', 'z0.zkey']) rmSync(join(tmp, f));
    writeFileSync(join(tmp, 'vk.json'), JSON.stringify(vk)); // last: what marks the set complete
  });
  const vk = JSON.parse(readFileSync(vkPath, 'utf8')) as Record<string, unknown>;
  return {
    dir: base,
    zkeyPath: join(base, 'circuit.zkey'),
    wasmPath: join(base, 'witness.wasm'),
    vk,
    circuitId: circuitIdOfVk(vk),
    nPublic: 4,
    nOutputs: 1,
  };
}

/** Prove y for (x0, x1), bound to `recipient` (an address as an integer; default 0), as a network proof file. */
export async function proveTiny(c: TinyCircuit, x0: bigint, x1: bigint, recipient = 0n): Promise<AttestProof> {
  const { proof, publicSignals } = await snarkjs.groth16.fullProve({ x: [x0.toString(), x1.toString()], recipient: recipient.toString() }, c.wasmPath, c.zkeyPath);
  return { circuit_id: c.circuitId, proof, public_signals: publicSignals } as AttestProof;
}

/** Stop snarkjs's cached bn128 worker threads so the test process can exit. */
export const releaseSnarkjs = releaseSnarkjsCurve;

/** The snarkjs Groth16 Solidity verifier (+ vkHash) for the tiny circuit's bare zkey (it has no zkinfer metadata.json). */
export async function tinyVerifierSource(c: TinyCircuit): Promise<string> {
  const main = createRequire(import.meta.url).resolve('snarkjs'); // …/snarkjs/build/main.cjs
  const template = readFileSync(join(dirname(main), '..', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
  return withVkHash(await snarkjs.zKey.exportSolidityVerifier(c.zkeyPath, { groth16: template }));
}
