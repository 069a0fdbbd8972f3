// The prove plan (docs/network.md "CLI start-up", round 21): what the native one-shot `zkinfer prove`
// (native/src/cli_prove.cpp, which the sh launcher in bin/zkinfer.js runs instead of Node) needs of a circuit, so that
// it never parses metadata.json or repeats the checks made of it once. Written by the Node command after a proof of
// the circuit with exactly that metadata.json passed every check of docs/security.md (its layout, circuit id = the
// canonical vk, the zkey's vk = vk.json), into the user's own cache — like the zkey ↔ vk verdict, never beside the
// artifacts — as `<user cache>/prove-plan/<sha256 of metadata.json's bytes>.v1`. The native program still hashes the
// four artifacts on every run and proves only when they equal the plan's (= metadata.json's) hashes. Text, one record
// a line (native/src/prove_plan.cpp reads it; a plan that does not read exactly so is not used):
//   zkinfer-prove-plan 1
//   id <circuit id>
//   security <INSECURE-DEV | ceremony>
//   tape <the witness tape's wire layout>
//   files <sha256 of circuit.r1cs> <of witness.json> <of circuit.zkey> <of vk.json>
//   layout <public signals> <offset of the packed input words> <their count> <the recipient's index, or -1>
//   input <values> <scaleBits> <rangeBits>         one line per graph input, in graph order
//   output <offset> <length> <scaleBits>           one line per graph output, in graph order
//   end
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { userCacheDir } from '../../../paths.js';
import { sha256Hex } from '../../format/circuit-id-node.js';
import type { CircuitMetadata } from '../../format/metadata.js';
import { sizeOf } from '../../ir/tensor.js';
import { DIRECT_LAYOUT_VERSION } from '../../r1cs/emit.js';
import { tapeCachePath, tapesEnabled } from '../../witness/tape-cache.js';

export const PROVE_PLAN_VERSION = 1;

/** Where the plan for a metadata.json with these bytes lives. */
export const provePlanPath = (metadataBytes: Uint8Array): string => userCacheDir('prove-plan', `${sha256Hex(metadataBytes)}.v${PROVE_PLAN_VERSION}`);

/**
 * The plan of a circuit, or undefined for one the native program does not prove: a circom witness.wasm, a layout
 * without packed inputs, an input on another signal than `in`, or inputs wider than its 64-bit integers.
 */
export function provePlanText(md: CircuitMetadata): string | undefined {
  const L = md.publicLayout;
  if (md.files.program === undefined || L.version !== 2 || L.packed === undefined) return undefined;
  if (md.inputs.some((t) => (t.signal ?? 'in') !== 'in' || t.rangeBits === undefined || t.rangeBits > 62)) return undefined;
  const slots = md.outputs.map((t) => L.outputs.find((s) => s.name === t.name));
  if (slots.some((s) => s === undefined)) return undefined;
  return [
    `zkinfer-prove-plan ${PROVE_PLAN_VERSION}`,
    `id ${md.id}`,
    `security ${md.security}`,
    `tape ${DIRECT_LAYOUT_VERSION}`,
    `files ${md.files.r1cs} ${md.files.program} ${md.files.zkey} ${md.files.vk}`,
    `layout ${L.total} ${L.packed.offset} ${L.packed.words} ${L.recipient ?? -1}`,
    ...md.inputs.map((t) => `input ${sizeOf(t.shape)} ${t.scaleBits} ${t.rangeBits}`),
    ...md.outputs.map((t, k) => `output ${slots[k]!.offset} ${slots[k]!.length} ${t.scaleBits}`),
    'end',
  ].join('\n') + '\n';
}

/**
 * After a native proof with `md` (read from `metadataBytes`, and checked with every artifact): write its plan, when
 * the circuit is one the native program proves, its witness tape is recorded and the plan there is not already this
 * one (a damaged plan is replaced). A failed write only costs later runs the Node start.
 */
export function writeProvePlan(metadataBytes: Uint8Array, md: CircuitMetadata): void {
  const text = provePlanText(md);
  if (text === undefined || !tapesEnabled() || !existsSync(tapeCachePath(md.files.program!))) return;
  const path = provePlanPath(metadataBytes);
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    /* none yet */
  }
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path); // a concurrent reader never sees half a plan
  } catch {
    /* a read-only cache: Node proves every time */
  }
}
