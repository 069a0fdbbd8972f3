/**
 * Auditing a competition submission (docs/competitions.md, "Auditing a submission"). A Groth16 verification key
 * says nothing about the constraints behind it: a circuit that leaves its outputs unconstrained verifies proofs of
 * any outputs. So the validator does not trust the competitor's circuit, only its source:
 *   1. recompile the submitted ONNX model with the submitted options and calibration data with its own zkinfer
 *      (the same front end and R1CS emitter as `zkinfer compile`, whose outputs are fully constrained);
 *   2. check the submitted public interface (inputs, outputs, scales, public-signal layout) is the recompiled one;
 *   3. check the submitted proving key is a Groth16 setup of exactly that R1CS (snarkjs `zkey verify` against the
 *      powers of tau: the validator's own ceremony file, or for INSECURE-DEV circuits the miner's dev file);
 *   4. check sha256 of the key's verification key is the committed circuit id.
 * Then every proof that verifies under the committed id is a proof about the recompiled circuit.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as snarkjs from 'snarkjs';
import { circuitIdOfVk } from '../zkml/artifacts/canonical.js';
import { circuitInterface, lowerModelFile, type LoweredFile } from '../zkml/compile.js';
import type { CircuitMetadata } from '../zkml/format/metadata.js';
import { emitProgram } from '../zkml/r1cs/emit.js';
import { writeR1csFile } from '../zkml/r1cs/write.js';
import { materializeSource, type CompileSource } from '../zkml/source.js';

export interface AuditInput {
  committedId: string;
  /** The metadata the miner served (its public interface is checked against the recompile). */
  metadata: CircuitMetadata;
  source: CompileSource;
  zkey: Uint8Array;
  /** INSECURE-DEV circuits: the miner's dev powers of tau (its sha256 must be metadata.ptau.sha256). */
  minerPtau?: Uint8Array;
  /** Ceremony circuits: the validator's own prepared powers-of-tau file. */
  ceremonyPtau?: string;
}

/** Why the submission is not the circuit zkinfer compiles from its source, or undefined when it is. */
export async function auditSubmission(a: AuditInput): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'zkinfer-audit-'));
  try {
    let lowered: LoweredFile;
    try {
      const { modelPath, opts } = await materializeSource(dir, a.source);
      lowered = await lowerModelFile(modelPath, opts);
    } catch (e) {
      if (outOfMemory(e)) return 'recompiling the submitted model ran out of the memory this validator gives an audit (its memory cap)';
      return `the submitted model does not compile with this validator's zkinfer: ${(e as Error).message.slice(0, 300)}`;
    }
    const want = circuitInterface(lowered);
    const got = { inputs: a.metadata.inputs, outputs: a.metadata.outputs, publicLayout: a.metadata.publicLayout };
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(want)), JSON.parse(JSON.stringify(got)))) {
      return 'metadata inputs/outputs/public layout are not those of the circuit compiled from the submitted model';
    }
    const r1cs = join(dir, 'circuit.r1cs');
    await writeR1csFile(r1cs, emitProgram(lowered.low.program, { constraints: true }));
    // the key and a dev ptau are bytes already: snarkjs reads them from memory (its `zkey verify` leaves the files it
    // opens open, docs/competitions.md); a ceremony ptau is the validator's own file
    let ptau: string | snarkjs.MemFile;
    if (a.metadata.security === 'ceremony') {
      if (!a.ceremonyPtau) return 'a ceremony circuit is audited against the validator\'s own powers of tau: start the validator with --competition-ptau FILE';
      ptau = a.ceremonyPtau;
    } else {
      if (!a.minerPtau) return 'the miner did not send the dev powers of tau its INSECURE-DEV key was made from';
      if (createHash('sha256').update(a.minerPtau).digest('hex') !== a.metadata.ptau.sha256) return 'the dev powers of tau sent is not the one metadata.ptau names';
      ptau = { type: 'mem', data: a.minerPtau };
    }
    const zkey: snarkjs.MemFile = { type: 'mem', data: a.zkey };
    let ok: boolean;
    try {
      ok = await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey);
    } catch (e) {
      return `the proving key cannot be checked: ${(e as Error).message.slice(0, 200)}`;
    }
    if (!ok) return 'the proving key is not a Groth16 setup of the circuit zkinfer compiles from the submitted model (e.g. constraints removed)';
    const id = circuitIdOfVk(await snarkjs.zKey.exportVerificationKey(zkey));
    if (id !== a.committedId) return `the proving key's verification key ${id.slice(0, 16)}… is not the committed circuit ${a.committedId.slice(0, 16)}…`;
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An allocation refused under the audit's memory cap (docs/competitions.md), reached as itself or as the cause of a typed error. */
function outOfMemory(e: unknown): boolean {
  for (let c = e; c instanceof Error; c = c.cause) if (c instanceof RangeError && /allocation failed/i.test(c.message)) return true;
  return false;
}
