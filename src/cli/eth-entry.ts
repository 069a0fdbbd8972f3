// Entry of the `zkinfer eth …` bundle (dist/bundle/eth.cjs, bundle.ts; docs/network.md "CLI start-up"): the same
// program, global options and error handling as the whole CLI (main.ts) with only the eth group registered; viem and
// its packages are inside the bundle. bin/zkinfer.js runs it for `zkinfer eth …` through bundle-run.ts.
import { runCli } from './program.js';
import { registerEth } from './eth.js';

export const run = (): Promise<void> => runCli(process.argv, registerEth);
