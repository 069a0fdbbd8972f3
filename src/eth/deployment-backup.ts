/**
 * `eth deploy` never replaces a deployment file silently (docs/eth.md, "Redeploying"): the vault's
 * balances live at the addresses it records. Without `--force` an existing file stops the command;
 * with it, the old file is kept as `<file>.bak-<time>` first.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { DeploymentError } from './errors.js';

/** Check before deploying; with `force`, back the old file up and return the backup's path. */
export function backupBeforeDeploy(file: string, force: boolean, now: Date = new Date()): string | undefined {
  if (!existsSync(file)) return undefined;
  if (!force) {
    throw new DeploymentError(`${file} already records a deployment (its vault holds the deposits made to it)`, {
      hint: 'pass --out NEW.json to deploy a second stack, or --force to replace it (the old file is kept as a .bak copy)',
    });
  }
  const backup = `${file}.bak-${now.toISOString().replace(/[:.]/g, '-')}`;
  copyFileSync(file, backup);
  return backup;
}
