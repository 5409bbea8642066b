#!/usr/bin/env node
// `npm start`: set up, build pkg/, then serve the demo page in www/ with Vite on 127.0.0.1.
import { join } from 'node:path';
import { ROOT, setup } from './setup.mjs';
import { build } from './build.mjs';

try {
  setup();
  await build({ force: process.argv.includes('--force') });
} catch (e) {
  console.error(`start failed: ${e.message}`);
  process.exit(1);
}

// Imported only now: before setup, node_modules may not exist yet.
const { createServer } = await import('vite');
const server = await createServer({
  configFile: join(ROOT, 'vite.config.js'),
  root: join(ROOT, 'www'),
  logLevel: 'info',
});
await server.listen();
const url = server.resolvedUrls?.local?.[0] ?? `http://127.0.0.1:${server.config.server.port}/`;
console.log(`\n  render-gate demo: ${url}\n  (Ctrl+C to stop)\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
