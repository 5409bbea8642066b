// Turns the measurements of bench/run.mjs into Markdown (bench/RESULTS.md).
import { CONTENDERS } from './harness.mjs';
import { REASONS } from './model.mjs';

const ORDER = ['rg-all', 'rg-each', 'cedar', 'casl', 'plain'];
const ENVS = [
  ['node', 'Node'],
  ['chromium', 'Chromium'],
];

const int = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const ms = (x) => (x === undefined || x === null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const ratio = (x) => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x >= 100 ? `${Math.round(x)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const nLabel = (n) => `N=${Number(n).toLocaleString('en-US')}`;

/** `align`: one letter per column, `l` or `r`; default: first column left, the rest right. */
function table(head, rows, align = null) {
  const a = (i) => (align ? align[i] : i === 0 ? 'l' : 'r');
  const out = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (a(i) === 'r' ? '---:' : '---')).join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

export function report({ meta, results, sizes, reference, errors }) {
  const sizesN = meta.opts.sizes;
  const ids = ORDER.filter((id) => Object.values(results).some((byId) => byId[id]));
  const envs = ENVS.filter(([e]) => Object.keys(results[e] ?? {}).length);
  const med = (env, id, n) => results[env]?.[id]?.sizes?.[n]?.nsPerDecision?.median;
  const L = [];
  const p = (...xs) => L.push(...xs);

  p('# render-gate benchmark results', '');
  p(
    `Written by \`npm run bench\` (bench/run.mjs) on ${meta.date.slice(0, 10)} at ${meta.date.slice(11, 19)} UTC, ` +
      `in ${meta.seconds} s. ` +
      (errors.length
        ? `**${errors.length} disagreement(s) with render-gate: see the console output.**`
        : 'Every contender answered every module of every page (outcome *and* reason) exactly as ' +
          `render-gate's \`decideAll\` did, in ${envs.map(([, l]) => l).join(' and ')}.`),
    '',
    'What is measured and how: bench/README.md. Lower is better everywhere.',
    '',
  );

  p('## Machine and versions', '');
  const la = (x) => x.map((v) => v.toFixed(2)).join(' / ');
  p(
    table(
      ['what', 'value'],
      [
        ['CPU (os.cpus())', `${meta.cpu}, ${meta.cores} cores, ${meta.memGiB} GiB`],
        ['load average 1/5/15 min', `before ${la(meta.loadBefore)}, after ${la(meta.loadAfter)} (a shared 2-core machine: other engineers' builds ran alongside)`],
        ['Node', meta.node],
        ['Chromium', `${meta.chromium ?? '–'} (headless, through playwright-core ${meta.packages['playwright-core']})`],
        ['render-gate', `${meta.packages['render-gate']}, ${meta.pkgDir ? `the build in ${meta.pkgDir}` : `git ${meta.git}, pkg/`} built ${meta.pkgBuilt.replace('T', ' ').slice(0, 19)} UTC${meta.pkgStale ? ' (src/ was newer)' : ''}`],
        ['Cedar', `@cedar-policy/cedar-wasm ${meta.packages['@cedar-policy/cedar-wasm']}`],
        ['CASL', `@casl/ability ${meta.packages['@casl/ability']}, @ucast/mongo2js ${meta.packages['@ucast/mongo2js']}`],
      ],
      'll',
    ),
    '',
  );

  // Targets.
  const wasm = sizes.find((s) => s.id === 'rg')?.parts[0];
  const tg = [];
  const cr = (id, n) => med('chromium', id, n);
  const target = (what, value, holds) => tg.push([what, value, holds === null ? '–' : holds ? '**yes**' : '**no**']);
  if (cr('rg-all', 10_000) && cr('cedar', 10_000)) {
    const r = cr('cedar', 10_000) / cr('rg-all', 10_000);
    const nr = med('node', 'cedar', 10_000) / med('node', 'rg-all', 10_000);
    target(
      'decideAll at N=10,000 in Chromium ≥ 100× faster per decision than Cedar',
      `Cedar ${int(cr('cedar', 10_000))} ns vs decideAll ${int(cr('rg-all', 10_000))} ns: ${ratio(r)}` + (Number.isFinite(nr) ? ` (Node: ${ratio(nr)})` : ''),
      r >= 100,
    );
  }
  if (cr('rg-all', 10_000) && cr('plain', 10_000)) {
    const r = cr('rg-all', 10_000) / cr('plain', 10_000);
    const nr = med('node', 'rg-all', 10_000) / med('node', 'plain', 10_000);
    target(
      'decideAll at N=10,000 in Chromium within 3× of the hand-written JS',
      `decideAll ${int(cr('rg-all', 10_000))} ns vs plain JS ${int(cr('plain', 10_000))} ns: ${ratio(r)}` + (Number.isFinite(nr) ? ` (Node: ${ratio(nr)})` : ''),
      r <= 3,
    );
  }
  if (wasm) target('gzipped wasm under ~70 KB (70,000 bytes)', `${int(wasm.gzip)} bytes (${kib(wasm.gzip)})`, wasm.gzip < 70_000);
  for (const [env, label] of envs) {
    const c = results[env]['rg-all']?.cold;
    if (c) target(`cold start < 5 ms in ${label} (median: WebAssembly.compile + instantiate + new Gate)`, `${ms(c.median.ready)} ms (first sample ${ms(c.firstSample.ready)} ms)`, c.median.ready < 5);
  }
  p('## Targets', '', table(['target', 'measured', 'holds'], tg, 'lll'), '');

  // Per-decision times.
  p('## Time per decision', '', 'ns per decision, median / p95 over samples (one sample = the whole page, repeated to last ≥ 25 ms; `p95` is over those samples, not over single decisions).', '');
  for (const [env, label] of envs) {
    const rows = ids
      .filter((id) => results[env][id])
      .map((id) => [
        CONTENDERS[id].name,
        ...sizesN.map((n) => {
          const s = results[env][id].sizes[n]?.nsPerDecision;
          return s ? `${int(s.median)} / ${int(s.p95)}` : '–';
        }),
      ]);
    p(`### ${label}`, '', table(['contender', ...sizesN.map(nLabel)], rows), '');
  }

  // Ratios.
  p('## Ratio against render-gate decideAll', '', 'Median ns per decision of the contender ÷ that of `decideAll` at the same N and in the same engine (above 1× = slower than decideAll, below = faster).', '');
  const head = ['contender'];
  for (const [, label] of envs) for (const n of sizesN) head.push(`${label} ${nLabel(n)}`);
  const rrows = ids
    .filter((id) => id !== 'rg-all')
    .map((id) => {
      const row = [CONTENDERS[id].name];
      for (const [env] of envs) for (const n of sizesN) row.push(ratio(med(env, id, n) / med(env, 'rg-all', n)));
      return row;
    });
  p(table(head, rrows), '');

  // Page times.
  p('## Page time', '', 'Milliseconds to decide the whole page of N module instances (both products), median.', '');
  const prows = ids.map((id) => {
    const row = [CONTENDERS[id].name];
    for (const [env] of envs) for (const n of sizesN) row.push(ms(results[env][id]?.sizes[n]?.pageMs?.median));
    return row;
  });
  p(table(head, prows), '');
  const srows = ids.map((id) => {
    const row = [CONTENDERS[id].name];
    for (const [env] of envs) {
      for (const n of sizesN) {
        const s = results[env][id]?.sizes[n];
        row.push(s?.samples ? `${s.samples}×${s.reps}` : '–');
      }
    }
    return row;
  });
  p('Samples × page runs per sample:', '', table(head, srows), '');

  // Cold start.
  p(
    '## Cold start',
    '',
    'Milliseconds, fetch excluded, fresh wasm bytes each time (a nonce custom section defeats compiled-module caches). ' +
      'render-gate: every sample loads its own copy of the package, so its JS (glue and batch.js) is new code too; Cedar: a new copy of its glue; ' +
      'CASL, plain JS and the Cedar adapter compile their rules with code already loaded after the first sample (the "1st sample" column is fully cold). ' +
      '`ready` = WebAssembly.compile + instantiate + build (`new Gate(config)`, Cedar: preparse the policy sets, CASL / plain JS: compile the rules); ' +
      '`first page` = the first decisions after that (20 modules, includes lazy compilation); `build again` = a second ' +
      'build right after, with the code compiled and warm. Config: the Confluence page (' +
      `${results.node?.['rg-all']?.cold?.config ?? results.chromium?.['rg-all']?.cold?.config ?? '?'}).`,
    '',
  );
  const crow = [];
  for (const [env, label] of envs) {
    for (const id of ids) {
      const c = results[env][id]?.cold;
      if (!c) continue;
      const m = c.median;
      crow.push([CONTENDERS[id].name.replace(' decideAll', ''), label, ms(m.compile), ms(m.instantiate), ms(m.build), `**${ms(m.ready)}**`, ms(m.first), ms(m.buildAgain), ms(c.firstSample.ready), String(c.samples)]);
    }
  }
  p(table(['contender', 'engine', 'compile', 'instantiate', 'build', 'ready (median)', 'first page', 'build again', 'ready, 1st sample', 'samples'], crow, 'llrrrrrrrr'), '');

  // Memory.
  const mrows = [];
  for (const [env, label] of envs) {
    for (const id of ids) {
      const m = results[env][id]?.memory;
      if (!m) continue;
      mrows.push([
        CONTENDERS[id].name,
        label,
        int(m.decisions),
        int(m.before),
        int(m.afterFirstPage),
        int(m.after),
        m.after === m.afterFirstPage ? 'none' : `+${int(m.after - m.afterFirstPage)}`,
        int(m.afterAllSizes),
      ]);
    }
  }
  if (mrows.length) {
    p(
      '## Wasm memory',
      '',
      '`memory.buffer.byteLength` in bytes of a fresh instance, before and after deciding the same page of 10,000 modules ' +
        '(Cedar: 1,000) over and over; then after the throughput runs, whose largest pages are 50,000 requests per call ' +
        '(wasm memory never shrinks, so this is the high-water mark; for Cedar it also holds the policy sets preparsed ' +
        'for every N, which cedar-wasm has no call to drop).',
      '',
    );
    p(table(['contender', 'engine', 'decisions', 'before', 'after 1st page', 'after all', 'growth after 1st page', 'after N ≤ 100,000 pages'], mrows, 'llrrrrrr'), '');
  }

  // Sizes.
  const zrows = [];
  for (const s of sizes) {
    for (const part of s.parts) zrows.push([s.contender, part.label, int(part.raw), int(part.gzip), int(part.brotli)]);
    if (s.parts.length > 1) zrows.push([s.contender, '**total**', `**${int(s.total.raw)}**`, `**${int(s.total.gzip)}**`, `**${int(s.total.brotli)}**`]);
    if (s.adapter) zrows.push([s.contender, `${s.adapter.label}: rules from the config, not needed with render-gate`, int(s.adapter.raw), int(s.adapter.gzip), int(s.adapter.brotli)]);
  }
  p('## Download size', '', 'Bytes: raw, gzip level 9, brotli quality 11 (node:zlib). JS bundles: rolldown, minified.', '', table(['contender', 'artifact', 'raw', 'gzip', 'brotli'], zrows, 'llrrr'), '');

  // Workload.
  if (reference) {
    p(
      '## Workload',
      '',
      `bench/workload.mjs, seed ${meta.opts.seed}: a Confluence page and a Jira page of N/2 module instances each, 24 apps per ` +
        'product, in page views of about 20 modules sharing one viewer, space, context and facts (about 15 % of the ' +
        'instances repeat a module already in their view, which `decideAll` decides once). Outcomes and reasons per N:',
      '',
    );
    const outcomes = ['render', 'placeholder', 'hide', 'pending'];
    const OC = { R: 'render', P: 'placeholder', H: 'hide', D: 'pending' };
    const wrows = [];
    for (const n of sizesN) {
      const codes = reference[n];
      if (!codes) continue;
      const byO = Object.fromEntries(outcomes.map((o) => [o, 0]));
      const byR = new Map();
      for (let i = 0; i < codes.length; i += 2) {
        byO[OC[codes[i]]]++;
        const r = REASONS[codes.charCodeAt(i + 1) - 97];
        byR.set(r, (byR.get(r) ?? 0) + 1);
      }
      const total = codes.length / 2;
      const pct = (x) => `${((100 * x) / total).toFixed(1)}%`;
      wrows.push([
        nLabel(n),
        ...outcomes.map((o) => `${int(byO[o])} (${pct(byO[o])})`),
        REASONS.filter((r) => byR.get(r)).map((r) => `${r} ${pct(byR.get(r))}`).join(', '),
      ]);
    }
    p(table(['page', ...outcomes, 'reasons'], wrows, 'lrrrrl'), '');
  }
  return L.join('\n');
}
