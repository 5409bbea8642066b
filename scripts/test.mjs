#!/usr/bin/env node
// `npm test` (and CI): every check, in order, stopping at the first failure.
// Ends with a line `N passed, N failed` counting steps (skipped steps are counted apart).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureCargoPath, setup } from './setup.mjs';
import { build } from './build.mjs';

ensureCargoPath();

const CHROMIUM = '/usr/bin/chromium';
const CHROMEDRIVER = '/usr/bin/chromedriver';

function sh(cmd, args, env = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`exited with ${r.signal ? `signal ${r.signal}` : `code ${r.status}`}`);
}

// wasm-bindgen-test-runner adds headless/no-sandbox/disable-dev-shm-usage itself; these keep
// Chromium from dialling out (this machine has no network) and pin the Debian binary.
function webdriverJson() {
  const dir = join(ROOT, 'target');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'webdriver.json');
  const caps = {
    'goog:chromeOptions': {
      binary: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  };
  writeFileSync(file, JSON.stringify(caps, null, 2) + '\n');
  return file;
}

const nodeTests = () => {
  const dir = join(ROOT, 'tests', 'node');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join('tests', 'node', f)) : [];
};

const steps = [
  { name: 'setup', run: () => setup({ browser: true }) },
  { name: 'build (wasm-pack + wasm-opt)', run: () => build() },
  { name: 'cargo test (native)', run: () => sh('cargo', ['test', '--all-targets']) },
  { name: 'cargo clippy (native)', run: () => sh('cargo', ['clippy', '--all-targets', '--', '-D', 'warnings']) },
  {
    name: 'cargo clippy (wasm32: the binding layer)',
    run: () => sh('cargo', ['clippy', '--target', 'wasm32-unknown-unknown', '--all-targets', '--', '-D', 'warnings']),
  },
  {
    name: 'node --test tests/node',
    skip: () => (nodeTests().length ? null : 'no tests/node/*.test.mjs'),
    run: () => sh(process.execPath, ['--test', ...nodeTests()]),
  },
  {
    name: 'tsc --noEmit -p tests/types',
    skip: () => (existsSync(join(ROOT, 'tests', 'types', 'tsconfig.json')) ? null : 'no tests/types/tsconfig.json'),
    run: () => sh(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tests/types']),
  },
  {
    name: 'wasm-pack test --headless --chrome',
    skip: () => (existsSync(join(ROOT, 'tests', 'web.rs')) ? null : 'no tests/web.rs'),
    run: () =>
      sh('wasm-pack', ['test', '--headless', '--chrome', '--chromedriver', CHROMEDRIVER], {
        CHROMEDRIVER,
        WASM_BINDGEN_TEST_WEBDRIVER_JSON: webdriverJson(),
        WASM_BINDGEN_TEST_TIMEOUT: process.env.WASM_BINDGEN_TEST_TIMEOUT || '120',
      }),
  },
  {
    // The playground (www/) and the mount benchmark in headless Chromium, through the Vite
    // dev server each test file starts; screenshots and timings go to test-artifacts/.
    name: 'playwright e2e (tests/e2e)',
    files() {
      const dir = join(ROOT, 'tests', 'e2e');
      return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join('tests', 'e2e', f)) : [];
    },
    skip() {
      return this.files().length ? null : 'no tests/e2e/*.test.mjs';
    },
    run() {
      return sh(process.execPath, ['--test', ...this.files()]);
    },
  },
];

const fmt = (ms) => (ms >= 60000 ? `${Math.floor(ms / 60000)}m${((ms % 60000) / 1000).toFixed(0)}s` : `${(ms / 1000).toFixed(1)}s`);
let passed = 0;
let failed = 0;
let skipped = 0;
const t0 = Date.now();
for (const [i, step] of steps.entries()) {
  const tag = `[${i + 1}/${steps.length}] ${step.name}`;
  const why = step.skip?.();
  if (why) {
    console.log(`\n=== ${tag}: skipped (${why})`);
    skipped++;
    continue;
  }
  console.log(`\n=== ${tag}`);
  const start = Date.now();
  try {
    await step.run();
    passed++;
    console.log(`=== ${tag}: ok (${fmt(Date.now() - start)})`);
  } catch (e) {
    failed++;
    console.error(`=== ${tag}: FAILED after ${fmt(Date.now() - start)}: ${e.message}`);
    break;
  }
}
console.log(`\nnpm test: ${failed ? 'FAILED' : 'ok'} in ${fmt(Date.now() - t0)}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
