#!/usr/bin/env node
// Builds pkg/ (render_gate.js, render_gate_bg.wasm, render_gate.d.ts) with wasm-pack, shrinks
// the wasm with binaryen's wasm-opt from node_modules, and prints its size.
//
//   node scripts/build.mjs           skip when pkg/ is newer than src/, Cargo.toml, Cargo.lock
//   node scripts/build.mjs --force   always rebuild
//
// wasm-pack's own wasm-opt step is off (--no-opt): it would try to download binaryen.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT, ensureCargoPath, run } from './setup.mjs';

const PKG = join(ROOT, 'pkg');
const WASM = join(PKG, 'render_gate_bg.wasm');
const OUTPUTS = ['render_gate.js', 'render_gate_bg.wasm', 'render_gate.d.ts'].map((f) => join(PKG, f));
// Written last by a build that ran every step: a build that failed half way (say wasm-pack
// done, wasm-opt missing) leaves outputs newer than the sources, which must not pass for
// up to date.
const STAMP = join(PKG, '.build-complete');

// The features of LLVM's `generic` wasm CPU, which rustc (>= 1.87) targets for
// wasm32-unknown-unknown, and which wasm-bindgen's output keeps.
// wasm-opt must accept them all or it rejects the module; it never adds features of its own.
// scripts/minify-imports.mjs enables the same set (FEATURES) in binaryen's module API.
export const WASM_OPT_FLAGS = [
  // Measured on this crate: -Oz alone 71,489 bytes gzipped; merging near-identical functions
  // first 71,079; --converge, -O3, -Os and --gufa gain nothing or lose.
  // --low-memory-unused: Rust's stack sits below its data (at 1 MiB), so addresses under 1,024
  // are never valid; binaryen may then fold small constant offsets into loads and stores.
  // A second round of duplicate elimination and merging catches what the first -Oz exposed.
  '--low-memory-unused',
  '--duplicate-function-elimination',
  '--merge-similar-functions',
  '-Oz',
  '--duplicate-function-elimination',
  '--merge-similar-functions',
  '-Oz',
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
  '--enable-call-indirect-overlong',
  '--strip-debug',
  '--strip-producers',
];

/** The features of WASM_OPT_FLAGS, as binaryen's module API names them. */
export const FEATURES = [
  'BulkMemory',
  'BulkMemoryOpt',
  'NontrappingFPToInt',
  'SignExt',
  'MutableGlobals',
  'ReferenceTypes',
  'Multivalue',
  'CallIndirectOverlong',
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function upToDate() {
  if (![...OUTPUTS, STAMP].every(existsSync)) return false;
  const built = Math.min(...[...OUTPUTS, STAMP].map((f) => statSync(f).mtimeMs));
  const inputs = ['src', 'Cargo.toml', 'Cargo.lock', 'build.rs', 'js/custom-ui.js', 'js/tsconfig.json'].map((p) => newestMtime(join(ROOT, p)));
  return built > Math.max(...inputs);
}

/** V8's explicit compile hint (Chrome 136+), the first line of a script or module: compile
 * every function while the script loads, off the main thread, instead of each on its first
 * call. The glue and batch.js (which carries the same line in src/) run almost whole
 * during the first `new Gate` and `decideAll`. Measured on the first `new Gate` in Chromium
 * (median of 48 fresh copies): 6.41 -> 5.23 ms from compile to built gate, and the module
 * import, fetch included, 0.44 ms longer. */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

function addCompileHint(path) {
  const text = readFileSync(path, 'utf8');
  if (!text.startsWith(COMPILE_HINT)) writeFileSync(path, `${COMPILE_HINT}\n${text}`);
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

export async function build({ force = false } = {}) {
  ensureCargoPath();
  if (!existsSync(join(ROOT, 'Cargo.toml'))) throw new Error('no Cargo.toml: nothing to build');
  if (!force && upToDate()) {
    console.log('build: pkg/ is up to date (use --force to rebuild)');
  } else {
    const t0 = Date.now();
    const bin = (name) => join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
    const wasmOpt = bin('wasm-opt');
    const tsc = bin('tsc');
    // Checked before the long wasm-pack step rather than after it.
    for (const tool of [wasmOpt, tsc]) if (!existsSync(tool)) throw new Error(`${tool} missing: run \`npm run setup\``);
    rmSync(STAMP, { force: true });
    run('wasm-pack', ['build', '--target', 'web', '--release', '--out-dir', 'pkg', '--no-pack', '--no-opt']);
    // Imported only now: it needs binaryen from node_modules, which setup installs.
    const { minifyImports } = await import('./minify-imports.mjs');
    const renamed = minifyImports(WASM, join(PKG, 'render_gate.js'), FEATURES);
    console.log(`build: ${renamed} imports renamed`);
    addCompileHint(join(PKG, 'render_gate.js'));
    const before = statSync(WASM).size;
    run(wasmOpt, [...WASM_OPT_FLAGS, WASM, '-o', WASM]);
    console.log(`build: wasm-opt ${kib(before)} -> ${kib(statSync(WASM).size)}`);
    // A module wasm-opt broke would fail here rather than in the browser.
    if (!WebAssembly.validate(readFileSync(WASM))) throw new Error('pkg/render_gate_bg.wasm does not validate after wasm-opt');
    // wasm-pack writes pkg/.gitignore ("*"), which would also hide pkg/ from `npm pack`;
    // the repository's own .gitignore already keeps pkg/ out of git.
    rmSync(join(PKG, '.gitignore'), { force: true });
    // render-gate/custom-ui is plain JS with JSDoc types; its .d.ts is generated from them.
    run(tsc, ['-p', join(ROOT, 'js', 'tsconfig.json')]);
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
    console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  const bytes = readFileSync(WASM);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`build: pkg/render_gate_bg.wasm ${bytes.length} bytes (${kib(bytes.length)}), gzip -9 ${gz} bytes (${kib(gz)})`);
  return { raw: bytes.length, gzip: gz };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await build({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
