// The client SDK (src/client/index.ts) is what the dashboard is built from and what apps bundle for browsers
// (docs/api.md "Client SDK"): its modules must load without Node's globals. Bundled here for the browser with esbuild
// and run in a context that has a browser's globals but no Buffer, process or require, as a page would run it. A
// validator module with Node code at its top level, reached through an import, once stopped the dashboard this way
// ("Buffer is not defined"), which only the browser test caught.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { test } from 'node:test';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../../../src/client/index.ts', import.meta.url));

test('the client SDK loads in a context without Node globals (Buffer, process, require)', async () => {
  const out = await build({
    entryPoints: [entry], bundle: true, write: false, format: 'iife', globalName: 'zkinferClient', platform: 'browser',
    target: 'es2022', logLevel: 'silent', external: ['snarkjs'], // loaded on first verify, as the dashboard does
  });
  const code = out.outputFiles[0]!.text;
  const browser = {
    console, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, AbortSignal, crypto, fetch, Headers, Request, Response,
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, structuredClone, atob, btoa, Blob, ReadableStream,
  };
  const context = vm.createContext({ ...browser });
  vm.runInContext(`globalThis.self = globalThis; globalThis.window = globalThis;\n${code}`, context, { filename: 'client-sdk.js' });
  const sdk = (context as { zkinferClient?: Record<string, unknown> }).zkinferClient;
  assert.equal(typeof sdk?.['ZkinferClient'], 'function', 'the SDK exports its client');
  for (const name of ['Buffer', 'process', 'require']) assert.equal(name in context, false, `${name} leaked into the page's context`);
});
