import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The dashboard is built to web/dist (committed, shipped in the npm package) and served at / by the
// validator API. `npm run build:web` rebuilds it; nothing is fetched from a CDN at run time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    sourcemap: false,
  },
});
