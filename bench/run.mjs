#!/usr/bin/env node
// `npm run bench`: render-gate side by side with Cedar, CASL and a hand-written evaluator,
// in Node and in headless Chromium, on the workload of bench/workload.mjs. Every contender
// must answer every module exactly as render-gate's decideAll does, or the run fails
// (non-zero exit, first mismatches printed) and bench/RESULTS.md is left as it was.
//
//   node bench/run.mjs                 the full run (N = 100 .. 100,000), writes bench/RESULTS.md
//   node bench/run.mjs --quick         N = 100 and 1,000, fewer samples
//   options: --sizes=100,1000  --only=rg-all,plain  --no-browser  --no-node  --out=FILE
//            --pkg=DIR   measure another build of the package (a copy of its pkg/)
//   (a partial run writes its report to the temp directory, never over bench/RESULTS.md)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTENDERS } from './harness.mjs';
import { report } from './report.mjs';
import { sizes } from './sizes.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
// How long the browser may settle after launch before the first contender runs.
const SETTLE_MS = 3000;
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? true];
  }),
);
const quick = !!args.quick;
const SIZES = args.sizes ? String(args.sizes).split(',').map(Number) : quick ? [100, 1000] : [100, 1000, 10_000, 100_000];
const IDS = args.only ? String(args.only).split(',') : Object.keys(CONTENDERS);
if (!IDS.includes('rg-all')) IDS.unshift('rg-all'); // the reference
// Only a full run replaces bench/RESULTS.md; partial runs go to the temp directory.
const OUT = args.out ?? (quick || args.sizes || args.only || args.pkg ? join(os.tmpdir(), 'render-gate-bench-RESULTS.quick.md') : join(ROOT, 'bench', 'RESULTS.md'));
// The package measured: pkg/, or another build's copy of it (`--pkg=DIR`).
const PKG = args.pkg ? resolve(String(args.pkg)) : join(ROOT, 'pkg');

const OPTS = {
  sizes: SIZES,
  seed: 20260401,
  cold: { 'rg-all': quick ? 5 : 15, cedar: quick ? 2 : 5, casl: quick ? 5 : 15, plain: quick ? 5 : 15 },
  firstPage: 20,
  sampleMs: 25,
  budgetMs: quick ? 400 : 1200,
  warmupMs: quick ? 100 : 250,
  minSamples: quick ? 3 : 7,
  maxSamples: 30,
  slowPageMs: 1000,
  slowBudgetMs: quick ? 3000 : 8000,
  memory: {
    'rg-all': { n: 10_000, decisions: quick ? 100_000 : 1_000_000 },
    'rg-each': { n: 10_000, decisions: quick ? 20_000 : 100_000 },
    cedar: { n: 1_000, decisions: quick ? 2_000 : 10_000 },
  },
};

const log = (m) => process.stderr.write(`${m}\n`);
const t0 = Date.now();

// ---------------------------------------------------------------------------------------
// The built package.

const WASM = join(PKG, 'render_gate_bg.wasm');
if (args.pkg && !existsSync(WASM)) {
  log(`bench: ${WASM} is missing`);
  process.exit(2);
}
if (!existsSync(WASM) || !existsSync(join(PKG, 'render_gate.js'))) {
  log('bench: pkg/ is missing, building it (node scripts/build.mjs)');
  const { build } = await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href);
  await build();
}
const newest = (p) => {
  const st = statSync(p);
  return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((e) => newest(join(p, e)))) : st.mtimeMs;
};

// Snapshot pkg/ (once no file in it has changed for 3 s), so that a rebuild by someone else
// during the run cannot mix two builds: every contender, in Node and in Chromium, loads
// render-gate from the snapshot.
const tmp = mkdtempSync(join(os.tmpdir(), 'rg-bench-'));
const SNAP = join(tmp, 'pkg');
for (let attempt = 0; ; attempt++) {
  const settle = Date.now() + 120_000;
  while (Date.now() - newest(PKG) < 3000 && Date.now() < settle) await new Promise((r) => setTimeout(r, 1000));
  const before = newest(PKG);
  rmSync(SNAP, { recursive: true, force: true });
  cpSync(PKG, SNAP, { recursive: true, preserveTimestamps: true });
  if (newest(PKG) === before || attempt >= 5) break;
  log('bench: pkg/ changed while it was copied, copying again');
}
// One more copy per cold-start sample, so that each sample imports JS the engine has not
// seen (the glue and the snippets it imports by relative URL).
const coldSamples = Math.max(...Object.values(OPTS.cold));
const PRISTINE = join(tmp, 'pkg-pristine');
cpSync(SNAP, PRISTINE, { recursive: true, preserveTimestamps: true });
for (let k = 0; k < coldSamples; k++) cpSync(PRISTINE, join(SNAP, 'cold', String(k)), { recursive: true });
const pkgTime = statSync(join(SNAP, 'render_gate_bg.wasm')).mtime;
const stale = !args.pkg && existsSync(join(ROOT, 'src')) && newest(join(ROOT, 'src')) > pkgTime.getTime();
if (args.pkg) log(`bench: measuring the package in ${PKG}`);
if (stale) log('bench: note: src/ is newer than pkg/; this measures the pkg/ that is built (npm run build to refresh)');

// ---------------------------------------------------------------------------------------
// Node: one fresh process per contender.

const optsFile = join(tmp, 'opts.json');
const refFile = join(tmp, 'reference.json');

function runNode(id, withReference) {
  const opts = { ...OPTS, referenceFile: withReference ? refFile : undefined, pkgBase: pathToFileURL(SNAP + sep).href };
  writeFileSync(optsFile, JSON.stringify(opts));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'node-runner.mjs'), id, optsFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`node runner for ${id} exited with ${code}`));
      const last = out.trim().split('\n').pop();
      resolve(JSON.parse(last));
    });
  });
}

const results = { node: {}, chromium: {} };
let reference = null;
const loadBefore = os.loadavg();

// render-gate decideAll in Node first: its answers are the reference for everyone.
log(`bench: Node ${process.version}, sizes ${SIZES.join(', ')}`);
const ref = await runNode('rg-all', false);
reference = Object.fromEntries(Object.entries(ref.sizes).map(([n, e]) => [n, e.codes]));
for (const e of Object.values(ref.sizes)) delete e.codes;
writeFileSync(refFile, JSON.stringify(reference));
if (!args['no-node']) {
  results.node['rg-all'] = ref;
  for (const id of IDS.filter((x) => x !== 'rg-all')) results.node[id] = await runNode(id, true);
}

// ---------------------------------------------------------------------------------------
// Chromium: a tiny static server on 127.0.0.1 and one fresh page per contender.

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

function importMap() {
  const rel = (spec) => '/' + fileURLToPath(import.meta.resolve(spec)).slice(ROOT.length).split(sep).join('/');
  return {
    imports: Object.fromEntries(
      ['@casl/ability', '@ucast/mongo2js', '@ucast/core', '@ucast/js', '@ucast/mongo', '@cedar-policy/cedar-wasm/web'].map((s) => [s, rel(s)]),
    ),
  };
}

function startServer() {
  const page =
    '<!doctype html><meta charset="utf-8"><title>render-gate bench</title>' +
    `<script type="importmap">${JSON.stringify(importMap())}</script>` +
    '<script type="module" src="/bench/browser.mjs"></script>';
  const server = createServer((req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin', // cross-origin isolated: 5 us timers
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204, headers);
      return res.end();
    }
    if (path === '/bench/browser.html') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      return res.end(page);
    }
    const file = path.startsWith('/pkg-snapshot/') ? normalize(join(SNAP, path.slice('/pkg-snapshot/'.length))) : normalize(join(ROOT, path));
    const allowed = [join(ROOT, 'bench'), join(ROOT, 'node_modules'), SNAP].some((d) => file.startsWith(d + sep));
    if (req.method !== 'GET' || !allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers);
      return res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let chromiumVersion = null;
if (!args['no-browser'] && !existsSync(CHROMIUM)) {
  log(`bench: ${CHROMIUM} is missing: install it (npm run setup -- or apt-get install chromium) or pass --no-browser`);
  process.exit(2);
}
if (!args['no-browser']) {
  const { chromium } = await import('playwright-core');
  const server = await startServer();
  const port = server.address().port;
  const userDataDir = mkdtempSync(join(os.tmpdir(), 'rg-bench-chromium-'));
  log(`bench: Chromium (${CHROMIUM}) on http://127.0.0.1:${port}/bench/browser.html`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--js-flags=--expose-gc',
    ],
  });
  try {
    // The browser's own start-up work runs for a while after launch, on the same 2 cores:
    // the first contender's cold start measured 4.9-6.3 ms when it ran right after launch
    // and 4.4-4.7 ms when it ran second. Every contender gets a settled browser instead.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const id of IDS) {
      const page = await context.newPage();
      page.on('console', (m) => {
        const t = m.text();
        if (t.startsWith('[bench] ')) log(`  [chromium] ${t.slice(8)}`);
        else if (m.type() === 'error' || m.type() === 'warning') log(`  [chromium ${m.type()}] ${t}`);
      });
      page.on('pageerror', (e) => log(`  [chromium pageerror] ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/bench/browser.html`);
      await page.waitForFunction(() => window.__benchReady === true);
      chromiumVersion ??= await page.evaluate(() => navigator.userAgent);
      const { referenceFile, ...opts } = OPTS;
      results.chromium[id] = await page.evaluate(([id, opts]) => window.__bench(id, opts), [id, { ...opts, reference, pkgBase: '/pkg-snapshot/' }]);
      if (!results.chromium[id].crossOriginIsolated) log('  [chromium] note: page is not cross-origin isolated (coarse timers)');
      await page.close();
    }
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await new Promise((r) => server.close(r));
  }
}
// ---------------------------------------------------------------------------------------
// Agreement, sizes, report.

const errors = [];
for (const [env, byId] of Object.entries(results)) {
  for (const r of Object.values(byId)) {
    for (const e of r.errors ?? []) errors.push(`${env}: ${e}`);
    for (const [n, s] of Object.entries(r.sizes)) {
      if (s.mismatches?.count) {
        for (const m of s.mismatches.first) {
          errors.push(`  ${env} ${r.id} N=${n} #${m.index} (${m.page}): expected ${m.expected}, got ${m.got}\n    request ${JSON.stringify(m.request)}`);
        }
      }
    }
  }
}

const chromiumCli = (() => {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
})();
const pkgVersion = (spec) => {
  // The package.json of the package that `spec` (maybe a subpath export) resolves into.
  const name = spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  let dir = fileURLToPath(import.meta.resolve(spec));
  for (let i = 0; i < 10; i++) {
    dir = join(dir, '..');
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      const json = JSON.parse(readFileSync(pj, 'utf8'));
      if (json.name === name) return json.version;
    }
  }
  return '?';
};
const meta = {
  date: new Date().toISOString(),
  cpu: os.cpus()[0]?.model ?? '?',
  cores: os.cpus().length,
  memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
  loadBefore,
  loadAfter: os.loadavg(),
  node: process.version,
  chromium: chromiumCli ?? chromiumVersion,
  userAgent: chromiumVersion,
  packages: {
    'render-gate': JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    '@cedar-policy/cedar-wasm': pkgVersion('@cedar-policy/cedar-wasm/web'),
    '@casl/ability': pkgVersion('@casl/ability'),
    '@ucast/mongo2js': pkgVersion('@ucast/mongo2js'),
    'playwright-core': pkgVersion('playwright-core'),
  },
  pkgBuilt: pkgTime.toISOString(),
  pkgDir: args.pkg ? PKG : null,
  pkgStale: stale,
  git: (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })(),
  opts: OPTS,
  seconds: 0,
};
const sizeRows = await sizes({ pkgDir: SNAP });
rmSync(tmp, { recursive: true, force: true });
meta.seconds = Math.round((Date.now() - t0) / 1000);
const md = report({ meta, results, sizes: sizeRows, reference, errors });
process.stdout.write(`${md}\n`);

if (errors.length) {
  log('\nbench: FAILED: the contenders do not agree with render-gate decideAll:');
  for (const e of errors) log(e);
  log(`bench: ${OUT} left unchanged`);
  process.exit(1);
}
writeFileSync(OUT, md);
log(`bench: wrote ${relative(process.cwd(), OUT) || OUT} in ${meta.seconds} s`);
