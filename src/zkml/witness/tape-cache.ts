import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { userCacheDir } from '../../paths.js';
import { readBytes } from '../artifacts/mapped-read.js';
import type { FixedProgram } from '../quantize/program.js';
import { DIRECT_LAYOUT_VERSION } from '../r1cs/emit.js';
import { WitnessTapeError } from './errors.js';
import { programFromJson } from './program-file.js';
import { programToTape } from './tape-compile.js';
import { sha256Hex } from '../format/circuit-id-node.js';
import { TAPE_VERSION, readTapeHeader } from './tape-format.js';
import { WitnessTape } from './tape-witness.js';

/**
 * `<user cache>/witness-tape/<sha256 of witness.json>.v<version>` (docs/zkml-compile.md "Witness tape"): recorded on
 * the first witness of a program and reused by every later process. Keyed by the bytes of the witness program read
 * in this process, and the tape carries that sha256 and its own, both checked on load; a stale or damaged file is
 * recorded again. Like the zkey ↔ vk verdict it lives in the user's own cache, never beside the artifacts.
 */
export const tapeCachePath = (programSha: string): string => userCacheDir('witness-tape', `${programSha}.v${TAPE_VERSION}`);

/** Whether witness tapes are used ($ZKINFER_WITNESS_TAPE=0 computes every witness with the emulator's walk). */
export const tapesEnabled = (): boolean => process.env.ZKINFER_WITNESS_TAPE !== '0';

export interface ProgramWitness {
  /** The tape, when the program could be recorded (or was, by an earlier process). */
  tape: WitnessTape | undefined;
  /** The parsed program: read only when needed (no tape, or the tape rejected an input and the walk names why). */
  program: () => Promise<FixedProgram>;
}

async function writeCached(path: string, tape: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, tape);
    await rename(tmp, path); // a concurrent reader never sees half a tape
  } catch {
    /* a read-only cache only costs time */
  }
}

/** Load a witness program file for witness computation: its cached tape, or the program (recording its tape). */
export async function loadProgramWitness(path: string): Promise<ProgramWitness> {
  // read synchronously (calculate.ts isWasm says why); not mapped: `zkinfer compile` may rewrite it in place
  const bytes = readFileSync(path);
  let parsed: Promise<FixedProgram> | undefined;
  const program = () => (parsed ??= Promise.resolve().then(() => programFromJson(bytes.toString('utf8'), path)));
  if (!tapesEnabled()) return { tape: undefined, program };
  const sha = sha256Hex(bytes);
  const cachePath = tapeCachePath(sha);
  let cached: Buffer | undefined;
  // mapped where the addon can (mapped-read.ts): a tape is only ever replaced by rename (writeCached)
  try { cached = readBytes(cachePath); } catch { /* not recorded yet */ }
  if (cached) {
    try {
      return { tape: new WitnessTape(cached, readTapeHeader(cached, { layout: DIRECT_LAYOUT_VERSION, programSha: sha })), program };
    } catch (e) {
      if (!(e instanceof WitnessTapeError)) throw e; // stale or damaged: recorded again below
    }
  }
  const tape = await recordTape(await program(), sha);
  return { tape: tape && new WitnessTape(tape, readTapeHeader(tape, { layout: DIRECT_LAYOUT_VERSION, programSha: sha })), program };
}

/** Record a program's tape into the cache; undefined for a program that is not recorded (its walk computes it). */
async function recordTape(p: FixedProgram, programSha: string): Promise<Uint8Array | undefined> {
  let tape: Uint8Array;
  try {
    tape = programToTape(p, programSha);
  } catch (e) {
    if (e instanceof WitnessTapeError) return undefined; // too large, or values that may not fit
    throw e;
  }
  await writeCached(tapeCachePath(programSha), tape);
  return tape;
}

/**
 * `zkinfer compile` records the tape of the program it just wrote (`programSha`: the sha256 of that file's bytes, which
 * compile has already computed for its cache key), so the first prove after a compile does not pay for recording it.
 */
export async function recordProgramTape(p: FixedProgram, programSha: string): Promise<void> {
  if (tapesEnabled()) await recordTape(p, programSha);
}
