/** A competitor's side (docs/competitions.md): check a compiled circuit against its task, write the baseline, commit. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Chain } from '../chain/types.js';
import { loadArtifacts } from '../zkml/artifacts/index.js';
import { formatCommitment } from './commitment.js';
import { SubmissionMismatchError } from './errors.js';
import { submissionProblem } from './evaluate.js';
import type { CompetitionTask } from './task.js';

/** Write the task's baseline model and calibration data to `dir`; returns the paths and the compile command. */
export function writeBaseline(task: CompetitionTask, dir: string): { onnx: string; calibration: string; compile: string } {
  const b = task.competition.baseline();
  mkdirSync(dir, { recursive: true });
  const onnx = join(dir, 'model.onnx');
  const calibration = join(dir, 'calibration.json');
  writeFileSync(onnx, b.onnx);
  writeFileSync(calibration, JSON.stringify(b.calibration) + '\n');
  return { onnx, calibration, compile: `zkinfer compile ${onnx} --name ${task.name} --calibration ${calibration} --out <artifacts dir>` };
}

/**
 * Check the artifacts directory (hash-checked) fits the task as a validator will, then commit
 * `zkc1:<task>:<circuit id>` for the hotkey. Returns the commitment and its block.
 */
export async function submitCircuit(o: { task: CompetitionTask; dir: string; chain: Chain; netuid: number; hotkey: KeyringPair }): Promise<{ data: string; block: number; circuitId: string; security: string }> {
  const a = await loadArtifacts(o.dir, { need: ['vk'] });
  const problem = submissionProblem(o.task, a.metadata.id, a.metadata, a.vk, true);
  if (problem) throw new SubmissionMismatchError(`${o.dir} cannot be submitted to ${o.task.name}: ${problem}`, `the task takes one input of shape [${o.task.inputShape.join(', ')}] and gives one output of shape [${o.task.outputShape.join(', ')}] (zkinfer competition show ${o.task.name})`);
  const uid = await o.chain.uidOf(o.netuid, o.hotkey.address);
  if (uid === undefined) throw new SubmissionMismatchError(`hotkey ${o.hotkey.address} is not registered on subnet ${o.netuid}`, 'register it first (zkinfer chain register) and serve the circuit with zkinfer miner --circuit DIR');
  const data = formatCommitment({ task: o.task.name, circuitId: a.metadata.id });
  const r = await o.chain.commit(o.hotkey, o.netuid, data);
  return { data, block: r.block, circuitId: a.metadata.id, security: a.metadata.security };
}
