import type { Command } from 'commander';
import { registerCommands } from './commands.js';
import * as program from './program.js';

/** Build the `zkinfer` program with every command group registered. */
export const buildProgram = (): Command => program.buildProgram(registerCommands);

/** CLI entry: run the program and turn typed errors into a readable message and exit code 2. */
export const main = (argv: string[]): Promise<void> => program.main(argv, registerCommands);

/** Process entry (bin/zkinfer.js): run the command, then exit (see program.ts). */
export const runCli = (argv: string[]): Promise<void> => program.runCli(argv, registerCommands);
