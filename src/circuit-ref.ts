/**
 * Circuit arguments of the CLI (docs/network.md, "Circuits by name or path"): an artifacts folder path,
 * or the name of a zoo model whose circuit was compiled into the user cache (`zkinfer predict NAME
 * --prove` compiles and caches it), so commands work from any directory.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from './errors/base.js';
import { userCacheDir } from './paths.js';

/** Resolve a circuit argument to an artifacts folder (checked to hold metadata.json). */
export function resolveCircuitDir(ref: string): string {
  const asPath = resolve(ref);
  if (existsSync(join(asPath, 'metadata.json'))) return asPath;
  const looksLikeName = /^[a-z0-9][a-z0-9_-]*$/i.test(ref);
  if (looksLikeName) {
    const cached = userCacheDir('circuits', ref);
    if (existsSync(join(cached, 'metadata.json'))) return cached;
    throw new InvalidInputError(`no compiled circuit named "${ref}" (looked in ${cached} and ./${ref})`, {
      hint: `compile it once with \`zkinfer predict ${ref} --input FILE --prove\` (zoo models) or \`zkinfer compile MODEL.onnx --out DIR\` and pass DIR`,
    });
  }
  throw new InvalidInputError(`${ref} is not a circuit artifacts folder (no metadata.json)`, {
    hint: 'pass the --out folder of `zkinfer compile`, or a zoo model name such as staking-lstm',
  });
}
