#!/usr/bin/env node
// The one `zkinfer` command. The TypeScript sources are compiled to dist/ by `npm ci` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('zkinfer is not built yet: run `npm ci` (or `npm run build`) in the zkinfer folder first.');
  process.exit(2);
}
const { runCli } = await import(entry.href);
await runCli(process.argv);
