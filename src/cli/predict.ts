import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkOutputFile, writeOutputFile } from '../out-path.js';

/** `zkinfer predict <model> --input FILE [--prove]`: a readable prediction, optionally with a Groth16 proof. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('run a zoo model on one input and print the prediction (e.g. staking duration in days); --prove adds a zk proof')
    .argument('<model>', 'zoo model name (see `zkinfer models`)')
    .requiredOption('--input <file>', 'JSON input: the model\'s request (`zkinfer models --schema NAME`; e.g. models/staking-lstm/example-input.json) or {"input": [...]}')
    .option('--model-dir <dir>', 'trained model folder (model.onnx + model.json); default: the shipped model')
    .option('--prove', 'also compile the circuit (cached) and prove the inference')
    .option('--proof-out <file>', 'where to write the proof JSON (with --prove)', 'proof.json')
    .option('--recipient <address>', 'with --prove: bind the proof to this Ethereum address (who `eth attest` credits); default 0', '0')
    .option('--json', 'print JSON instead of text')
    .action(async (name: string, o: { input: string; modelDir?: string; prove?: boolean; proofOut: string; recipient: string; json?: boolean }) => {
      const [{ readModelCard }, { compileZooModel, compiledDir }, { shippedModelDir }, { encodeRequest, predict, readJsonFile }, { getZooModel }, { parseRecipient }] = await Promise.all([
        import('../models/card.js'), import('../models/compiled.js'), import('../models/paths.js'), import('../models/predict.js'), import('../models/zoo.js'),
        import('../zkml/witness/inputs.js'),
      ]);
      const model = getZooModel(name);
      if (o.prove) checkOutputFile(o.proofOut, 'proof.json');
      // checked before the prediction and the compile (minutes when not cached), not after them
      const recipient = parseRecipient(o.recipient);
      const dir = resolve(o.modelDir ?? shippedModelDir(name));
      const card = readModelCard(dir);
      const input = encodeRequest(model, card, readJsonFile(o.input), o.input);
      const p = await predict(model, dir, input);
      const result: Record<string, unknown> = { model: name, prediction: p.value, summary: p.summary, output: p.output };
      if (!o.json) console.log(p.summary);
      if (o.prove) {
        const { closeDefaultPools, prove, releaseSnarkjsCurve } = await import('../zkml/prove/index.js');
        try {
          const compiled = await compileZooModel(name, {
            modelDir: dir,
            ...(o.modelDir ? { outDir: compiledDir(`${name}-${card.onnx.sha256.slice(0, 12)}`) } : {}),
            onProgress: (stage, done) => { if (!o.json && done === 0) process.stderr.write(`  ${stage}…\n`); },
          });
          const proofFile = await prove(compiled.dir, { input_data: [input] }, { recipient });
          writeOutputFile(o.proofOut, JSON.stringify(proofFile, null, 2) + '\n', 'proof.json');
          const proven = model.describe(proofFile.outputs[0] ?? [], card);
          const md = compiled.metadata;
          result['proof'] = { file: o.proofOut, circuit_id: md.id, security: md.security, constraints: md.constraints, proven: proven.value, timings: proofFile.timings };
          if (!o.json) {
            console.log(`proven (${md.security}, ${md.constraints} constraints, prove ${Math.round(proofFile.timings.proveMs)} ms): ${proven.summary}`);
            console.log(`proof written to ${o.proofOut}; circuit id ${md.id}`);
            console.log(`verify: zkinfer verify ${compiled.dir} ${o.proofOut}   (artifacts in ${compiled.dir})`);
          }
        } finally {
          await closeDefaultPools();
          await releaseSnarkjsCurve(); // the dev setup's snarkjs curve keeps worker threads alive
        }
      }
      if (o.json) console.log(JSON.stringify(result, null, 2));
    });
}
