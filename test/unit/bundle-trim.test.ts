// The zod parts left out of the `zkinfer prove` bundle (src/cli/bundle.ts ZOD_TRIM, docs/network.md "CLI start-up",
// rounds 10–11), on zod's real files: the kept re-exports stay as written, every other export throws naming itself, and a
// file of another shape stops the build.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { classicZodInputs, trimmedModule } from '../../src/cli/bundle.js';

const zodDir = dirname(createRequire(import.meta.url).resolve('zod/package.json'));
const zodFile = (p: string) => join(zodDir, 'v4', p);

test('zod\'s locales index keeps only English; the other languages and z.compile throw when called', async () => {
  const locales = trimmedModule(zodFile('locales/index.js'), readFileSync(zodFile('locales/index.js'), 'utf8'), ['en']);
  assert.match(locales, /^export \{ default as en \} from "\.\/en\.js";$/m);
  assert.match(locales, /^export const de = function/m);
  assert.doesNotMatch(locales, /from "\.\/de\.js"/);
  for (const f of ['core/compile.js']) {
    const text = trimmedModule(zodFile(f), readFileSync(zodFile(f), 'utf8'), []);
    assert.doesNotMatch(text, /import /, `${f}: nothing of the original is left`);
    const mod = await import(`data:text/javascript,${encodeURIComponent(text)}`) as Record<string, () => unknown>;
    const name = 'compile';
    assert.throws(() => mod[name]!(), new RegExp(`^Error: ${name} \\(zod/v4/${f.replace('.', '\\.')}\\) is left out of the zkinfer prove bundle`));
  }
});

test('a file whose exports no longer have the expected shape stops the build', () => {
  assert.throws(() => trimmedModule('x/index.js', 'export * from "./a.js";\n', []), /unexpected export `export \* from/);
  assert.throws(() => trimmedModule('x/index.js', 'export { default as de } from "./de.js";\n', ['en']), /no longer exports en/);
});

test('the build finds classic zod among the bundle\'s inputs (a prove-path module importing `zod`), and zod/mini is not it', () => {
  const rel = (p: string) => join('..', 'node_modules', 'zod', p);
  const mini = ['mini/index.js', 'v4/mini/external.js', 'v4/mini/schemas.js', 'v4/core/index.js', 'v4/locales/en.js'].map(rel);
  assert.deepEqual(classicZodInputs(['src/zod-mini.ts', ...mini]), []);
  assert.deepEqual(classicZodInputs([...mini, rel('index.js'), rel('v4/classic/external.js'), 'src/zkml/format/metadata.ts']), [rel('index.js'), rel('v4/classic/external.js')]);
});
