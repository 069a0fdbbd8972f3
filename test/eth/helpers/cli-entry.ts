/** Runs the zkinfer CLI from this tree (source under tsx, dist when compiled): tests spawn it as a child process. */
import { main } from '../../../src/cli/main.js';

await main(process.argv);
