import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userCacheDir } from '../../paths.js';
import { VERSION } from '../../version.js';
import { circuitIdOfVk } from './canonical.js';
import { ArtifactsError } from './errors.js';
import { ARTIFACT_FILES, sha256File } from './files.js';
import { CircuitMetadataSchema, type CircuitMetadata } from '../format/metadata.js';
import { checkLayout } from '../format/layout.js';

export { ARTIFACT_FILES, sha256File } from './files.js';
export { canonicalJson, circuitIdOfVk, sha256Hex } from './canonical.js';
export { ArtifactsError } from './errors.js';
export * from '../format/metadata.js';

/** `witness` is the circuit's witness generator: `program` (witness.json) or `wasm` (witness.wasm), whichever it has. */
export type ArtifactFile = 'r1cs' | 'wasm' | 'program' | 'witness' | 'zkey' | 'vk';
const ALL_FILES: readonly ArtifactFile[] = ['r1cs', 'witness', 'zkey', 'vk'];

/** zkey sha256 → circuit id of the vk inside it (exporting the vk reads the zkey's header and IC points). */
const zkeyIds = new Map<string, Promise<string>>();

/**
 * The same verdict across processes: `<user cache>/zkey-vk/<zkey sha256>` holds the circuit id that this
 * process or an earlier one exported from a zkey with exactly those bytes (the sha256 is computed from the
 * file on every load). It lives in the user's own cache, never beside the artifacts, so a copied circuit
 * folder cannot bring its own verdict. Saves a whole-process `zkinfer prove` building snarkjs's curve.
 */
const verdictFile = (zkeySha: string): string => userCacheDir('zkey-vk', zkeySha);
async function readVerdict(zkeySha: string): Promise<string | undefined> {
  let id: string | undefined;
  try { id = readFileSync(verdictFile(zkeySha), 'utf8'); } catch { /* no verdict yet */ }
  return id !== undefined && /^[0-9a-f]{64}$/.test(id) ? id : undefined;
}
async function writeVerdict(zkeySha: string, id: string): Promise<void> {
  await mkdir(dirname(verdictFile(zkeySha)), { recursive: true }).then(() => writeFile(verdictFile(zkeySha), id)).catch(() => undefined); // a read-only cache only costs time
}

/**
 * The proving key must hold the very verification key of vk.json (docs/security.md): a zkey from another
 * compile would make proofs — and a Solidity verifier — for another circuit under this circuit's id.
 */
async function checkZkeyMatchesVk(zkeyPath: string, zkeySha: string, id: string): Promise<void> {
  let p = zkeyIds.get(zkeySha);
  if (!p) {
    p = (async () => {
      const known = await readVerdict(zkeySha);
      if (known) return known;
      const [s, { releaseSnarkjsCurve }] = await Promise.all([import('snarkjs'), import('../prove/curve.js')]);
      // leave snarkjs's shared curve as we found it: built here only for this check, its workers must not keep
      // a short-lived process (a CLI command, a test) alive
      const had = Boolean((globalThis as { curve_bn128?: unknown }).curve_bn128);
      try {
        const zkeyId = circuitIdOfVk(await s.zKey.exportVerificationKey(zkeyPath));
        await writeVerdict(zkeySha, zkeyId);
        return zkeyId;
      } finally {
        if (!had) await releaseSnarkjsCurve();
      }
    })();
    p.catch(() => zkeyIds.delete(zkeySha));
    zkeyIds.set(zkeySha, p);
  }
  let zkeyId: string;
  try {
    zkeyId = await p;
  } catch (cause) {
    throw new ArtifactsError('ARTIFACTS_INVALID', `${zkeyPath} is not a readable Groth16 zkey`, { hint: 're-run `zkinfer compile`', cause });
  }
  if (zkeyId !== id) {
    throw new ArtifactsError('ZKEY_VK_MISMATCH', `${zkeyPath} holds the key of circuit ${zkeyId}, but vk.json and metadata.json say ${id}`, {
      hint: 'the directory mixes files of different compiles; refusing to prove or export a verifier with it — re-run `zkinfer compile`',
    });
  }
}

/** metadata.json must describe the vk: its layout has the vk's public-signal count, and its labels agree. */
function checkMetadataConsistent(md: CircuitMetadata, vk: Record<string, unknown>, path: string): void {
  try {
    checkLayout(md, Number(vk.nPublic));
  } catch (e) {
    throw new ArtifactsError('METADATA_INCONSISTENT', `${path}: ${(e as Error).message}`, { hint: 'metadata.json was edited or belongs to another circuit; re-run `zkinfer compile`', cause: e });
  }
  if (md.security === 'ceremony' && /INSECURE-DEV/.test(md.ptau.source)) {
    throw new ArtifactsError('METADATA_INCONSISTENT', `${path} says security "ceremony" but its powers of tau is a dev one (${md.ptau.source})`, {
      hint: 'the security label was edited; this key is INSECURE-DEV',
    });
  }
}

/** Which witness generator a circuit's metadata records: the direct backend's program, or a circom witness.wasm. */
export const witnessKind = (md: CircuitMetadata): 'program' | 'wasm' => (md.files.program !== undefined ? 'program' : 'wasm');

/** Paths of every file of an artifacts directory. */
export function artifactPaths(dir: string, witness: 'wasm' | 'program' = existsSync(join(dir, ARTIFACT_FILES.program)) ? 'program' : 'wasm'): Record<ArtifactFile | 'metadata', string> {
  return {
    metadata: join(dir, ARTIFACT_FILES.metadata),
    r1cs: join(dir, ARTIFACT_FILES.r1cs),
    wasm: join(dir, ARTIFACT_FILES.wasm),
    program: join(dir, ARTIFACT_FILES.program),
    witness: join(dir, ARTIFACT_FILES[witness]),
    zkey: join(dir, ARTIFACT_FILES.zkey),
    vk: join(dir, ARTIFACT_FILES.vk),
  };
}

/** Everything of metadata.json the caller decides; id, file hashes, version and date are filled in by writeArtifacts. */
export type ArtifactsMetadataInput = Omit<CircuitMetadata, 'id' | 'files' | 'zkinferVersion' | 'createdAt'> &
  Partial<Pick<CircuitMetadata, 'zkinferVersion' | 'createdAt'>>;

/**
 * Write metadata.json for a directory that already holds circuit.r1cs, a witness generator (witness.json or
 * witness.wasm), circuit.zkey and vk.json: hashes every file, sets id = sha256(canonical vk). Returns the metadata written.
 */
export async function writeArtifacts(dir: string, meta: ArtifactsMetadataInput): Promise<CircuitMetadata> {
  const paths = artifactPaths(dir);
  for (const f of ALL_FILES) {
    if (!existsSync(paths[f])) {
      throw new ArtifactsError('ARTIFACTS_MISSING', `cannot write metadata: ${paths[f]} does not exist`, {
        hint: 'run setupCircuit (or `zkinfer compile`) into this directory first',
      });
    }
  }
  const vk = JSON.parse(await readFile(paths.vk, 'utf8')) as unknown;
  const witness = paths.witness === paths.program ? 'program' : 'wasm';
  const files = {
    r1cs: await sha256File(paths.r1cs),
    [witness]: await sha256File(paths.witness),
    zkey: await sha256File(paths.zkey),
    vk: await sha256File(paths.vk),
  };
  const metadata = CircuitMetadataSchema.parse({
    zkinferVersion: VERSION,
    createdAt: new Date().toISOString(),
    ...meta,
    id: circuitIdOfVk(vk),
    files,
  });
  await writeFile(paths.metadata, JSON.stringify(metadata, null, 2) + '\n');
  return metadata;
}

export interface LoadedArtifacts {
  dir: string;
  metadata: CircuitMetadata;
  paths: Record<ArtifactFile | 'metadata', string>;
  /** The parsed verification key (snarkjs JSON). */
  vk: Record<string, unknown>;
}

/** Read and parse metadata.json of an artifacts directory (no file checks). */
export async function readMetadata(dir: string): Promise<CircuitMetadata> {
  return readMetadataFile(dir).metadata;
}

/**
 * metadata.json of an artifacts directory, parsed (no file checks), with the bytes it was parsed from (the native
 * one-shot prove's plan is named by their sha256, src/zkml/prove/native/plan.ts).
 */
export function readMetadataFile(dir: string): { metadata: CircuitMetadata; bytes: Buffer } {
  const path = artifactPaths(dir).metadata;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path); // this and vk.json: small, read synchronously (docs/network.md "CLI start-up", round 10)
  } catch (cause) {
    throw new ArtifactsError('ARTIFACTS_MISSING', `no ${ARTIFACT_FILES.metadata} in ${dir}`, {
      hint: 'pass the directory written by `zkinfer compile`', cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new ArtifactsError('ARTIFACTS_INVALID', `${path} is not valid JSON`, { hint: 're-run `zkinfer compile`', cause });
  }
  const parsed = CircuitMetadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new ArtifactsError('ARTIFACTS_INVALID', `${path} does not match the metadata schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      hint: 're-run `zkinfer compile` with this zkinfer version',
    });
  }
  return { metadata: parsed.data, bytes };
}

/**
 * Load an artifacts directory for use: parse metadata.json with its schema, check the sha256 of every needed
 * file against it, and check id == sha256(canonical vk). Any mismatch is an ArtifactsError; nothing is used
 * before it passes. `need` lists the files the caller will use (a verifier needs only the vk).
 */
export async function loadArtifacts(dir: string, opts: { need?: readonly ArtifactFile[]; metadata?: CircuitMetadata } = {}): Promise<LoadedArtifacts> {
  const need = opts.need ?? ALL_FILES;
  const metadata = opts.metadata ?? (await readMetadata(dir)); // given: what readMetadata(dir) returned to the caller
  const witness = witnessKind(metadata);
  const paths = artifactPaths(dir, witness);
  const files = new Set<Exclude<ArtifactFile, 'witness'>>([...need.map((f) => (f === 'witness' ? witness : f)), 'vk']);
  for (const f of files) {
    if (!existsSync(paths[f])) {
      throw new ArtifactsError('ARTIFACTS_MISSING', `${paths[f]} is missing`, { hint: 're-run `zkinfer compile` or copy the whole artifacts directory' });
    }
  }
  // hashed concurrently (reads of one file overlap the hashing of another); checked in the listed order
  const actual = await Promise.all([...files].map((f) => sha256File(paths[f])));
  [...files].forEach((f, i) => {
    if (actual[i] !== metadata.files[f]) {
      throw new ArtifactsError('ARTIFACT_HASH_MISMATCH', `${paths[f]} has sha256 ${actual[i]}, but metadata.json records ${metadata.files[f]}`, {
        hint: 'the artifacts were modified or mixed from different compiles; refusing to use them — re-run `zkinfer compile`',
        details: { file: f, expected: metadata.files[f], actual: actual[i] },
      });
    }
  });
  let vk: Record<string, unknown>;
  try {
    vk = JSON.parse(readFileSync(paths.vk, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ArtifactsError('ARTIFACTS_INVALID', `${paths.vk} is not valid JSON`, { cause });
  }
  const id = circuitIdOfVk(vk);
  if (id !== metadata.id) {
    throw new ArtifactsError('CIRCUIT_ID_MISMATCH', `circuit id in metadata.json (${metadata.id}) is not sha256 of the canonical vk (${id})`, {
      hint: 'metadata.json was edited or belongs to another key; re-run `zkinfer compile`',
    });
  }
  checkMetadataConsistent(metadata, vk, paths.metadata);
  if (files.has('zkey')) await checkZkeyMatchesVk(paths.zkey, metadata.files.zkey, id);
  return { dir, metadata, paths, vk };
}
