// zod/mini set up as `import { z } from 'zod'` sets itself up, for the schemas a one-shot `zkinfer prove` builds at
// start (docs/network.md "CLI start-up", round 11): the same core and checks, so the same verdicts, without classic
// zod's per-schema methods (≈ 5 ms of module init and ≈ 13 ms of schema construction per process). Classic zod
// registers its English messages and the containers' cycle-safe memoizer when its first schema is built; zod/mini
// leaves both to its user (messages would read "Invalid input"), so this module sets them, only where unset (an
// explicit `z.config` wins, as with classic), before any schema that imports it is built.
// test/zkml/schema-verdicts.test.ts holds the converted schemas to the verdicts and messages of their classic form.
import { z } from 'zod/mini';

if (!z.core.globalConfig.localeError) z.config(z.locales.en());
if (!z.core.globalConfig.memoizer) z.config({ memoizer: z.memoizer() });

/** A safe integer (classic `z.number().int()`). */
export const int = () => z.number().check(z.int());
/** A safe integer ≥ 0 (classic `z.number().int().min(0)`). */
export const natural = () => z.number().check(z.int(), z.gte(0));
/** A safe integer > 0 (classic `z.number().int().positive()`). */
export const positiveInt = () => z.number().check(z.int(), z.gt(0));
/** A string matching `re` (classic `z.string().regex(re, message)`). */
export const matching = (re: RegExp, message?: string) => z.string().check(z.regex(re, message));

export { z };
