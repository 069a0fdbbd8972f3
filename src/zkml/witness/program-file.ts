import { readFile, writeFile } from 'node:fs/promises';
import * as z from '../../zod-mini.js';
import type { FixedProgram } from '../quantize/program.js';
import { DIRECT_LAYOUT_VERSION } from '../r1cs/emit.js';
import { WitnessInputError } from './errors.js';

/**
 * The witness program (`witness.json` in an artifacts directory, docs/zkml-compile.md "Direct backend"): the
 * fixed-point program the exact emulator runs to compute a witness, instead of a circom WebAssembly witness
 * generator. BigInts are written as "n:<decimal>", Maps as {"$map": [[k, v], …]}, and identical activation tables
 * once ({"$table": i}), so any gadget kind round-trips without a format change.
 */
export const PROGRAM_FORMAT = 'zkinfer-witness-program';

const ProgramFileSchema = z.object({
  format: z.literal(PROGRAM_FORMAT),
  version: z.literal(1),
  layout: z.safeInt(),
  nIn: z.natural(),
  nSignals: z.natural(),
  tables: z.array(z.unknown()),
  gadgets: z.array(z.looseObject({ kind: z.string(), node: z.string() })),
  outputs: z.array(z.unknown()),
});

const replacer = (_k: string, v: unknown): unknown => {
  if (typeof v === 'bigint') return `n:${v}`;
  if (v instanceof Map) return { $map: [...v] };
  return v;
};

/** A decimal that fits a double exactly (≤ 15 digits): parsed as a Number, much cheaper than BigInt's own parse. */
const SHORT_DECIMAL = /^-?[0-9]{1,15}$/;
const N = 110, COLON = 58; // "n:"

function reviveBigInt(s: string): bigint {
  const d = s.slice(2);
  if (SHORT_DECIMAL.test(d)) return BigInt(Number(d));
  if (!/^-?[0-9]+$/.test(d)) throw new SyntaxError(`"${s}" is not an integer`);
  return BigInt(d);
}

/**
 * The file's JSON with "n:…" strings as BigInts, {"$map"} as Maps and {"$table": i} as table i. Written with plain
 * loops, no closures or per-node arrays: a one-shot `zkinfer prove` runs it once, un-optimised (docs/network.md
 * "CLI start-up").
 */
function revive(v: unknown, tables: unknown[]): unknown {
  if (typeof v === 'string') return v.charCodeAt(0) === N && v.charCodeAt(1) === COLON ? reviveBigInt(v) : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = revive(v[i], tables);
    return out;
  }
  const o = v as Record<string, unknown>;
  const entries = o.$map;
  if (Array.isArray(entries)) {
    const out = new Map<unknown, unknown>();
    for (const e of entries as unknown[][]) out.set(revive(e[0], tables), revive(e[1], tables));
    return out;
  }
  if (typeof o.$table === 'number') return tables[o.$table];
  const out: Record<string, unknown> = {}; // one fresh object per node, keys added in file order (fast properties)
  for (const k of Object.keys(o)) if (k !== '__proto__') out[k] = revive(o[k], tables);
  return out;
}

/** Serialize a program (bounds are not needed to compute a witness and are left out). */
export function programToJson(p: FixedProgram): string {
  const tableIds = new Map<string, number>();
  const tables: unknown[] = [];
  const gadgets = p.gadgets.map((g) => {
    if (!('table' in g)) return g;
    const key = JSON.stringify(g.table, replacer);
    let i = tableIds.get(key);
    if (i === undefined) { i = tables.length; tableIds.set(key, i); tables.push(JSON.parse(key)); }
    return { ...g, table: { $table: i } };
  });
  return JSON.stringify({ format: PROGRAM_FORMAT, version: 1, layout: DIRECT_LAYOUT_VERSION, nIn: p.nIn, nSignals: p.nSignals, tables, gadgets, outputs: p.outputs }, replacer);
}

export async function writeProgramFile(path: string, p: FixedProgram): Promise<void> {
  await writeFile(path, programToJson(p));
}

/** Parse a witness program; a malformed file is a typed error. */
export function programFromJson(text: string, source = 'witness program'): FixedProgram {
  let json: unknown;
  try { json = JSON.parse(text); } catch (cause) {
    throw new WitnessInputError('WITNESS_FAILED', `${source} is not valid JSON`, { hint: 're-run `zkinfer compile`', cause });
  }
  const r = ProgramFileSchema.safeParse(json);
  if (!r.success) {
    throw new WitnessInputError('WITNESS_FAILED', `${source} is not a zkinfer witness program: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      hint: 're-run `zkinfer compile` with this zkinfer version',
    });
  }
  if (r.data.layout !== DIRECT_LAYOUT_VERSION) {
    throw new WitnessInputError('WITNESS_FAILED', `${source} was compiled for wire layout ${r.data.layout}, this zkinfer computes layout ${DIRECT_LAYOUT_VERSION}`, {
      hint: 're-run `zkinfer compile` with this zkinfer version',
    });
  }
  try {
    const tables = r.data.tables.map((t) => revive(t, []));
    return {
      nIn: r.data.nIn, nSignals: r.data.nSignals, bounds: [],
      gadgets: revive(r.data.gadgets, tables) as FixedProgram['gadgets'],
      outputs: revive(r.data.outputs, tables) as FixedProgram['outputs'],
    };
  } catch (cause) {
    throw new WitnessInputError('WITNESS_FAILED', `${source} is not a zkinfer witness program: ${(cause as Error).message}`, { hint: 're-run `zkinfer compile`', cause });
  }
}

export async function readProgramFile(path: string): Promise<FixedProgram> {
  return programFromJson(await readFile(path, 'utf8'), path);
}
