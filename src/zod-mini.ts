// zod/mini set up as `import { z } from 'zod'` sets itself up, for the schemas a one-shot `zkinfer prove` builds at
// start (docs/network.md "CLI start-up", round 11): the same core and checks, so the same verdicts, without classic
// zod's schema classes and methods. Classic zod registers its English messages and the containers' cycle-safe
// memoizer when its first schema is built; zod/mini leaves both to its user (messages would read "Invalid input"), so
// this module sets them, only where unset (an explicit `config` wins, as with classic), before any schema that
// imports it is built. Import it as a namespace (`import * as z from '…/zod-mini.js'`): it re-exports by name only
// what these schemas use, so that esbuild leaves zod's other schema kinds out of the prove bundle (src/cli/bundle.ts).
// test/zkml/schema-verdicts.test.ts holds the converted schemas to the verdicts and messages of their classic form.
import { config, memoizer, number, regex, string, int as intFormat, gt, gte } from 'zod/mini';
import { globalConfig } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

if (!globalConfig.localeError) config(en());
if (!globalConfig.memoizer) config({ memoizer: memoizer() });

export {
  array, config, enum, extend, gt, gte, int, literal, looseObject, lte, minLength, number, object, optional, pick, refine,
  regex, string, tuple, unknown,
} from 'zod/mini';
export type { infer } from 'zod/mini';

/** A safe integer (classic `z.number().int()`). */
export const safeInt = () => number().check(intFormat());
/** A safe integer ≥ 0 (classic `z.number().int().min(0)`). */
export const natural = () => number().check(intFormat(), gte(0));
/** A safe integer > 0 (classic `z.number().int().positive()`). */
export const positiveInt = () => number().check(intFormat(), gt(0));
/** A string matching `re` (classic `z.string().regex(re, message)`). */
export const matching = (re: RegExp, message?: string) => string().check(regex(re, message));
