// Imported first by the one-shot prove bundle (prove-entry.ts): zod parses without compiling a fast path per object
// schema with `new Function` (docs/network.md "CLI start-up", round 8). A process that parses each schema once or
// twice only pays for that compilation; the checks are the same. Must run before any schema is built.
import * as z from '../zod-mini.js';

z.config({ jitless: true });
