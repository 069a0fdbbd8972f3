// Entry of the one-file CLI bundle (dist/bundle/cli.cjs, bundle.ts; docs/network.md "CLI start-up"): the whole program
// of main.ts, which bin/zkinfer.js runs through bundle-run.ts for every command but `prove`.
import { runCli } from './main.js';

export const run = (): Promise<void> => runCli(process.argv);
