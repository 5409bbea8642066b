#!/usr/bin/env node
// Installs everything render-gate needs to build and test, and nothing that is already there.
//
//   node scripts/setup.mjs             Rust wasm target, wasm-pack, wasm-bindgen-cli, node_modules
//   node scripts/setup.mjs --browser   ... plus Chromium and chromedriver (for wasm-pack test)
//
// Node built-ins only: this runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CARGO_BIN = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');

/** Puts ~/.cargo/bin first on PATH (for this process and every child). Idempotent. */
export function ensureCargoPath() {
  const parts = (process.env.PATH || '').split(delimiter);
  if (!parts.includes(CARGO_BIN)) process.env.PATH = [CARGO_BIN, ...parts].join(delimiter);
}

/** Runs a command, inheriting stdio; throws on failure. */
export function run(cmd, args, opts = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`\`${[cmd, ...args].join(' ')}\` failed (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`})`);
  }
}

/** Runs a command quietly and returns its stdout, or null when it cannot run or fails. */
export function capture(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return r.error || r.status !== 0 ? null : r.stdout;
}

/** The wasm-bindgen version the crate pins (`wasm-bindgen = "=X"`), else the one in Cargo.lock. */
export function pinnedWasmBindgen() {
  const toml = join(ROOT, 'Cargo.toml');
  if (existsSync(toml)) {
    const text = readFileSync(toml, 'utf8');
    const m =
      text.match(/^\s*wasm-bindgen\s*=\s*"=?\s*([0-9][^"]*)"/m) ||
      text.match(/^\s*wasm-bindgen\s*=\s*\{[^}\n]*\bversion\s*=\s*"=?\s*([0-9][^"]*)"/m);
    if (m) return m[1].trim();
  }
  const lock = join(ROOT, 'Cargo.lock');
  if (existsSync(lock)) {
    const m = readFileSync(lock, 'utf8').match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
    if (m) return m[1];
  }
  return null;
}

// `cargo install --locked` can fail when a crate in the tool's own lock file is missing from
// the registry index (wasm-bindgen-cli 0.2.130 locks webpki-roots 1.0.11, which the index
// here lacks); then resolve afresh, which stays semver-compatible.
function cargoInstall(args) {
  try {
    run('cargo', ['install', ...args, '--locked']);
  } catch (e) {
    console.log(`setup: ${e.message}; retrying without --locked`);
    run('cargo', ['install', ...args]);
  }
}

function ensureWasmTarget() {
  const installed = capture('rustup', ['target', 'list', '--installed']);
  if (installed === null) {
    if (!capture('rustc', ['--version'])) throw new Error('Rust is not installed: install rustup (https://rustup.rs) first');
    // rustc without rustup (distro Rust): trust that the target is there; the build will say if not.
    console.log('setup: rustup not found; assuming wasm32-unknown-unknown is available');
    return;
  }
  if (installed.split('\n').map((s) => s.trim()).includes('wasm32-unknown-unknown')) return;
  console.log('setup: installing Rust target wasm32-unknown-unknown');
  run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
}

function ensureClippy() {
  if (capture('cargo', ['clippy', '--version']) !== null) return;
  if (capture('rustup', ['--version']) === null) return;
  console.log('setup: installing clippy');
  run('rustup', ['component', 'add', 'clippy']);
}

function ensureWasmPack() {
  if (capture('wasm-pack', ['--version']) !== null) return;
  console.log('setup: installing wasm-pack (cargo install, a few minutes)');
  cargoInstall(['wasm-pack']);
}

function ensureWasmBindgen() {
  const want = pinnedWasmBindgen();
  if (!want) {
    console.log('setup: no wasm-bindgen pin found in Cargo.toml / Cargo.lock; skipping wasm-bindgen-cli');
    return;
  }
  const have = (capture('wasm-bindgen', ['--version']) || '').trim().split(/\s+/)[1];
  const runner = capture('wasm-bindgen-test-runner', ['--version']) !== null;
  if (have === want && runner) return;
  console.log(`setup: installing wasm-bindgen-cli ${want} (found ${have || 'none'}; cargo install, a few minutes)`);
  cargoInstall(['wasm-bindgen-cli', '--version', want, '--force']);
}

function ensureNodeModules() {
  const lock = join(ROOT, 'package-lock.json');
  const stamp = join(ROOT, 'node_modules', '.package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('setup: installing node_modules (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { shell: process.platform === 'win32' });
}

const CHROMIUM = '/usr/bin/chromium';
const CHROMEDRIVER = '/usr/bin/chromedriver';

function ensureBrowser() {
  if (existsSync(CHROMIUM) && existsSync(CHROMEDRIVER)) return;
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`need ${CHROMIUM} and ${CHROMEDRIVER}; install Chromium and chromedriver by hand on this system`);
  }
  console.log('setup: installing chromium and chromium-driver (apt-get)');
  const root = typeof process.getuid !== 'function' || process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (root ? run('apt-get', args, { env }) : run('sudo', ['-E', 'apt-get', ...args], { env }));
  apt(['update']);
  apt(['install', '-y', 'chromium', 'chromium-driver']);
}

export function setup({ browser = false } = {}) {
  const t0 = Date.now();
  ensureCargoPath();
  ensureWasmTarget();
  ensureClippy();
  ensureWasmPack();
  ensureWasmBindgen();
  ensureNodeModules();
  if (browser) ensureBrowser();
  console.log(`setup: ok (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    setup({ browser: process.argv.includes('--browser') });
  } catch (e) {
    console.error(`setup failed: ${e.message}`);
    process.exit(1);
  }
}
