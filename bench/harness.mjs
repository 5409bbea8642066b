// The measuring loop, shared by Node (bench/node-runner.mjs, one process per contender) and
// headless Chromium (bench/browser.mjs, one page per contender). No Node imports.
//
// For one contender, in a fresh process or page:
//   1. cold start, first (a fresh copy of the code each time, fetch excluded);
//   2. wasm memory before and after many decisions (a fresh instance);
//   3. for each N: build the workload, compile the configs, run the page once and check
//      every answer against the reference (render-gate decideAll's, from Node), warm up,
//      then time samples (one sample = the whole page run `reps` times back to back).
import { makeWorkload } from './workload.mjs';
import { codesOf, mismatches, now, stats } from './util.mjs';

export const CONTENDERS = {
  'rg-all': { name: 'render-gate decideAll', module: './contenders/render-gate.mjs', options: { mode: 'all' } },
  'rg-each': { name: 'render-gate decide (per module)', module: './contenders/render-gate.mjs', options: { mode: 'each' } },
  cedar: { name: 'Cedar (cedar-wasm, preparsed)', module: './contenders/cedar.mjs', options: {} },
  casl: { name: 'CASL (@casl/ability)', module: './contenders/casl.mjs', options: {} },
  plain: { name: 'plain JS (hand-written)', module: './contenders/plain.mjs', options: {} },
};

const gc = () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
};

/**
 * opts: { sizes, seed, reference: {n: codes} | null, cold: count, firstPage: count,
 *         sampleMs, budgetMs, warmupMs, minSamples, maxSamples, slowPageMs, slowBudgetMs,
 *         memory: { [id]: { n, decisions } } | null, log(msg) }
 */
export async function benchContender(id, env, opts) {
  const spec = CONTENDERS[id];
  const mod = await import(spec.module);
  const log = opts.log ?? (() => {});
  const out = { id, name: spec.name, sizes: {}, cold: null, memory: null, errors: [] };

  // 1. Cold start, before anything else touches this contender in this process or page.
  const coldCount = typeof opts.cold === 'number' ? opts.cold : (opts.cold?.[id] ?? 0);
  if (coldCount > 0 && mod.coldStart) {
    const w = makeWorkload({ n: opts.firstPage * 2, seed: opts.seed });
    const page = w.pages[0];
    const samples = [];
    for (let k = 0; k < coldCount; k++) samples.push(await mod.coldStart(env, page.config, page.requests, `${id}-${k}`, k));
    const keys = Object.keys(samples[0]);
    out.cold = {
      firstSample: samples[0],
      median: Object.fromEntries(
        keys.map((key) => [key, samples[0][key] === null ? null : stats(samples.map((s) => s[key])).median]),
      ),
      samples: samples.length,
      config: `${page.config.product}, ${page.config.apps.length} apps`,
      firstPage: page.requests.length,
    };
    log(`${id}: cold start ready ${out.cold.median.ready.toFixed(2)} ms (median of ${samples.length})`);
  }

  const lib = await mod.load(env, spec.options);
  if (mod.version) out.version = mod.version(lib);

  // 2. Wasm memory under load, on a fresh instance.
  if (opts.memory && opts.memory[id] && mod.memoryBytes) {
    const { n, decisions } = opts.memory[id];
    const w = makeWorkload({ n, seed: opts.seed });
    const runners = w.pages.map((p) => mod.prepare(lib, p.config, spec.options));
    const before = mod.memoryBytes(lib);
    const trace = [];
    let done = 0;
    const loops = Math.ceil(decisions / n);
    for (let k = 0; k < loops; k++) {
      for (let i = 0; i < runners.length; i++) runners[i].run(w.pages[i].requests);
      done += n;
      if (k === 0 || k === loops - 1 || (k + 1) % Math.max(1, Math.floor(loops / 10)) === 0) {
        trace.push([done, mod.memoryBytes(lib)]);
      }
    }
    out.memory = { before, afterFirstPage: trace[0][1], after: mod.memoryBytes(lib), decisions: done, pageSize: n, trace };
    log(`${id}: wasm memory ${before} -> ${out.memory.after} bytes after ${done} decisions`);
  }

  // 3. Throughput at each size.
  for (const n of opts.sizes) {
    const w = makeWorkload({ n, seed: opts.seed });
    const runners = w.pages.map((p) => mod.prepare(lib, p.config, spec.options));
    const runPage = () => {
      const results = new Array(runners.length);
      for (let i = 0; i < runners.length; i++) results[i] = runners[i].run(w.pages[i].requests);
      return results;
    };
    gc();
    let t0 = now();
    const first = runPage();
    let pageMs = now() - t0;
    const codes = codesOf(first);
    const entry = { n, firstRunMs: pageMs };
    if (opts.reference && opts.reference[n] !== undefined) {
      const mm = mismatches(opts.reference[n], codes, w.pages);
      entry.mismatches = mm;
      if (mm.count > 0) {
        out.errors.push(`${id} at N=${n}: ${mm.count} decisions differ from render-gate decideAll`);
        out.sizes[n] = entry;
        log(`${id} N=${n}: ${mm.count} MISMATCHES`);
        continue;
      }
    } else {
      entry.codes = codes;
    }
    const perDecision = [];
    const perPage = [];
    const sample = (ms) => {
      perPage.push(ms);
      perDecision.push((ms * 1e6) / n);
    };
    let reps = 1;
    if (pageMs >= opts.slowPageMs) {
      // A page that takes seconds: its first run is a sample (warm-up is a negligible part
      // of it), then more runs while the slow budget lasts.
      sample(pageMs);
      let spent = pageMs;
      while (spent + pageMs < opts.slowBudgetMs) {
        t0 = now();
        runPage();
        const ms = now() - t0;
        sample(ms);
        spent += ms;
      }
    } else {
      // Warm up: at least two more pages and `warmupMs` in all. The page time estimate is
      // the mean of the warm-up runs after the first (timers may be coarse in a browser).
      let warm = 0;
      let runs = 0;
      t0 = now();
      do {
        runPage();
        runs++;
        warm = now() - t0;
      } while (runs < 2 || warm < opts.warmupMs);
      pageMs = Math.max(warm / runs, 0.001);
      reps = Math.max(1, Math.ceil(opts.sampleMs / pageMs));
      const minSamples = n >= 100_000 ? Math.min(opts.minSamples, 3) : opts.minSamples;
      const count = Math.max(minSamples, Math.min(opts.maxSamples, Math.round(opts.budgetMs / (reps * pageMs))));
      gc();
      for (let s = 0; s < count; s++) {
        t0 = now();
        for (let r = 0; r < reps; r++) runPage();
        sample((now() - t0) / reps);
      }
    }
    const count = perPage.length;
    entry.reps = reps;
    entry.samples = count;
    entry.nsPerDecision = stats(perDecision);
    entry.pageMs = stats(perPage);
    out.sizes[n] = entry;
    log(`${id} N=${n}: median ${entry.nsPerDecision.median.toFixed(0)} ns/decision, p95 ${entry.nsPerDecision.p95.toFixed(0)} (${count} samples x ${reps})`);
  }

  if (out.memory && mod.memoryBytes) out.memory.afterAllSizes = mod.memoryBytes(lib);
  return out;
}
