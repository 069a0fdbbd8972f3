import * as fs from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

const require = createRequire(import.meta.url);

/** circom rejected the generated source, or the WASM compiler failed. */
export class CircomError extends ZkinferError {
  override readonly name = 'CircomError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('CIRCOM', message, opts);
  }
}

export interface CircomOutput {
  r1csPath: string;
  wasmPath: string;
  symPath: string;
  /** circom's console output (constraint counts, warnings). */
  log: string;
}

/**
 * Compile a Circom file in-process with the circom2 WASM compiler (-O2: linear constraints are substituted away).
 * Writes `<name>.r1cs`, `<name>.sym` and `<name>_js/<name>.wasm` to `outDir`.
 */
export async function compileCircom(circomPath: string, opts: { outDir: string; includeDirs?: string[]; optimize?: 0 | 1 | 2 }): Promise<CircomOutput> {
  const { CircomRunner, bindings } = require('circom2') as { CircomRunner: new (o: unknown) => { execute(b: Uint8Array): Promise<unknown> }; bindings: Record<string, unknown> };
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const src = resolve(circomPath);
  let log = '';
  const capture = (buf: unknown, ...rest: unknown[]): number => {
    const s = typeof buf === 'string' ? buf : Buffer.from(buf as Uint8Array).subarray((rest[0] as number) ?? 0, ((rest[0] as number) ?? 0) + ((rest[1] as number) ?? (buf as Uint8Array).length)).toString('utf8');
    log += s;
    return typeof buf === 'string' ? Buffer.byteLength(buf) : ((rest[1] as number) ?? (buf as Uint8Array).length);
  };
  const fsProxy = { ...fs, writeSync: (fd: number, buf: unknown, ...rest: unknown[]) => (fd === 1 || fd === 2 ? capture(buf, ...rest) : (fs.writeSync as (...a: unknown[]) => number)(fd, buf, ...rest)) };
  const args = [src, '--r1cs', '--wasm', '--sym', `--O${opts.optimize ?? 2}`, '-o', outDir, ...(opts.includeDirs ?? []).flatMap((d) => ['-l', resolve(d)])];
  let exitCode = 0;
  const runner = new CircomRunner({
    args,
    env: {},
    preopens: { '/': '/' },
    bindings: { ...bindings, fs: fsProxy, exit(code: number) { exitCode = code; throw new ExitSignal(code); } },
  });
  const wasm = await readFile(require.resolve('circom2/circom.wasm'));
  try {
    await runner.execute(wasm);
  } catch (err) {
    if (!(err instanceof ExitSignal) && !(err instanceof Error && /exit/i.test(err.constructor.name))) {
      throw new CircomError(`circom2 crashed compiling ${circomPath}: ${(err as Error).message}`, { cause: err, details: { log } });
    }
  }
  const name = basename(src).replace(/\.circom$/, '');
  const out = { r1csPath: join(outDir, `${name}.r1cs`), wasmPath: join(outDir, `${name}_js`, `${name}.wasm`), symPath: join(outDir, `${name}.sym`), log };
  if (exitCode !== 0 || !fs.existsSync(out.r1csPath) || !fs.existsSync(out.wasmPath)) {
    throw new CircomError(`circom2 failed on ${circomPath} (exit ${exitCode})`, {
      hint: 'this is a zkinfer code-generation bug if the source was generated; the circom log is in details',
      details: { log: log.slice(-4000) },
    });
  }
  return out;
}

class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Write a generated source file and compile it. */
export async function compileCircomSource(source: string, opts: { outDir: string; name: string; includeDirs: string[] }): Promise<CircomOutput> {
  await mkdir(opts.outDir, { recursive: true });
  const p = join(opts.outDir, `${opts.name}.circom`);
  await writeFile(p, source);
  return compileCircom(p, { outDir: opts.outDir, includeDirs: opts.includeDirs });
}
