import type { Chain } from '../chain/types.js';
import type { CompetitionBoards } from '../competition/boards.js';
import type { ValidatorCircuit } from '../validator/circuits.js';
import type { ExternalQueue } from '../validator/external-queue.js';
import type Database from 'better-sqlite3';
import { chainPermits } from './auth/permits.js';
import { entryFromArtifacts, StaticCatalog, type ModelInputAdapter } from './catalog.js';
import { ApiConfigSchema, type ApiConfigInput } from './config.js';
import { openInferences, type ClosableInferences } from './open-inferences.js';
import { createApiServer, type ApiServer } from './server.js';
import { sqliteHistoryStore } from './history-store.js';
import { validatorNetworkView, type ValidatorState } from './validator-view.js';
import { zooModelAdapter } from './zoo-models.js';
import { registerProofOfWeightsRoutes, type PowRecordSource } from './routes/proof-of-weights.js';

export interface ValidatorApiOptions {
  /** The running validator (src/validator/validator.ts): its external queue, SQLite store, scores, metagraph. */
  validator: ValidatorState & {
    readonly external: ExternalQueue;
    readonly store: ValidatorState['store'] & { readonly db: Database.Database };
    /** Proof-of-weights records (served at GET /v1/proof-of-weights). */
    readonly pow?: { readonly records: PowRecordSource } | undefined;
  };
  /** The circuits it serves (the same list it was constructed with). */
  circuits: ValidatorCircuit[];
  chain: Chain;
  netuid: number;
  /** The `api` section of the validator config (port, auth, rate limits, custom queries…). */
  config?: ApiConfigInput;
  /** Input adapters by circuit id (schema of the raw input + transform to tensors) and aliases; default: the zoo's (zoo-models.ts). */
  models?: Record<string, { aliases?: string[]; model?: ModelInputAdapter }>;
  dashboardDir?: string;
  logger?: boolean;
  /** Leaderboards of the competitions the validator runs (docs/competitions.md). */
  competitions?: CompetitionBoards;
}

/**
 * The external API of a running validator (`zkinfer validator --api-port N`): submissions go to its external
 * queue (served ahead of benchmark traffic); the dashboard reads its scores and the chain. Call listen().
 */
export async function createValidatorApi(o: ValidatorApiOptions): Promise<ApiServer & { inferences: ClosableInferences }> {
  const config = ApiConfigSchema.parse(o.config ?? {});
  const inferences = await openInferences(config, { queue: o.validator.external, db: o.validator.store.db }, (l) => console.log(l));
  const catalog = new StaticCatalog(
    o.circuits.map((c) => {
      const given = o.models?.[c.id];
      const model = given?.model ?? zooModelAdapter(c.artifacts.metadata);
      return entryFromArtifacts(c.artifacts, { ...(given?.aliases ? { aliases: given.aliases } : {}), ...(model ? { model } : {}) });
    }),
  );
  const permitNetuid = config.auth.permitNetuid;
  const server = await createApiServer({
    inferences,
    circuits: catalog,
    network: validatorNetworkView(o.validator),
    historyStore: sqliteHistoryStore(o.validator.store.db),
    ...(permitNetuid !== undefined ? { permits: chainPermits(o.chain, permitNetuid) } : {}),
    config,
    ...(o.dashboardDir ? { dashboardDir: o.dashboardDir } : {}),
    ...(o.competitions ? { competitions: o.competitions } : {}),
    ...(o.logger !== undefined ? { logger: o.logger } : {}),
  });
  registerProofOfWeightsRoutes(server.app, o.validator.pow?.records);
  return {
    ...server,
    inferences,
    async close() {
      await server.close();
      await inferences.close();
    },
  };
}
