// `node dist/src/cli/bundle.js` (run by `npm run build` and `prepare`): bundles the CLI from the TypeScript sources
// into three one-file CommonJS programs that bin/zkinfer.js compiles with a V8 code cache (bundle-run.ts,
// docs/network.md "CLI start-up"):
// - dist/bundle/prove.cjs, the `zkinfer prove` path only, with zod and commander inside and trimmed to what it runs;
// - dist/bundle/cli.cjs, every other command, with zod, commander and @polkadot/* inside (≈ 800 modules otherwise
//   resolved and loaded one by one: 300–450 ms of each command's start);
// - dist/bundle/eth.cjs, `zkinfer eth …` only (the eth group), with viem and its packages inside too (in cli.cjs they
//   would make every other command's start slower: a larger bundle and code cache).
// Every other package stays in node_modules and is loaded with require (one CommonJS instance per package in the
// process). Each module's `import.meta.url` is its compiled file's under dist/src/, so what a module finds beside
// itself (worker entries, templates, the addon, package.json) is what the unbundled CLI finds.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../zkml/prove/native/addon.js';
import type { Plugin } from 'esbuild';
import { BUNDLE_WRAPPER, IMPORT_HOOK } from './bundle-run.js';

/** In the bundles and their runner, `import.meta.url` of src/x/y.ts becomes `__zkinferSourceUrl("src/x/y.js")`: dist/src/x/y.js's URL. */
const SOURCE_URL = 'var __zkinferSourceUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", p)).href';
const SOURCE_URL_PLUGIN = (root: string): Plugin => ({
  name: 'zkinfer-source-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (a) => {
      const rel = relative(root, a.path).split(sep).join('/');
      if (rel.startsWith('..') || !rel.startsWith('src/')) return undefined;
      const text = await readFile(a.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', `__zkinferSourceUrl(${JSON.stringify(rel.replace(/\.ts$/, '.js'))})`), loader: 'ts' };
    });
  },
});

/**
 * commander requires node:child_process (with net, dgram and streams: ≈ 2 ms of Node's own modules) at load, for
 * executable subcommands, which `zkinfer prove` has none of: in the bundle it is required when first used.
 */
const CHILD_PROCESS_REQUIRE = "const childProcess = require('node:child_process');";
const LAZY_CHILD_PROCESS: Plugin = {
  name: 'zkinfer-lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (a) => {
      const text = await readFile(a.path, 'utf8');
      if (!text.includes(CHILD_PROCESS_REQUIRE)) throw new Error(`${a.path} no longer has \`${CHILD_PROCESS_REQUIRE}\`: update LAZY_CHILD_PROCESS in src/cli/bundle.ts`);
      return { contents: text.replace(CHILD_PROCESS_REQUIRE, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

/**
 * Parts of zod that `zkinfer prove` never runs, left out of its bundle (docs/network.md "CLI start-up", rounds 10–11): the
 * error messages of every language but English (z.locales; src/zod-mini.ts imports en.js itself) and z.compile, which
 * zod/mini's namespace re-exports. Each export left out becomes a function that throws, naming itself; the build stops
 * when a file no longer has the shape this expects (a zod update), rather than bundle something else. Classic zod
 * (`from 'zod'`) is not in the bundle at all since round 11: the build stops if it comes back (classicZodInputs).
 */
const ZOD_TRIM: { file: RegExp; keep: string[] }[] = [
  { file: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/, keep: ['en'] },
  { file: /[\\/]zod[\\/]v4[\\/]core[\\/]compile\.js$/, keep: [] },
];
const EXPORT_LINE = /^export (?:\{ default as (\w+) \} from "\.\/[\w-]+\.js";|(?:async )?(?:function\*?|const|let|class) (\w+)\b.*)$/;
/** The module text `path` becomes: its `keep` re-exports as they are, every other export a function that throws. */
export function trimmedModule(path: string, text: string, keep: string[]): string {
  const kept: string[] = [], left: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('export')) continue;
    const m = EXPORT_LINE.exec(line);
    if (!m) throw new Error(`${path}: unexpected export \`${line.slice(0, 80)}\`: update ZOD_TRIM in src/cli/bundle.ts`);
    if (m[1] !== undefined && keep.includes(m[1])) kept.push(line);
    else left.push(m[1] ?? m[2]!);
  }
  if (kept.length !== keep.length) throw new Error(`${path} no longer exports ${keep.join(', ')} as expected: update ZOD_TRIM in src/cli/bundle.ts`);
  const throwing = (n: string) => `export const ${n} = function () { throw new Error(${JSON.stringify(`${n} (${path.replace(/.*node_modules[\\/]/, '')}) is left out of the zkinfer prove bundle: run the unbundled CLI (ZKINFER_NO_BUNDLE=1)`)}); };`;
  return [...kept, ...left.map(throwing)].join('\n') + '\n';
}
const TRIM_ZOD: Plugin = {
  name: 'zkinfer-trim-zod',
  setup(build) {
    for (const { file, keep } of ZOD_TRIM) build.onLoad({ filter: file }, async (a) => ({ contents: trimmedModule(a.path, await readFile(a.path, 'utf8'), keep), loader: 'js' }));
  },
};

/**
 * node:fs/promises loads ≈ 10 of Node's internal modules (fs/dir, watchers, readline, …: ≈ 2.5 ms) when required: in the
 * bundle each of its functions requires it when first called, and the native prove path reads and writes its few
 * small files synchronously, so a one-shot `zkinfer prove` never loads it (docs/network.md "CLI start-up", round 10).
 */
const LAZY_FS_PROMISES: Plugin = {
  name: 'zkinfer-lazy-fs-promises',
  setup(build) {
    build.onResolve({ filter: /^(node:)?fs\/promises$/ }, (a) => (a.namespace === 'zkinfer-lazy' ? { path: 'node:fs/promises', external: true } : { path: 'fs/promises', namespace: 'zkinfer-lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'zkinfer-lazy' }, async () => {
      const lines = Object.entries(await import('node:fs/promises')).filter(([k]) => k !== 'default').map(([k, v]) => {
        if (typeof v === 'function') return `export const ${k} = (...a) => require('node:fs/promises').${k}(...a);`;
        if (k === 'constants') return "export const constants = require('node:fs').constants;";
        throw new Error(`node:fs/promises exports ${k} (${typeof v}): update LAZY_FS_PROMISES in src/cli/bundle.ts`);
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * The bundle's inputs that are classic zod: a module on the prove path that imports `zod` instead of src/zod-mini.ts
 * brings back classic zod's module init and schema classes (≈ 12 ms of main-thread CPU per `zkinfer prove`,
 * docs/network.md "CLI start-up", round 11).
 */
export const classicZodInputs = (inputs: string[]): string[] => inputs.filter((f) => /(^|[\\/])zod[\\/](v4[\\/]classic[\\/]|index\.js$)/.test(f));

const packageName = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** The bundles: which packages each builds in (every other bare import stays in node_modules). */
export type BundleName = 'prove' | 'cli' | 'eth';
// @polkadot/* all or none: its packages refuse to share a process with a second copy of themselves
const inCli = (p: string): boolean => p === 'zod' || p === 'commander' || p.startsWith('@polkadot/');
/** viem and the packages it loads (its dependencies and theirs); `ws` stays in node_modules, as in cli.cjs. */
const VIEM_PACKAGES = /^(viem|ox|abitype|isows|eventemitter3|@noble\/[^/]+|@scure\/[^/]+|@adraffy\/[^/]+)$/;
const BUNDLES: Record<BundleName, { entry: string; bundled: (pkg: string) => boolean }> = {
  prove: { entry: 'prove-entry.ts', bundled: (p) => p === 'zod' || p === 'commander' },
  cli: { entry: 'cli-entry.ts', bundled: inCli },
  eth: { entry: 'eth-entry.ts', bundled: (p) => inCli(p) || VIEM_PACKAGES.test(p) },
};
/** The bundle bin/zkinfer.js runs for a command line (its first argument): keep in step with bin/zkinfer.js. */
export const bundleFor = (first: string | undefined): BundleName => (first === 'prove' ? 'prove' : first === 'eth' ? 'eth' : 'cli');

/**
 * How a bundle imports an external package: the prove bundle with import() (through bundle-run.ts's hook: a function
 * compiled from V8's code cache loses vm.Script's dynamic-import callback on Node 20); the CLI bundle with require,
 * as its static imports do, so that a package is never loaded twice (as CommonJS and as an ES module) in one process.
 * `default` is the module's exports, as import() of a CommonJS module gives.
 */
const REQUIRE_EXTERNAL = 'var __zkinferImport = (s) => new Promise((r) => r(require(s))).then((m) => ({ ...m, default: m }));';
const IMPORT_EXTERNAL: Record<BundleName, string> = {
  prove: `var __zkinferImport = globalThis[Symbol.for(${JSON.stringify(IMPORT_HOOK)})] ?? ((s) => import(s));`,
  cli: REQUIRE_EXTERNAL,
  eth: REQUIRE_EXTERNAL,
};

/** Where bin/zkinfer.js looks for a bundle. */
export const bundlePath = (name: BundleName, root = packageRoot()): string => join(root, 'dist', 'bundle', `${name}.cjs`);
/** The bundles' runner (bundle-run.ts as CommonJS), which bin/zkinfer.js, CommonJS itself, requires. */
export const bundleRunnerPath = (root = packageRoot()): string => join(root, 'dist', 'bundle', 'run.cjs');

/**
 * Whether bin/zkinfer.js runs a bundle: it and its runner exist and are no older than the last tsc run that wrote
 * anything. tsc builds incrementally (tsconfig.json) and re-emits only what changed, so its build-info file
 * (`dist/.tsbuildinfo`, written after every emit) dates it; without one, dist/src/cli/main.js.
 */
export function bundleFresh(name: BundleName, root = packageRoot()): boolean {
  try {
    const info = join(root, 'dist', '.tsbuildinfo');
    const tsc = statSync(existsSync(info) ? info : join(root, 'dist', 'src', 'cli', 'main.js')).mtimeMs;
    return statSync(bundlePath(name, root)).mtimeMs >= tsc && statSync(bundleRunnerPath(root)).mtimeMs >= tsc;
  } catch {
    return false;
  }
}

/**
 * Build the bundles and their runner under dist/bundle/. Returns false (and says why on stderr) when esbuild is not
 * installed: the bundles are optional, bin/zkinfer.js then runs the compiled modules.
 */
export async function buildBundles(names: BundleName[] = ['prove', 'cli', 'eth']): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('note: esbuild is not installed; zkinfer runs unbundled (slower start-up)');
    return false;
  }
  const root = packageRoot();
  const runner = bundleRunnerPath(root);
  await mkdir(dirname(runner), { recursive: true });
  // the runner, CommonJS like bin/zkinfer.js, so that a command never starts Node's ES module loader; written
  // before the bundles, so that a bundle in place always has its runner
  await esbuild.build({
    entryPoints: [join(root, 'src', 'cli', 'bundle-run.ts')], outfile: `${runner}.tmp-${process.pid}`, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning',
    banner: { js: `${SOURCE_URL};` }, plugins: [SOURCE_URL_PLUGIN(root)],
  });
  await rename(`${runner}.tmp-${process.pid}`, runner);
  for (const name of names) await buildBundle(esbuild, root, name);
  return true;
}

async function buildBundle(esbuild: typeof import('esbuild'), root: string, name: BundleName): Promise<void> {
  const { entry, bundled } = BUNDLES[name];
  const outfile = bundlePath(name, root);
  const tmp = `${outfile}.tmp-${process.pid}`; // renamed into place: a running command never reads half a file
  const built = await esbuild.build({
    entryPoints: [join(root, 'src', 'cli', entry)],
    outfile: tmp,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // no comments or layout whitespace (identifiers kept: stack traces keep their names) and only ASCII, which
    // bundle-run.ts reads as latin1: a third less text to read and compile at every start (docs/network.md "CLI start-up")
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'ascii',
    metafile: true,
    banner: { js: `${SOURCE_URL}; ${IMPORT_EXTERNAL[name]}` },
    plugins: [
      ...(name === 'prove' ? [LAZY_FS_PROMISES, TRIM_ZOD] : []),
      { name: 'zkinfer-externals', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (bundled(packageName(a.path)) ? undefined : { path: a.path, external: true })) },
      LAZY_CHILD_PROCESS, SOURCE_URL_PLUGIN(root),
    ],
  });
  const classic = name === 'prove' ? classicZodInputs(Object.keys(built.metafile.inputs)) : [];
  if (classic.length) throw new Error(`the prove bundle pulls in classic zod (${classic.join(', ')}): import schemas from src/zod-mini.ts on the prove path`);
  const text = await readFile(tmp, 'utf8');
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) throw new Error(`the ${name} bundle must be ASCII (bundle-run.ts reads it as latin1), but it has ${JSON.stringify(wide[0])} at offset ${wide.index}`);
  // import("pkg") of an external package goes through __zkinferImport (IMPORT_EXTERNAL); the text is written as the
  // function expression Module.wrap would make of it, which bundle-run.ts compiles as it is (from a mapping of this
  // file where the addon can: no copy, no concatenation to flatten); not runnable by itself
  await writeFile(tmp, `${BUNDLE_WRAPPER[0]}${text.replace(/\bimport\((["'])([^"'./][^"']*)\1\)/g, '__zkinferImport($1$2$1)')}${BUNDLE_WRAPPER[1]}`);
  await rename(tmp, outfile);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBundles();
}
