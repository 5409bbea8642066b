// Dev server for the demo page in www/. The page imports ../pkg/render_gate.js, which lies
// outside Vite's root, hence fs.allow. `npm start` builds pkg/ first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./www', import.meta.url)),
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    fs: { allow: ['..'] },
  },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
});
