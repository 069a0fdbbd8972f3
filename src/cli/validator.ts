import type { Command } from 'commander';
import { resolveCircuitDir } from '../circuit-ref.js';
import { basename, dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { defaultStatePath } from '../paths.js';
import { InvalidInputError } from '../errors/base.js';
import type { ModelPlugin } from '../models/zoo/types.js';
import type { Leaderboard } from '../competition/leaderboard.js';
import { DEFAULT_AUDIT_MEMORY_MIB, DEFAULT_AUDIT_TIMEOUT_S } from '../competition/audit-process.js';
import { addNeuronOptions, collect, existingFileFlag, openNeuron, roundFlags, type NeuronFlags } from './neuron-common.js';
import { parseIntFlag } from './flag-values.js';
import { handleSignals } from '../lifecycle/signals.js';
import { lockStateFile } from '../lifecycle/lock.js';
import { addApiOptions, startApiFromFlags, type ApiFlags } from '../api/cli-options.js';

/** The seeded generator of the model plugin the circuit was compiled from (metadata name = plugin name; docs/models.md). */
function pluginGenerator(plugin: ModelPlugin | undefined, inputName: string): ((rand: () => number) => Record<string, number[]>) | undefined {
  return plugin ? (rand) => ({ [inputName]: plugin.sampleInput(Math.floor(rand() * 2 ** 31)) }) : undefined;
}

/** `zkinfer validator` — query miners, verify, score, set weights. */
export function registerValidator(program: Command): void {
  addApiOptions(addNeuronOptions(program.command('validator').description('run a validator: query miners, verify proofs against its own inputs, score, set weights'))
    .requiredOption('--circuit <dir[:weight[:timeout_s]]>', 'artifacts directory to benchmark (repeatable)', collect, [])
    .option('--db <file>', 'SQLite state (scores, request log, external requests, dashboard history); default <state dir>/validator/<hotkey ss58>.sqlite')
    .option('--concurrency <n>', 'queries in flight', '4')
    .option('--allow-insecure-dev', 'accept INSECURE-DEV circuits (known-secret keys: proofs can be forged; development networks only)')
    .option('--competition <task>', 'also run this competition: evaluate its submissions, serve the leaderboard (repeatable; docs/competitions.md)', collect, [])
    .option('--competition-every <blocks>', 'blocks between competition evaluations', '25')
    .option('--competition-items <n>', "hidden items per competition evaluation (default: each task's)")
    .option('--competition-share <f>', 'share of the weights that follows competition scores, in [0, 1] (default 0.5 with --competition)')
    .option('--competition-start <block>', "first block of the competition round (default: the task's)")
    .option('--competition-end <block>', 'last block of the round: later commitments are late (default: start + the task\'s length)')
    .option('--competition-max-age <blocks>', 'entries committed, or boards evaluated, longer ago than this count 0 in the weights', '7200')
    .option('--competition-ptau <file>', 'prepared powers of tau to audit ceremony submissions against (docs/competitions.md)')
    .option('--competition-audit-timeout <s>', 'seconds one submission\'s audit may take (recompile + key check, in a process of its own); longer is a rejection', String(DEFAULT_AUDIT_TIMEOUT_S))
    .option('--competition-audit-memory <MiB>', 'memory one submission\'s audit process may use; more is a rejection', String(DEFAULT_AUDIT_MEMORY_MIB))
    .option('--proof-of-weights <dir>', 'the scoring-ema circuit: each weights epoch a miner proves the score update, and the weights set are the proven ones'))
    .action(async (f: NeuronFlags & ApiFlags & { circuit: string[]; db?: string; concurrency: string; allowInsecureDev?: boolean; competition: string[]; competitionEvery: string; competitionItems?: string; competitionShare?: string; competitionStart?: string; competitionEnd?: string; competitionMaxAge: string; competitionPtau?: string; competitionAuditTimeout: string; competitionAuditMemory: string; proofOfWeights?: string }) => {
      const [{ findPlugin }, { loadValidatorCircuit }, { Validator }, { readMetadata }] = await Promise.all([
        import('../models/plugins.js'), import('../validator/circuits.js'), import('../validator/validator.js'), import('../zkml/artifacts/index.js'),
      ]);
      // a signal during the start-up exits at once through the exit handlers, which release the lock (docs/network.md, "Stopping")
      const shutdown = handleSignals();
      const { competitionShare } = await import('../validator/competition-scores.js');
      const share = competitionShare({ tasks: f.competition, raw: f.competitionShare });
      const round = roundFlags(f.competitionStart, f.competitionEnd);
      const { roundTasks, startCompetitions } = await import('../competition/start.js');
      roundTasks(f.competition, round);
      const auditTimeoutS = parseIntFlag(f.competitionAuditTimeout, '--competition-audit-timeout', 1, 86_400);
      const auditMemoryMiB = parseIntFlag(f.competitionAuditMemory, '--competition-audit-memory', 64, 1_048_576);
      const ceremonyPtau = f.competitionPtau === undefined ? undefined : existingFileFlag(f.competitionPtau, '--competition-ptau');
      const competitionItems = f.competitionItems === undefined ? undefined : parseIntFlag(f.competitionItems, '--competition-items', 1, 10_000);
      // DIR[:weight[:timeout_s]], checked before the wallet and the chain: a weight like 1.2.3 was NaN, and a NaN
      // weight made the weighted choice pick the last circuit every time
      const specs = f.circuit.map((spec) => {
        const m = /^(.*?)(?::([\d.]+))?(?::(\d+))?$/.exec(spec)!;
        if (m[2] !== undefined && !/^\d+(\.\d+)?$/.test(m[2])) throw new InvalidInputError(`--circuit ${spec}: the weight must be a number ≥ 0, got "${m[2]}"`, { hint: 'DIR[:weight[:timeout_s]], e.g. staking-lstm:1:60' });
        return { dir: m[1]!, weight: m[2] === undefined ? 1 : Number(m[2]), timeoutS: m[3] ? parseIntFlag(m[3], 'timeout', 1, 300) : 60 };
      });
      const { wallet, chain, netuid } = await openNeuron(f);
      const circuits = [];
      for (const spec of specs) {
        const dir = resolveCircuitDir(spec.dir);
        const meta = await readMetadata(dir);
        const generate = pluginGenerator(findPlugin(meta.name), meta.inputs[0]!.name);
        const c = await loadValidatorCircuit(dir, {
          weight: spec.weight,
          timeoutS: spec.timeoutS,
          ...(generate ? { generate } : {}),
          allowInsecureDev: f.allowInsecureDev === true,
        });
        circuits.push(c);
        const insecure = meta.security === 'INSECURE-DEV' ? ' — INSECURE-DEV (allowed by --allow-insecure-dev: proofs can be forged)' : '';
        console.log(`benchmarking ${meta.name} ${c.id} (weight ${c.weight}, timeout ${c.timeoutS}s, ${generate ? 'model plugin' : 'uniform random'} inputs, security ${meta.security})${insecure}`);
      }
      const hotkey = wallet.hotkeyPair();
      const db = f.db ?? defaultStatePath(['validator', `${hotkey.address}.sqlite`], join(homedir(), '.zkinfer', 'validator.sqlite'));
      // One validator per database (docs/network.md, "One process per data folder"): two would both write scores
      // and weights and take the same external requests.
      const lock = lockStateFile(db, 'validator');
      const pow = f.proofOfWeights ? await loadValidatorCircuit(resolveCircuitDir(f.proofOfWeights), { allowInsecureDev: f.allowInsecureDev === true }) : undefined;
      if (pow) console.log(`proof of weights: ${pow.artifacts.metadata.name} ${pow.id} (security ${pow.artifacts.metadata.security})`);
      let boards: { latest(): Leaderboard[] } | undefined;
      const validator = new Validator({
        hotkey, chain, netuid, dbPath: db, circuits, ...(pow ? { proofOfWeights: { circuit: pow } } : {}),
        ...(share > 0 ? { competition: { share, leaderboards: () => boards?.latest() ?? [], maxAgeBlocks: parseIntFlag(f.competitionMaxAge, '--competition-max-age', 1, 1e9) } } : {}),
        concurrency: parseIntFlag(f.concurrency, '--concurrency', 1, 256), log: (l) => console.error(l),
      });
      // handlers in place before the ready lines, so a stop sent as soon as one is read is a clean one
      const stopped = shutdown.ready();
      validator.on('result', (r) => console.log(`uid ${r.uid} ${r.verified ? 'verified' : `failed (${r.error ?? r.status})`} ${(r.rtS * 1000).toFixed(0)} ms score ${r.score.toFixed(5)}`));
      validator.on('weights', (w) => console.log(`set weights at block ${w.block}: ${w.uids.map((u, i) => `${u}:${w.weights[i]}`).join(' ')}`));
      await validator.start();
      console.log(`validator ${validator.hotkey} on netuid ${netuid}, state in ${db} (Ctrl-C to stop)`);
      // Leaderboards in a folder of this database's own (docs/competitions.md "Leaderboard (API and dashboard)"): validators of other hotkeys
      // share the state folder, and one would reopen the other's ranking as its own after a restart.
      const competitions = startCompetitions({ tasks: f.competition, dir: join(dirname(db), 'competitions', basename(db, '.sqlite')), everyBlocks: parseIntFlag(f.competitionEvery, '--competition-every', 1, 100_000), ...(competitionItems !== undefined ? { count: competitionItems } : {}), hotkey, chain, netuid, allowInsecureDev: f.allowInsecureDev === true,
        window: round, ...(ceremonyPtau !== undefined ? { ceremonyPtau } : {}), auditTimeoutS, auditMemoryMiB });
      boards = competitions?.boards;
      if (competitions) console.log(`competition share of the weights: ${share}${pow && share > 0 ? ' (proof of weights: the competition scores are inputs of each proof)' : ''}`);
      const api = await startApiFromFlags(f, { validator, circuits: pow ? [...circuits, pow] : circuits, chain, netuid, ...(competitions ? { competitions: competitions.boards } : {}) });
      await stopped;
      // The benchmark loop, a running competition evaluation and the API stop together (one Ctrl-C stops all
      // within 10 s): a client holding up the API's close cannot keep the queries in flight from being recorded
      // (docs/network.md, "Stopping"). No API request waits on the validator (SSE streams end on close).
      await Promise.all([competitions?.runner.stop(), api?.close(), validator.stop()]);
      validator.close();
      await chain.close();
      lock.release();
      console.log(`validator stopped; state saved in ${db}`);
    });
}
