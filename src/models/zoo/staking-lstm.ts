import type { ModelCard } from '../card.js';
import { Rng } from '../random.js';
import { loadPositionsCsv } from '../staking/csv.js';
import { encodePosition, FEATURE_NAMES, N_FEATURES, Z_CLAMP } from '../staking/features.js';
import { generatePositions } from '../staking/generate.js';
import { SEQ_LEN } from '../staking/schema.js';
import { STAKING_MODEL_NAME, trainStakingLstm } from '../staking/train.js';
import { cardOr, describeDuration, stakingPositionRequest, tensorInputSchema } from './requests.js';
import type { ZooModel } from './types.js';

const inputShape = [SEQ_LEN, 1, N_FEATURES];

export const stakingLstm: ZooModel = {
  name: STAKING_MODEL_NAME,
  description: 'LSTM predicting how many days a liquid-staking position stays staked (the network flagship)',
  inputDoc: `${SEQ_LEN} days × ${N_FEATURES} z-scored features (${FEATURE_NAMES.join(', ')})`,
  outputDoc: 'z-scored staking duration (days = y·std + mean, see model.json)',
  inputShape,
  outputShape: [1, 1],
  inputSchema: tensorInputSchema(inputShape),
  request: stakingPositionRequest(STAKING_MODEL_NAME, (p, card) => encodePosition(p, card.normalisation!).flat()),
  describe: (output, card) => describeDuration(output[0]!, cardOr(card, STAKING_MODEL_NAME)),
  inputBound: Z_CLAMP,
  acceptsCsv: true,
  sampleInput(seed: number, card?: ModelCard): number[] {
    // A fresh generated position, normalised with the shipped model's statistics.
    const norm = cardOr(card, STAKING_MODEL_NAME).normalisation!;
    const { positions } = generatePositions({ count: 1, seed: new Rng(seed).nextU32() });
    return encodePosition(positions[0]!, norm).flat();
  },
  async train(opts) {
    const positions = opts.dataFile === undefined ? undefined : loadPositionsCsv(opts.dataFile);
    return trainStakingLstm({
      ...(positions ? { positions, dataLabel: `CSV ${opts.dataFile} (${positions.length} positions)` } : {}),
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
      ...(opts.count === undefined ? {} : { count: opts.count }),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  },
};
