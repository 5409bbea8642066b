// Shared by the end-to-end tests: the Vite dev server (as `npm start` runs it, on a free
// port) and headless Chromium through playwright-core.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts the dev server on 127.0.0.1 and a free port. Every request that reaches it is
 * recorded in `requests` (path and query), before Vite handles it.
 */
export async function startServer() {
  const requests = [];
  const server = await createServer({
    configFile: join(ROOT, 'vite.config.js'),
    root: join(ROOT, 'www'),
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    plugins: [
      {
        name: 'record-requests',
        configureServer(s) {
          s.middlewares.use((req, _res, next) => {
            requests.push(req.url);
            next();
          });
        },
      },
    ],
  });
  await server.listen();
  const { port } = server.httpServer.address();
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => server.close() };
}

/** Headless Chromium with a fresh profile (Playwright wants it as a persistent context). */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'render-gate-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function artifactsDir() {
  await mkdir(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

/** Collects page errors and console errors so that a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}
