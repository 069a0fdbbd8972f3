/**
 * Process entry running only the `zkinfer devnet …` and `zkinfer chain …` commands (no other command
 * groups loaded), so a devnet node or a chain client can be spawned cheaply — e.g. by tests, compiled
 * (`node dist/src/cli/devnet-entry.js devnet node --fast`) or from source
 * (`node --import tsx src/cli/devnet-entry.ts chain metagraph`).
 */
import { Command, CommanderError } from 'commander';
import { ZkinferError } from '../errors/base.js';
import { registerDevnet } from './devnet.js';
import { registerChain } from './chain.js';

const program = new Command('zkinfer').exitOverride();
registerDevnet(program);
registerChain(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2; // as program.ts
  else if (err instanceof ZkinferError) {
    console.error(`error: ${err.describe()}`);
    process.exitCode = 2;
  } else throw err;
}
