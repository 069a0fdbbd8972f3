/** Runs the zkinfer CLI from this tree (source under tsx, dist when compiled): tests spawn it as a child process. */
import { runCli } from '../../../src/cli/main.js';

await runCli(process.argv);
