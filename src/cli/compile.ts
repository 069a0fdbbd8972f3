import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { parseDimOptions } from '../zkml/onnx/dims.js';

/** `zkinfer compile MODEL.onnx --out DIR [--ptau FILE] [--calibration FILE] [--precision P] [--scale N] [--output-scale N] [--name NAME] [--dim NAME=N]…` */
export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile an ONNX model to a Groth16 circuit (r1cs, witness program, zkey, vk, metadata.json, circuit.circom for audit)')
    .argument('<model>', 'ONNX model file')
    .requiredOption('--out <dir>', 'artifacts directory')
    .option('--ptau <file>', 'ceremony powers-of-tau file (without it: INSECURE-DEV keys from a known secret)')
    .option('--calibration <file>', 'sample inputs {"input_data": [[...]]}: choose scale and input ranges, measure error')
    .option('--precision <preset>', 'fast | balanced | accurate: constraints vs error (activation tables, weight bits, error goal)', 'balanced')
    .option('--scale <bits>', 'fixed-point fractional bits (default: searched on the calibration samples for the preset, else the preset\'s default)')
    .option('--output-scale <bits>', 'fractional bits of the public outputs (default: their natural scale, no rounding)')
    .option('--name <name>', 'circuit name (default: model file name)')
    .option('--dim <name=n>', 'size of a symbolic dimension such as batch_size (repeatable; default 1)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (model: string, o: { out: string; ptau?: string; calibration?: string; precision: string; scale?: string; outputScale?: string; name?: string; dim: string[] }) => {
      const scale = intOption('--scale', o.scale), outputScale = intOption('--output-scale', o.outputScale);
      const dims = parseDimOptions(o.dim);
      const [{ compile }, { releaseSnarkjsCurve }, { parsePrecision }] = await Promise.all([
        import('../zkml/compile.js'), import('../zkml/prove/curve.js'), import('../zkml/quantize/precision.js'),
      ]);
      const t0 = Date.now();
      const { progressReporter } = await import('../zkml/progress.js');
      const progress = progressReporter();
      // Ctrl-C while the build directory exists removes it and leaves --out as it was (docs/zkml-compile.md "Output directory")
      let cleanup: (() => void) | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        progress.end();
        cleanup?.();
        process.stderr.write(`${signal}: compile interrupted; ${o.out} left as it was\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      const onBuildDir = (c: (() => void) | undefined): void => {
        cleanup = c;
        // installed only while there is something to clean up: a handler defers the signal to the event loop
        if (c) { process.on('SIGINT', onSignal); process.on('SIGTERM', onSignal); } else { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); }
      };
      const res = await compile(model, {
        outDir: o.out,
        ...(scale !== undefined ? { scale } : {}),
        ...(outputScale !== undefined ? { outputScale } : {}),
        precision: parsePrecision(o.precision),
        ...(o.ptau ? { ptau: o.ptau } : {}),
        ...(o.calibration ? { calibration: o.calibration } : {}),
        ...(o.name ? { name: o.name } : {}),
        dims,
        onNote: (msg) => { progress.end(); process.stderr.write(msg.startsWith('warning: ') ? `${msg}\n` : `note: ${msg}\n`); },
        onProgress: progress,
        onBuildDir,
        onEstimate: (e) => { progress.end(); process.stderr.write(`estimate: ${e.constraints} constraints, ${e.publicSignals} public signals → ptau 2^${e.power}\n`); },
      }).finally(() => { progress.end(); return releaseSnarkjsCurve(); });
      const m = res.metadata;
      const w = Math.max(...m.ops.map((r) => r.node.length), 4);
      console.log(`${res.cached ? 'reused cached artifacts' : 'compiled'} ${m.name} → ${res.dir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (m.security === 'INSECURE-DEV') console.log('INSECURE-DEV: keys come from a locally generated powers of tau with a known secret; pass --ptau for real use');
      console.log(`circuit id ${m.id}  (${m.security})`);
      console.log(`constraints ${m.constraints}  precision ${m.precision ?? 'fast'}  input scale ${[...new Set(m.inputs.map((i) => i.scaleBits))].length > 1 ? m.inputs.map((i) => `${i.name} ${i.scaleBits}`).join(', ') : m.inputs[0]?.scaleBits} bits, output scale ${m.outputs[0]?.scaleBits} bits  ptau 2^${m.ptau.power}`);
      console.log('constraints per op:');
      for (const r of m.ops) console.log(`  ${r.node.padEnd(w)}  ${r.op.padEnd(18)} ${String(r.constraints).padStart(8)}`);
      if (res.stageTimes.length) console.log(`stage times: ${res.stageTimes.map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
      if (m.error) {
        console.log(`error vs onnxruntime (${m.error.samples} samples): max ${m.error.maxAbs.toExponential(3)}  mean ${m.error.meanAbs.toExponential(3)}`);
        for (const e of m.error.perOutput ?? []) console.log(`  output "${e.name}": max ${e.maxAbs.toExponential(3)}  mean ${e.meanAbs.toExponential(3)}`);
      }
    });
}

function intOption(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidInputError(`${flag} must be an integer, got "${v}"`);
  return n;
}
