import type { Command } from 'commander';
import { ZkinferError } from '../errors/base.js';
import { addNetworkOptions, connectFromFlags, type NetworkOptionValues } from './bt-flags.js';
import { validatorUrlFlag } from './flag-values.js';

/** `zkinfer verify-weights --validator URL [--network …]` — exit 0 the weights on chain are the proven ones, 1 not, 2 error. */
export function registerVerifyWeights(program: Command): void {
  addNetworkOptions(program.command('verify-weights')
    .description('check a validator\'s latest proof of weights and that its weights on chain are the proven ones (exit 0 yes, 1 no, 2 error)')
    .requiredOption('--validator <url>', 'the validator\'s API (e.g. http://127.0.0.1:8080)')
    .option('--circuit-id <hex>', 'the scoring-ema circuit id you trust (pins the circuit; else it comes from the validator)')
    .option('--json', 'print the result as JSON'))
    .action(async (f: NetworkOptionValues & { validator: string; circuitId?: string; json?: boolean }) => {
      const [{ verifyWeights }, { releaseSnarkjsCurve }] = await Promise.all([import('../validator/verify-weights.js'), import('../zkml/prove/curve.js')]);
      let chain: Awaited<ReturnType<typeof connectFromFlags>> | undefined;
      try {
        const validatorUrl = validatorUrlFlag(f.validator);
        chain = await connectFromFlags(f);
        const r = await verifyWeights({ validatorUrl, chain, ...(f.circuitId ? { circuitId: f.circuitId } : {}) });
        if (f.json) {
          console.log(JSON.stringify(r));
        } else {
          const rec = r.record;
          console.log(`record ${rec.id}: epoch ${rec.epoch}, block ${rec.block}, validator ${rec.validator_hotkey}, ${rec.chunks.length} chunk proof(s)`);
          console.log(`weights ${rec.weight_uids.map((u, i) => `${u}:${rec.weights[i]}`).join(' ')}`);
          for (const c of r.chunks) console.log(`${c.proof ? 'ok' : 'FAIL'}  chunk ${c.index} (uids ${c.uids.join(',')}) proven by miner ${c.minerUid}`);
          console.log(`${r.checks.proof ? 'ok' : 'FAIL'}  proof verifies with the record's inputs and scores`);
          console.log(`${r.checks.weightsFollowScores ? 'ok' : 'FAIL'}  weights are what the proven scores imply`);
          console.log(`${r.checks.chainMatches ? 'ok' : 'FAIL'}  weights on chain are the record's`);
          for (const p of r.problems) console.log(`problem: ${p}`);
          for (const u of r.unchecked) console.log(`unchecked: ${u}`);
          console.log(r.valid ? 'valid' : 'INVALID');
        }
        process.exitCode = r.valid ? 0 : 1;
      } catch (err) {
        console.error(`error: ${err instanceof ZkinferError ? err.describe() : err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 2;
      } finally {
        await chain?.close();
        await releaseSnarkjsCurve();
      }
    });
}
