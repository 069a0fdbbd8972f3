// Runs a one-file bundle (dist/bundle/prove.cjs or cli.cjs, bundle.ts) for bin/zkinfer.js with a V8 code cache
// (docs/network.md "CLI start-up"): the first run saves, at exit, the bytecode of every function it compiled;
// later runs start from it instead of parsing and compiling the JavaScript again. Node 20 has no module compile
// cache, so the bundles are CommonJS and compiled here with vm.Script's cachedData.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import { resolveCircuitDir } from '../circuit-ref.js';
import { sha256Hex } from '../zkml/format/circuit-id-node.js';
import { prefetchArtifactHashes } from '../zkml/artifacts/prefetch.js';
import { userCacheDir } from '../paths.js';
import { readBytes, readLatin1 } from '../zkml/artifacts/mapped-read.js';

/** The global (a registered symbol) through which the bundle imports external packages when run from here (bundle.ts). */
export const IMPORT_HOOK = 'zkinfer.bundle.import';

/** What the build puts around the bundle's CommonJS text: Module.wrap's function expression (bundle.ts). */
export const BUNDLE_WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/** The code cache's file name: the bundle's name (prove, cli) and a key. */
const CACHE_FILE = /^(prove|cli)-[0-9a-f]{32}(\.commands)?$/;

/**
 * `<user cache>/v8-code/<bundle name>-<key>` ($ZKINFER_CODE_CACHE=0: none): the key hashes the bundle file's identity (device,
 * inode, size, modification and change times: the build renames a new file into place, so every build is a new
 * key, and any write to the file changes its change time), Node's version, the architecture and Node's flags, so a
 * cache is only offered to the very source it was made from (V8 itself checks only the source length, its version
 * and flags, and refuses a mismatch: then the cache is made again). The identity instead of a hash of the 1 MB text
 * saves a one-shot `zkinfer prove` ≈ 5 ms (docs/network.md "CLI start-up", round 8).
 */
export function codeCachePath(bundlePath: string): string {
  const st = statSync(bundlePath, { bigint: true });
  const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const key = sha256Hex(`${id}\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`);
  return userCacheDir('v8-code', `${basename(bundlePath, '.cjs')}-${key.slice(0, 32)}`);
}

/**
 * The command a run serves, for the list of those whose functions a cache holds (`<cache>.commands`): its leading
 * words (`zkinfer chain metagraph`, `zkinfer prove lstm`), options and paths left out.
 */
export const commandKey = (argv: string[]): string => {
  const words = ['zkinfer'];
  for (const a of argv.slice(2)) {
    if (!/^[a-z][\w-]*$/.test(a) || words.length === 3) break;
    words.push(a);
  }
  return words.join(' ');
};

/**
 * Write the cache for this bundle, with the list of the commands it was made by, and drop those of its earlier
 * builds (each rebuild makes a new key).
 */
function save(path: string, data: Buffer, commands: string[]): void {
  const name = basename(path).replace(/-[0-9a-f]{32}$/, '');
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path); // a concurrent reader never sees half a cache
    writeFileSync(tmp, commands.join('\n') + '\n'); // listed after the cache is in place: a lost race only costs a later save
    renameSync(tmp, `${path}.commands`);
    for (const f of readdirSync(dirname(path))) if (CACHE_FILE.exec(f)?.[1] === name && !f.startsWith(basename(path))) rmSync(join(dirname(path), f), { force: true });
  } catch {
    /* a read-only cache only costs time */
  }
}

function readCommands(cachePath: string): string[] {
  try {
    return readFileSync(`${cachePath}.commands`, 'latin1').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

/** Load the CommonJS bundle at `path` (with its code cache) and run its `run()` export. */
export async function runBundle(path: string): Promise<void> {
  // `zkinfer prove DIR …`: the folder's files are hashed on libuv's pool while the bundle loads (prefetch.ts); any
  // other argument order, or a DIR that is not a circuit, is left to the command, which reports it
  const dir = process.argv[3];
  if (process.argv[2] === 'prove' && dir !== undefined && !dir.startsWith('-')) {
    try { prefetchArtifactHashes(resolveCircuitDir(dir)); } catch { /* the command says why */ }
  }
  // the build makes it pure ASCII (bundle.ts), so latin1 is its exact text and V8 gets a one-byte string without a UTF-8
  // decode; mapped by the addon, V8 reads it from the file's pages (docs/network.md "CLI start-up", round 10)
  const source = readLatin1(path);
  const cachePath = process.env.ZKINFER_CODE_CACHE === '0' ? undefined : codeCachePath(path);
  let cachedData: Buffer | undefined;
  // mapped too where the addon can (save() replaces it by rename)
  try { if (cachePath) cachedData = readBytes(cachePath); } catch { /* first run */ }
  const script = new vm.Script(source, { // already wrapped as a function expression by the build (BUNDLE_WRAPPER)
    filename: path, ...(cachedData ? { cachedData } : {}), importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // made at exit, so that it holds the functions this run compiled (most of what the next run of this command needs):
  // when there is none yet, V8 refused it, or it holds none of this command's own functions (then the new one holds
  // those it had, which this run deserialised, and this command's)
  if (cachePath) {
    const commands = cachedData === undefined || script.cachedDataRejected === true ? [] : readCommands(cachePath);
    const command = commandKey(process.argv);
    if (!commands.includes(command)) process.once('exit', () => save(cachePath, script.createCachedData(), [...commands, command]));
  }
  if (process.env.ZKINFER_CODE_CACHE_DEBUG === '1') console.error(`code cache ${cachePath ?? 'off'}: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used'}`);
  (globalThis as Record<symbol, unknown>)[Symbol.for(IMPORT_HOOK)] = (spec: string) => import(spec); // bundle.ts
  const module = { exports: {} as { run?: () => Promise<void> }, filename: path, id: path, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  if (typeof wrapper !== 'function') throw new Error(`${path} is not a zkinfer bundle (not a wrapped module): rebuild with \`npm run build\``);
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  if (typeof module.exports.run !== 'function') throw new Error(`${path} is not a zkinfer bundle (no run export): rebuild with \`npm run build\``);
  await module.exports.run();
}
