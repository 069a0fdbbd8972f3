/** The validator's external API (`import { createValidatorApi } from 'zkinfer/api'`). */
export { createApiServer, type ApiServer, type ApiServerDeps } from './server.js';
export { createValidatorApi, type ValidatorApiOptions } from './validator-api.js';
export { addApiOptions, apiConfigFromFlags, startApiFromFlags, type ApiFlags } from './cli-options.js';
export { ApiConfigSchema, CustomQuerySchema, type ApiConfig, type ApiConfigInput, type CustomQuery } from './config.js';
export { loadCatalog, entryFromArtifacts, StaticCatalog, type ModelInputAdapter } from './catalog.js';
export { QueueInferenceService } from './queue-service.js';
export { validatorNetworkView, type ValidatorState } from './validator-view.js';
export { zooModelAdapter } from './zoo-models.js';
export { chainPermits } from './auth/permits.js';
export type { InferenceService, CircuitCatalog, CircuitEntry, NetworkView, PermitSource, InferenceRecord } from './service.js';
export * from './errors.js';
