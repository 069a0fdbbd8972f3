// Test harness of the API tests: a real ExternalQueue (SQLite), real circuit artifacts (the affine fixture of
// test/fixtures/circuits, compiled and set up once, cached under .cache/), and the API server on 127.0.0.1.
import Database from 'better-sqlite3';
import * as snarkjs from 'snarkjs';
import { createApiServer, type ApiServer } from '../../src/api/server.js';
import type { ApiConfigInput } from '../../src/api/config.js';
import type { CompetitionBoards } from '../../src/competition/boards.js';
import { loadCatalog, type StaticCatalog } from '../../src/api/catalog.js';
import { openInferences } from '../../src/api/open-inferences.js';
import { ApiConfigSchema } from '../../src/api/config.js';
import type { NetworkView, PermitSource } from '../../src/api/service.js';
import { ExternalQueue, type ExternalRecord } from '../../src/validator/external-queue.js';
import { artifactPaths } from '../../src/zkml/artifacts/index.js';
import { decodeReal, encodeReal } from '../../src/zkml/fixed-point.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';

let artifacts: Promise<{ dir: string }> | undefined;
/** The affine fixture's artifacts directory (input x[3], outputs lin and prod), once per process. */
export function affineArtifacts(): Promise<{ dir: string }> {
  artifacts ??= fixtureArtifacts('affine');
  return artifacts;
}

export interface Harness {
  url: string;
  api: ApiServer;
  queue: ExternalQueue;
  catalog: StaticCatalog;
  db: Database.Database;
  close(): Promise<void>;
}

export async function startApi(
  opts: { config?: ApiConfigInput; permits?: PermitSource; network?: NetworkView; dashboardDir?: string; competitions?: CompetitionBoards; circuits?: Parameters<typeof loadCatalog>[0] } = {},
): Promise<Harness> {
  const catalog = await loadCatalog(opts.circuits ?? [{ dir: (await affineArtifacts()).dir, aliases: ['affine'] }]);
  const db = new Database(':memory:');
  const queue = new ExternalQueue(db);
  const inferences = await openInferences(ApiConfigSchema.parse(opts.config ?? {}), { queue, db });
  const api = await createApiServer({
    inferences,
    circuits: catalog,
    ...(opts.permits ? { permits: opts.permits } : {}),
    ...(opts.network ? { network: opts.network } : {}),
    ...(opts.dashboardDir ? { dashboardDir: opts.dashboardDir } : {}),
    ...(opts.competitions ? { competitions: opts.competitions } : {}),
    config: { port: 0, ...opts.config },
  });
  const url = await api.listen();
  return {
    url,
    api,
    queue,
    catalog,
    db,
    async close() {
      await api.close();
      await inferences.close();
      db.close();
    },
  };
}

/**
 * Serve one queued request the way the validator does: prove it with snarkjs on the circuit's own wasm and
 * zkey, verify the proof against the vk with the request's own inputs, decode the outputs, complete it.
 */
export async function proveNext(h: Harness, minerUid = 3): Promise<ExternalRecord | undefined> {
  const rec = h.queue.take();
  if (!rec) return undefined;
  const entry = h.catalog.resolve(rec.circuitId)!;
  const { dir } = await affineArtifacts();
  const paths = artifactPaths(dir);
  const m = entry.metadata;
  const circuitInput = Object.fromEntries(m.inputs.map((t) => [t.signal, rec.inputs[t.name]!.map((v) => encodeReal(v, t.scaleBits))]));
  const t0 = performance.now();
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(circuitInput, paths.wasm, paths.zkey);
  const responseMs = performance.now() - t0;
  if (!(await snarkjs.groth16.verify(await entry.vk(), publicSignals, proof))) throw new Error('fixture proof did not verify');
  const outputs = Object.fromEntries(
    m.publicLayout.outputs.map((o) => {
      const spec = m.outputs.find((t) => t.name === o.name)!;
      return [o.name, publicSignals.slice(o.offset, o.offset + o.length).map((s) => decodeReal(s, spec.scaleBits))];
    }),
  );
  h.queue.complete(rec.id, { proof, publicSignals, outputs, minerUid, minerHotkey: `miner-${minerUid}`, responseMs });
  return h.queue.get(rec.id);
}

/** Keep proving whatever is queued until stopped (the validator's loop, for these tests). */
export function startProving(h: Harness): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const done = await proveNext(h);
      if (!done) await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** snarkjs keeps a bn128 worker pool alive; end it so the test process can exit. */
export async function endSnarkjs(): Promise<void> {
  const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128;
  if (curve) await curve.terminate();
}
