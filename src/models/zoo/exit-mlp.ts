import type { ModelCard } from '../card.js';
import { Rng } from '../random.js';
import { loadPositionsCsv } from '../staking/csv.js';
import { EXIT_HORIZON_DAYS, EXIT_MLP_NAME, exitFeatures, normaliseExitFeatures, trainExitMlp } from '../staking/exit-mlp.js';
import { FEATURE_NAMES, N_FEATURES, Z_CLAMP } from '../staking/features.js';
import { generatePositions } from '../staking/generate.js';
import { cardOr, stakingPositionRequest, tensorInputSchema } from './requests.js';
import type { ZooModel } from './types.js';

const inputShape = [1, N_FEATURES];

export const exitMlp: ZooModel = {
  name: EXIT_MLP_NAME,
  description: `Tabular MLP: probability a staking position exits within ${EXIT_HORIZON_DAYS} days`,
  inputDoc: `${N_FEATURES} z-scored features of one day (${FEATURE_NAMES.join(', ')})`,
  outputDoc: `P(exit within ${EXIT_HORIZON_DAYS} days)`,
  inputShape,
  outputShape: [1, 1],
  inputSchema: tensorInputSchema(inputShape),
  request: stakingPositionRequest(EXIT_MLP_NAME, (p, card) => normaliseExitFeatures(exitFeatures(p), card.normalisation!)),
  describe(output, card) {
    const p = output[0]!;
    return { value: p, summary: `${cardOr(card, EXIT_MLP_NAME).labels?.[1] ?? 'positive'}: probability ${(100 * p).toFixed(1)}%` };
  },
  inputBound: Z_CLAMP,
  acceptsCsv: true,
  sampleInput(seed, card?: ModelCard) {
    const norm = cardOr(card, EXIT_MLP_NAME).normalisation!;
    const { positions } = generatePositions({ count: 1, seed: new Rng(seed).nextU32() });
    return normaliseExitFeatures(exitFeatures(positions[0]!), norm);
  },
  async train(opts) {
    const positions = opts.dataFile === undefined ? undefined : loadPositionsCsv(opts.dataFile);
    return trainExitMlp({
      ...(positions ? { positions, dataLabel: `CSV ${opts.dataFile} (${positions.length} positions)` } : {}),
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
      ...(opts.count === undefined ? {} : { count: opts.count }),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  },
};
