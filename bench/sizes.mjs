// Download sizes of each contender's artifacts: raw, gzip (level 9) and brotli (quality 11).
//
// - render-gate and Cedar: the wasm and the wasm-bindgen glue, as their packages ship them;
// - CASL: the library code the CASL contender uses, bundled and minified by rolldown
//   (createMongoAbility, buildMongoQueryMatcher and the @ucast operators it adds);
// - every contender's bench adapter (the code that turns the config into its rules:
//   bench/contenders/*.mjs plus bench/model.mjs), bundled and minified the same way, listed
//   apart: render-gate needs none, the others would need one like it.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const resolve = (spec) => fileURLToPath(import.meta.resolve(spec));

export function measure(buf) {
  const b = typeof buf === 'string' ? Buffer.from(buf) : buf;
  return {
    raw: b.length,
    gzip: gzipSync(b, { level: 9 }).length,
    brotli: brotliCompressSync(b, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length },
    }).length,
  };
}

async function bundle(input, { external = [], virtual = null } = {}) {
  const { rolldown } = await import('rolldown');
  const plugins = virtual
    ? [{ name: 'virtual', resolveId: (id) => (id === 'virtual:entry' ? id : null), load: (id) => (id === 'virtual:entry' ? virtual : null) }]
    : [];
  const b = await rolldown({ input, external, platform: 'browser', logLevel: 'silent', plugins });
  const { output } = await b.generate({ format: 'es', minify: true });
  await b.close?.();
  return output.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n');
}

// Brotli 11 of Cedar's 4 MB wasm takes tens of seconds on a busy machine: file sizes are
// cached by path, size and mtime in the temp directory.
const CACHE = join(tmpdir(), 'render-gate-bench-sizes.json');
function measureFile(path) {
  const st = statSync(path);
  const key = `${path}:${st.size}:${st.mtimeMs}`;
  let cache = {};
  try {
    cache = JSON.parse(readFileSync(CACHE, 'utf8'));
  } catch {}
  if (!cache[key]) {
    cache[key] = measure(readFileSync(path));
    try {
      writeFileSync(CACHE, JSON.stringify(cache));
    } catch {}
  }
  return cache[key];
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const sum = (parts) => parts.reduce((a, p) => ({ raw: a.raw + p.raw, gzip: a.gzip + p.gzip, brotli: a.brotli + p.brotli }), { raw: 0, gzip: 0, brotli: 0 });

/** `pkgDir`: the render-gate package to measure (default: pkg/). */
export async function sizes({ pkgDir = `${ROOT}pkg` } = {}) {
  const cedarDir = fileURLToPath(new URL('.', import.meta.resolve('@cedar-policy/cedar-wasm/web')));
  const rows = [];
  const file = (label, path) => ({ label, ...measureFile(path) });
  const code = (label, text) => ({ label, ...measure(text) });

  const rg = [file('pkg/render_gate_bg.wasm', join(pkgDir, 'render_gate_bg.wasm')), file('pkg/render_gate.js (glue)', join(pkgDir, 'render_gate.js'))];
  // wasm-bindgen inline JS snippets the glue imports, if any.
  for (const f of filesUnder(join(pkgDir, 'snippets')).filter((f) => f.endsWith('.js'))) {
    rg.push(file(`pkg/${relative(pkgDir, f).replace(/snippets\/[^/]+\//, 'snippets/…/')}`, f));
  }
  rows.push({ id: 'rg', contender: 'render-gate', parts: rg, total: sum(rg), adapter: null });

  const cedar = [file('cedar_wasm_bg.wasm', `${cedarDir}cedar_wasm_bg.wasm`), file('cedar_wasm.js (glue)', `${cedarDir}cedar_wasm.js`)];
  const cedarAdapter = code('bench adapter (min)', await bundle(`${ROOT}bench/contenders/cedar.mjs`, { external: [/^@cedar-policy\//] }));
  rows.push({ id: 'cedar', contender: 'Cedar', parts: cedar, total: sum(cedar), adapter: cedarAdapter });

  const caslLib = code(
    '@casl/ability + @ucast/* (min)',
    await bundle('virtual:entry', {
      virtual:
        "export { createMongoAbility, buildMongoQueryMatcher } from '@casl/ability';\n" +
        "export { $and, $or, $nor, and, or, nor } from '@ucast/mongo2js';\n",
    }),
  );
  const caslAdapter = code('bench adapter (min)', await bundle(`${ROOT}bench/contenders/casl.mjs`, { external: [/^@casl\//, /^@ucast\//] }));
  rows.push({ id: 'casl', contender: 'CASL', parts: [caslLib], total: sum([caslLib]), adapter: caslAdapter });

  const plain = code('bench/contenders/plain.mjs + model.mjs (min)', await bundle(`${ROOT}bench/contenders/plain.mjs`));
  rows.push({ id: 'plain', contender: 'plain JS', parts: [plain], total: sum([plain]), adapter: null });
  return rows;
}

export { resolve };
