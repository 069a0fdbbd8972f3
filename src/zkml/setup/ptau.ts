import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256File } from '../artifacts/files.js';
import { BN254_Q, BN254_R } from '../fixed-point.js';
import { leToBigInt, readBinSections, readBytes } from './binfile.js';
import { SetupError } from './errors.js';

export { BN254_Q };

export interface PtauInfo {
  power: number;
  ceremonyPower: number;
  /** Has the Lagrange-basis sections 12–15 that Groth16 `zkey new` needs (`powersoftau prepare phase2`). */
  prepared: boolean;
  contributions: number;
}

/**
 * Read and check a .ptau header: magic, BN254 curve, power, and that every section has the size its power
 * implies (so a truncated or corrupted file is refused before it is used).
 */
export async function readPtauInfo(path: string): Promise<PtauInfo> {
  let table;
  try {
    table = await readBinSections(path);
  } catch (cause) {
    throw new SetupError('PTAU_INVALID', `cannot read ${path} as a .ptau file`, { hint: 'pass a powers-of-tau file such as powersOfTau28_hez_final_16.ptau', cause });
  }
  if (table.magic !== 'ptau') throw new SetupError('PTAU_INVALID', `${path} is not a .ptau file (magic "${table.magic}")`, { hint: 'pass a powers-of-tau (.ptau) file' });
  const sec = (id: number) => table.sections.get(id)?.[0];
  const h = sec(1);
  if (!h) throw new SetupError('PTAU_INVALID', `${path} has no header section`);
  const hb = await readBytes(path, h.offset, h.size);
  const n8 = hb.readUInt32LE(0);
  const q = leToBigInt(hb.subarray(4, 4 + n8));
  if (n8 !== 32 || q !== BN254_Q) throw new SetupError('PTAU_INVALID', `${path} is not for the BN254 curve`, { hint: 'zkinfer uses Groth16 over BN254 (bn128)' });
  const power = hb.readUInt32LE(4 + n8);
  const ceremonyPower = hb.readUInt32LE(8 + n8);
  const g1 = 64, g2 = 128;
  const n = 2 ** power;
  const expect: Array<[number, number]> = [[2, (2 * n - 1) * g1], [3, n * g2], [4, n * g1], [5, n * g1], [6, g2]];
  for (const [id, size] of expect) {
    if (sec(id)?.size !== size) throw new SetupError('PTAU_INVALID', `${path}: section ${id} has ${sec(id)?.size ?? 'no'} bytes, expected ${size} for power ${power}`, { hint: 'the file is truncated or corrupted; download it again and compare its sha256 with the published hash' });
  }
  const lag: Array<[number, number]> = [[12, (4 * n - 1) * g1], [13, (2 * n - 1) * g2], [14, (2 * n - 1) * g1], [15, (2 * n - 1) * g1]];
  const present = lag.filter(([id]) => sec(id));
  for (const [id, size] of present) {
    if (sec(id)?.size !== size) throw new SetupError('PTAU_INVALID', `${path}: Lagrange section ${id} has ${sec(id)?.size} bytes, expected ${size}`, { hint: 'the file is truncated or corrupted' });
  }
  const c = sec(7);
  const contributions = c && c.size >= 4 ? (await readBytes(path, c.offset, 4)).readUInt32LE(0) : 0;
  return { power, ceremonyPower, prepared: present.length === 4, contributions };
}

/** File names of zkinfer's dev ptau files (dev-<id>-NN.INSECURE.ptau) and anything named as insecure/dev. */
const DEV_PTAU_NAME = /(^dev-[0-9a-f]+-\d+\.INSECURE\.ptau$)|INSECURE/i;

/** sha256 of every dev ptau zkinfer made in `cacheDir` (recorded beside each file as <file>.sha256). */
export async function devPtauHashes(cacheDir: string): Promise<Set<string>> {
  const dir = join(cacheDir, 'ptau');
  if (!existsSync(dir)) return new Set();
  const names = (await readdir(dir)).filter((n) => n.endsWith('.INSECURE.ptau.sha256'));
  return new Set(await Promise.all(names.map(async (n) => (await readFile(join(dir, n), 'utf8')).trim())));
}

/**
 * Check an operator-supplied ceremony ptau: usable for a circuit needing 2^`neededPower` points, AND a real
 * ceremony by provenance (docs/security.md): at least one recorded contribution, and neither named nor hashed
 * like a dev ptau of `cacheDir`. The security label comes from this check, never from the flag.
 */
export async function checkCeremonyPtau(path: string, neededPower: number, opts: { cacheDir?: string } = {}): Promise<PtauInfo & { sha256: string }> {
  const info = await readPtauInfo(path);
  if (!info.prepared) {
    throw new SetupError('PTAU_NOT_PREPARED', `${path} is not prepared for phase 2 (no Lagrange sections)`, {
      hint: 'use a *_final_NN.ptau file (e.g. powersOfTau28_hez_final_NN.ptau) or run `snarkjs powersoftau prepare phase2`',
    });
  }
  if (info.power < neededPower) {
    throw new SetupError('PTAU_TOO_SMALL', `${path} has power ${info.power}, the circuit needs ${neededPower}`, {
      hint: `use a ptau of power ≥ ${neededPower} (powersOfTau28_hez_final_${String(Math.max(neededPower, 8)).padStart(2, '0')}.ptau)`,
    });
  }
  const hint = 'pass a real ceremony file (e.g. powersOfTau28_hez_final_NN.ptau, compare its sha256 with the published one), or omit --ptau for an INSECURE-DEV key';
  if (DEV_PTAU_NAME.test(basename(path))) {
    throw new SetupError('PTAU_NOT_CEREMONY', `${path} is named like a dev (INSECURE) powers of tau; its secret is known`, { hint });
  }
  if (info.contributions < 1) {
    throw new SetupError('PTAU_NOT_CEREMONY', `${path} records no contribution: it is not the output of a ceremony`, { hint });
  }
  const sha256 = await sha256File(path);
  if (opts.cacheDir && (await devPtauHashes(opts.cacheDir)).has(sha256)) {
    throw new SetupError('PTAU_NOT_CEREMONY', `${path} is a copy of a zkinfer dev powers of tau (sha256 ${sha256}); its secret is known`, { hint });
  }
  return { ...info, sha256 };
}

export { BN254_R };
