/**
 * `zkinfer competition list|show|baseline|submit|evaluate|leaderboard` (docs/competitions.md). Logic lives in
 * src/competition/; heavy modules are imported inside the actions.
 */
import type { Command } from 'commander';
import { DEFAULT_AUDIT_MEMORY_MIB, DEFAULT_AUDIT_TIMEOUT_S } from '../competition/audit-process.js';
import { addNeuronOptions, existingFileFlag, openNeuron, roundFlags, type NeuronFlags } from './neuron-common.js';
import { parseIntFlag, validatorUrlFlag } from './flag-values.js';

export function registerCompetition(program: Command): void {
  const c = program.command('competition').description('competitions: miners submit their own circuits for a task; validators rank them on hidden data');

  c.command('list').description('the competition tasks').option('--json', 'print JSON').action(async (o: { json?: boolean }) => {
    const { COMPETITION_TASKS } = await import('../competition/tasks.js');
    const { CompetitionBoards } = await import('../competition/boards.js');
    const rows = new CompetitionBoards(COMPETITION_TASKS).summaries();
    if (o.json) console.log(JSON.stringify(rows, null, 2));
    else for (const r of rows) console.log(`${r.name}\t${r.metric}\tdeadline block ${r.deadline_block}\t${r.description}`);
  });

  c.command('show').description("a task's spec: I/O, metric, weights, deadline, baseline").argument('<task>').option('--json', 'print JSON').action(async (name: string, o: { json?: boolean }) => {
    const [{ getCompetitionTask, COMPETITION_TASKS }, { CompetitionBoards }, { taskText }] = await Promise.all([import('../competition/tasks.js'), import('../competition/boards.js'), import('../competition/format.js')]);
    const t = getCompetitionTask(name);
    if (o.json) console.log(JSON.stringify(new CompetitionBoards(COMPETITION_TASKS).summaries().find((s) => s.name === t.name), null, 2));
    else console.log(taskText(t));
  });

  c.command('baseline').description("write a task's baseline model.onnx and calibration.json (compile it with zkinfer compile)").argument('<task>')
    .requiredOption('--out <dir>', 'folder for model.onnx and calibration.json')
    .action(async (name: string, o: { out: string }) => {
      const [{ getCompetitionTask }, { writeBaseline }, { checkOutputDir }] = await Promise.all([import('../competition/tasks.js'), import('../competition/submit.js'), import('../out-path.js')]);
      const task = getCompetitionTask(name);
      checkOutputDir(o.out); // a typed error, never a recursive mkdir under /proc (docs/zkml-compile.md "Output directory")
      const w = writeBaseline(task, o.out);
      console.log(`wrote ${w.onnx} and ${w.calibration}\nnext: ${w.compile}`);
    });

  addNeuronOptions(c.command('submit').description('commit a compiled circuit for a task on chain (serve it with zkinfer miner --circuit DIR)').argument('<task>')
    .requiredOption('--circuit <dir>', 'artifacts directory made by zkinfer compile'))
    .action(async (name: string, f: NeuronFlags & { circuit: string }) => {
      const [{ getCompetitionTask }, { submitCircuit }, { resolveCircuitDir }] = await Promise.all([import('../competition/tasks.js'), import('../competition/submit.js'), import('../circuit-ref.js')]);
      const task = getCompetitionTask(name);
      const { wallet, chain, netuid } = await openNeuron(f);
      try {
        const r = await submitCircuit({ task, dir: resolveCircuitDir(f.circuit), chain, netuid, hotkey: wallet.hotkeyPair() });
        console.log(`committed ${r.data} at block ${r.block} (${r.security}); serve it: zkinfer miner --circuit ${f.circuit} --netuid ${netuid}`);
      } finally {
        await chain.close();
      }
    });

  addNeuronOptions(c.command('evaluate').description("evaluate a task's submissions now, as a validator (downloads, checks, hidden inputs, verifies, ranks)").argument('<task>')
    .option('--count <n>', 'hidden items (default: the task\'s)')
    .option('--seed <n>', 'seed of the hidden set (default: fresh randomness; a fixed seed makes an evaluation reproducible, but miners could learn it)')
    .option('--allow-insecure-dev', 'accept INSECURE-DEV circuits (development networks only)')
    .option('--start <block>', "first block of the round (default: the task's)")
    .option('--end <block>', 'last block of the round (default: start + the task\'s length)')
    .option('--ptau <file>', 'prepared powers of tau to audit ceremony submissions against')
    .option('--audit-timeout <s>', 'seconds one submission\'s audit may take (recompile + key check); longer is a rejection', String(DEFAULT_AUDIT_TIMEOUT_S))
    .option('--audit-memory <MiB>', 'memory one submission\'s audit process may use; more is a rejection', String(DEFAULT_AUDIT_MEMORY_MIB))
    .option('--out <file>', 'also write the leaderboard JSON here')
    .option('--json', 'print JSON'))
    .action(async (name: string, f: NeuronFlags & { count?: string; seed?: string; allowInsecureDev?: boolean; start?: string; end?: string; ptau?: string; auditTimeout: string; auditMemory: string; out?: string; json?: boolean }) => {
      const [{ getCompetitionTask }, { evaluateCompetition }, { Dendrite }, { leaderboardText }, { checkOutputFile, writeOutputFile }, { closeDefaultPools, releaseSnarkjsCurve }] = await Promise.all([
        import('../competition/tasks.js'), import('../competition/evaluate.js'), import('../protocol/dendrite.js'), import('../competition/format.js'), import('../out-path.js'), import('../zkml/prove/index.js'),
      ]);
      if (f.out) checkOutputFile(f.out, 'leaderboard.json');
      const task = getCompetitionTask(name);
      // every flag checked before the wallet and the chain; `--count ""` is refused, not the task's default
      const flags = {
        window: roundFlags(f.start, f.end), ...(f.ptau !== undefined ? { ceremonyPtau: existingFileFlag(f.ptau, '--ptau') } : {}),
        auditTimeoutS: parseIntFlag(f.auditTimeout, '--audit-timeout', 1, 86_400),
        auditMemoryMiB: parseIntFlag(f.auditMemory, '--audit-memory', 64, 1_048_576),
        ...(f.count !== undefined ? { count: parseIntFlag(f.count, '--count', 1, 10_000) } : {}),
        ...(f.seed !== undefined ? { seed: parseIntFlag(f.seed, '--seed', 1, Number.MAX_SAFE_INTEGER) } : {}),
      };
      const { wallet, chain, netuid } = await openNeuron(f);
      const dendrite = new Dendrite(wallet.hotkeyPair());
      try {
        const board = await evaluateCompetition({ task, chain, netuid, dendrite, allowInsecureDev: f.allowInsecureDev === true, log: (l) => console.error(l), ...flags });
        if (f.out) writeOutputFile(f.out, JSON.stringify(board, null, 2) + '\n', 'leaderboard.json');
        console.log(f.json ? JSON.stringify(board, null, 2) : leaderboardText(board));
      } finally {
        dendrite.close();
        await chain.close();
        await closeDefaultPools();
        await releaseSnarkjsCurve();
      }
    });

  c.command('leaderboard').description("a validator's latest leaderboard for a task (its API)").argument('<task>')
    .requiredOption('--validator <url>', 'validator API base URL, e.g. http://127.0.0.1:8600')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { validator: string; json?: boolean }) => {
      const url = validatorUrlFlag(o.validator);
      const [{ ZkinferClient }, { leaderboardText }] = await Promise.all([import('../client/client.js'), import('../competition/format.js')]);
      const board = await new ZkinferClient({ url }).leaderboard(name);
      console.log(o.json ? JSON.stringify(board, null, 2) : leaderboardText(board));
    });
}
