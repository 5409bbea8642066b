#!/usr/bin/env node
// Where render-gate's time goes, by Rust function: builds a copy of the wasm that keeps its
// function names (release profile, `strip = none`, into a target directory under the temp
// directory: pkg/ and target/ are left alone), runs decideAll (or `new Gate`) on the bench
// workload under `node --cpu-prof`, and prints the functions by inclusive and self time.
//
//   node bench/profile.mjs                   decideAll, N = 10,000 page, 60 runs
//   node bench/profile.mjs --what=decide     gate.decide per module
//   node bench/profile.mjs --what=gate       new Gate(config) (the cold-start build)
//   node bench/profile.mjs --skip-build      reuse the last named build
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const what = args.what ?? 'all';
const WORK = join(tmpdir(), 'render-gate-profile');
const OUT = join(WORK, 'pkg');
mkdirSync(WORK, { recursive: true });

if (!args['skip-build']) {
  const env = { ...process.env, CARGO_TARGET_DIR: join(WORK, 'target'), CARGO_PROFILE_RELEASE_STRIP: 'none' };
  console.error('profile: cargo build --release --target wasm32-unknown-unknown (names kept)');
  execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib'], { cwd: ROOT, env, stdio: 'inherit' });
  rmSync(OUT, { recursive: true, force: true });
  const wasm = join(WORK, 'target', 'wasm32-unknown-unknown', 'release', 'render_gate.wasm');
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', OUT, wasm], { stdio: 'inherit' });
  const { WASM_OPT_FLAGS } = await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href);
  const flags = WASM_OPT_FLAGS.filter((f) => f !== '--strip-debug');
  const bg = join(OUT, 'render_gate_bg.wasm');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'wasm-opt'), [...flags, '--debuginfo', bg, '-o', bg], { stdio: 'inherit' });
}

const script = join(WORK, 'run.mjs');
writeFileSync(
  script,
  `import { readFileSync } from 'node:fs';
import { makeWorkload } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bench', 'workload.mjs')).href)};
const rg = await import(${JSON.stringify(pathToFileURL(join(OUT, 'render_gate.js')).href)});
rg.initSync({ module: readFileSync(${JSON.stringify(join(OUT, 'render_gate_bg.wasm'))}) });
const what = ${JSON.stringify(what)};
const w = makeWorkload({ n: what === 'gate' ? 40 : 10000 });
const gates = w.pages.map((p) => new rg.Gate(p.config));
const runs = { all: 60, decide: 4, gate: 200 }[what];
const run = {
  all: () => gates.map((g, i) => g.decideAll(w.pages[i].requests)),
  decide: () => gates.map((g, i) => w.pages[i].requests.map((r) => g.decide(r))),
  gate: () => new rg.Gate(w.pages[0].config).free(),
}[what];
const t0 = performance.now();
for (let k = 0; k < runs; k++) run();
const ms = (performance.now() - t0) / runs;
console.log(what === 'gate' ? ms.toFixed(2) + ' ms per new Gate' : ((ms * 1e6) / 10000).toFixed(0) + ' ns per decision');
`,
);
const profDir = join(WORK, 'cpuprofile');
rmSync(profDir, { recursive: true, force: true });
const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, script], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const prof = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]), 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => (n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'program'})`).replace(/::h[0-9a-f]{16}$/, '');
const self = new Map();
const incl = new Map();
let total = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i];
  total += dt;
  self.set(name(byId.get(id)), (self.get(name(byId.get(id))) ?? 0) + dt);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at));
    if (!seen.has(k)) {
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
});
const top = (m, count) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k.slice(0, 140)}`).join('\n');
console.log(`\ninclusive time (render-gate and glue functions):\n${top(new Map([...incl].filter(([k]) => /render_gate|gate_|decide|Gate|encode|decode|Walker|wbg|handleError/.test(k))), 30)}`);
console.log(`\nself time:\n${top(self, 30)}`);
console.log(`\nprofile: ${profDir}`);
if (!existsSync(OUT)) process.exit(1);
