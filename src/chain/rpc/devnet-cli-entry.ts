/**
 * Process entry running only the `zkinfer devnet …` commands (no other command groups loaded), so a
 * devnet node or a devnet client can be spawned cheaply — e.g. by tests, compiled
 * (`node dist/src/chain/rpc/devnet-cli-entry.js devnet node --fast`) or from source
 * (`node --import tsx src/chain/rpc/devnet-cli-entry.ts devnet metagraph`).
 */
import { Command, CommanderError } from 'commander';
import { ZkinferError } from '../../errors/base.js';
import { registerDevnet } from '../../cli/devnet.js';

const program = new Command('zkinfer').exitOverride();
registerDevnet(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode;
  else if (err instanceof ZkinferError) {
    console.error(`error: ${err.describe()}`);
    process.exitCode = 2;
  } else throw err;
}
