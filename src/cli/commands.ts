import type { Command } from 'commander';
import { registerEth } from './eth.js';
import { registerWallet } from './wallet.js';
import { registerMiner } from './miner.js';
import { registerValidator } from './validator.js';
import { registerProverWorker } from './prover-worker.js';
import { registerDevnetUp } from './devnet-up.js';
import { registerQuery } from './query.js';
import { registerTrain } from './train.js';
import { registerModels } from './models.js';
import { registerPredict } from './predict.js';
import { registerCompile } from './compile.js';
import { registerProve } from './prove.js';
import { registerVerify } from './verify.js';
import { registerVerifyWeights } from './verify-weights.js';
import { registerExportVerifier } from './export-verifier.js';
import { registerDevnet } from './devnet.js';
import { registerChain } from './chain.js';
import { registerCompetition } from './competition.js';

/** Every command group, one file each under src/cli/. Add a group by adding its register function here. */
const groups: Array<(program: Command) => void> = [registerEth, registerWallet, registerQuery, registerTrain, registerModels, registerPredict, registerCompile, registerProve, registerVerify, registerVerifyWeights, registerExportVerifier, registerDevnet, registerChain, registerDevnetUp, registerMiner, registerProverWorker, registerValidator, registerCompetition];

export function registerCommands(program: Command): void {
  for (const register of groups) register(program);
}
