#!/usr/bin/env node
// Where a cold start goes, from Chromium's own trace: compiles the wasm fresh (a nonce
// defeats the module cache), instantiates it from a fresh copy of the glue, builds one
// Gate for the bench's Confluence config, and counts what the engine compiled during that
// first `new Gate`: wasm functions compiled lazily (how many, their body bytes, the main
// thread's time in them) and JS functions compiled. Times are inflated by the tracing
// itself: read them as shares, not as the cold start (`npm run bench` measures that).
//
//   node bench/cold-census.mjs                    pkg/, the shipped wasm (functions by index)
//   node bench/cold-census.mjs --pkg=DIR          another build, e.g. the names-kept one that
//                                                 `node bench/profile.mjs` leaves under the temp
//                                                 directory (then functions are named)
//   node bench/cold-census.mjs --top=30           how many of the biggest functions to list
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const PKG = resolve(args.pkg ?? join(ROOT, 'pkg'));
const TOP = Number(args.top ?? 20);
const CHROMIUM = '/usr/bin/chromium';
for (const need of [join(PKG, 'render_gate_bg.wasm'), CHROMIUM]) {
  if (!existsSync(need)) {
    console.error(`cold-census: ${need} is missing (npm run build / npm run setup)`);
    process.exit(1);
  }
}

// A copy of the package the page has never loaded, so that its JS is cold too.
const WORK = mkdtempSync(join(tmpdir(), 'rg-cold-census-'));
cpSync(PKG, join(WORK, 'pkg'), { recursive: true });
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
// Serves the repository (workload, util) and the copy, nothing else.
const roots = [ROOT, WORK].map((r) => resolve(r) + sep);
const page = `<!doctype html><script type="module">
const { makeWorkload } = await import('/repo/bench/workload.mjs');
const { withNonce } = await import('/repo/bench/util.mjs');
const config = makeWorkload({ n: 40, seed: 20260401 }).pages[0].config;
const bytes = withNonce(new Uint8Array(await (await fetch('/work/pkg/render_gate_bg.wasm')).arrayBuffer()), Date.now());
window.coldStart = async () => {
  const glue = await import('/work/pkg/render_gate.js');
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  await glue.default({ module_or_path: module });
  const t2 = performance.now();
  performance.mark('gate-start');
  new glue.Gate(config);
  performance.mark('gate-end');
  return { compile: t1 - t0, instantiate: t2 - t1, build: performance.now() - t2 };
};
window.ready = true;
</script>`;
const server = createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const headers = { 'Cache-Control': 'no-store' };
  if (url === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
    res.end(page);
    return;
  }
  const [, top, ...rest] = url.split('/');
  const file = resolve({ repo: ROOT, work: WORK }[top] ?? '/nonexistent', rest.join('/'));
  if (!roots.some((r) => file.startsWith(r)) || !existsSync(file)) {
    res.writeHead(404, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let events;
let times;
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.ready, null, { timeout: 60_000 });
  await browser.startTracing(tab, {
    categories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'disabled-by-default-v8.compile', 'blink.user_timing'],
  });
  times = await tab.evaluate(() => window.coldStart());
  events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
} finally {
  await browser.close();
  server.close();
  rmSync(WORK, { recursive: true, force: true });
}

// Function names from the wasm's name section, when it has one.
function functionNames(bytes) {
  const names = new Map();
  let p = 8;
  const leb = () => {
    let r = 0;
    let shift = 0;
    let b;
    do {
      b = bytes[p++];
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const end = leb() + p;
    if (id === 0) {
      const len = leb();
      const section = bytes.subarray(p, p + len).toString();
      p += len;
      while (section === 'name' && p < end) {
        const sub = bytes[p++];
        const subEnd = leb() + p;
        for (let n = sub === 1 ? leb() : 0; n > 0; n--) {
          const index = leb();
          const l = leb();
          names.set(index, bytes.subarray(p, p + l).toString().replace(/::h[0-9a-f]{16}$/, ''));
          p += l;
        }
        p = subEnd;
      }
    }
    p = end;
  }
  return names;
}

const mark = (name) => events.find((e) => e.name === name && e.cat.includes('blink.user_timing'))?.ts;
const [from, to] = [mark('gate-start'), mark('gate-end')];
if (from === undefined || to === undefined) throw new Error('cold-census: the trace has no gate-start / gate-end marks');
const during = (e) => e.ph === 'X' && e.ts >= from && e.ts <= to;
const lazy = events.filter((e) => during(e) && e.name === 'wasm.CompileLazy');
const baseline = events.filter((e) => during(e) && e.name === 'wasm.CompileBaseline');
const js = events.filter((e) => during(e) && e.name === 'V8.CompileCode');
const ms = (us) => `${(us / 1000).toFixed(2)} ms`;
const sum = (list, f) => list.reduce((s, e) => s + f(e), 0);
const names = functionNames(readFileSync(join(PKG, 'render_gate_bg.wasm')));

console.log(`cold start of ${PKG} in ${(await import('node:child_process')).execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()} (traced, so slower than untraced):`);
console.log(`  compile ${times.compile.toFixed(2)} ms, instantiate ${times.instantiate.toFixed(2)} ms, first new Gate ${times.build.toFixed(2)} ms`);
console.log('during that first new Gate:');
console.log(`  wasm functions compiled lazily: ${lazy.length}, ${sum(baseline, (e) => e.args.bodySize)} bytes of code,` +
  ` ${ms(sum(lazy, (e) => e.tdur ?? e.dur))} of main-thread time (${ms(sum(baseline, (e) => e.tdur ?? e.dur))} of it in Liftoff itself)`);
console.log(`  JS functions compiled: ${js.length}, ${ms(sum(js, (e) => e.tdur ?? e.dur))}`);
console.log(`the ${Math.min(TOP, baseline.length)} biggest wasm functions compiled then (bytes, name or index):`);
for (const e of [...baseline].sort((a, b) => b.args.bodySize - a.args.bodySize).slice(0, TOP)) {
  console.log(`  ${String(e.args.bodySize).padStart(6)}  ${names.get(e.args.funcIndex) ?? `function ${e.args.funcIndex}`}`);
}
