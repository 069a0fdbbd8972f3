import type { Command } from 'commander';
import { registerWallet } from './wallet.js';
import { registerQuery } from './query.js';

/** Every command group, one file each under src/cli/. Add a group by adding its register function here. */
const groups: Array<(program: Command) => void> = [registerWallet, registerQuery];

export function registerCommands(program: Command): void {
  for (const register of groups) register(program);
}
