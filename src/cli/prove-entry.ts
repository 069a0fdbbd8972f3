// Entry of the one-file `zkinfer prove` bundle (docs/network.md "CLI start-up"): the same program, options and error
// handling as the whole CLI (main.ts), with only the prove command registered; it exits as soon as its output is
// flushed (runOneShot). bin/zkinfer.js runs it for `zkinfer prove …` when `npm run build` made it after the last
// tsc (bundle-run.ts); bundle.ts builds it.
import './zod-jitless.js'; // first: before any schema is built
import { runOneShot } from './program.js';
import { registerProve } from './prove.js';

export const run = (): Promise<void> => runOneShot(process.argv, (program) => registerProve(program, { oneShot: true }));
