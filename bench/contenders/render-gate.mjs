// Contender: render-gate itself, from the built pkg/ (the wasm a page downloads).
//   mode 'all':  gate.decideAll(requests), one crossing into wasm per page;
//   mode 'each': gate.decide(request) for every module.
import { now, withNonce } from '../util.mjs';

// The package: pkg/ next to bench/, or the snapshot of it that bench/run.mjs takes at the
// start of a run (env.pkgBase), so that a rebuild during the run cannot mix two builds.
const urls = (env) => {
  const base = env.pkgBase ?? new URL('../../pkg/', import.meta.url).href;
  return { glue: new URL('render_gate.js', base).href, wasm: new URL('render_gate_bg.wasm', base).href };
};

export async function load(env) {
  const { glue: GLUE_URL, wasm: WASM_URL } = urls(env);
  const glue = await import(GLUE_URL);
  const module = await WebAssembly.compile(await env.readBytes(WASM_URL));
  const exports = await glue.default({ module_or_path: module });
  return { glue, exports };
}

export function memoryBytes(lib) {
  return lib.exports.memory.buffer.byteLength;
}

export function prepare(lib, config, { mode }) {
  const gate = new lib.glue.Gate(config);
  if (mode === 'all') return { run: (requests) => gate.decideAll(requests) };
  return {
    run: (requests) => {
      const out = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) out[i] = gate.decide(requests[i]);
      return out;
    },
  };
}

/**
 * One cold start in a fresh copy of the package's JS (fetch excluded): compile the wasm,
 * instantiate it, build the Gate; then the first decideAll of a small page. bench/run.mjs
 * puts a copy of the package in `cold/<index>/` of its snapshot for each sample, so that the
 * glue and the module it imports (`batch.js`) are both new code to the engine.
 */
export async function coldStart(env, config, firstRequests, k, index) {
  const fresh = env.pkgBase === undefined ? {} : { pkgBase: new URL(`cold/${index}/`, env.pkgBase).href };
  const { glue: GLUE_URL } = urls(fresh);
  const { wasm: WASM_URL } = urls(env);
  const glue = await import(`${GLUE_URL}?cold=${k}`);
  const bytes = withNonce(await env.readBytes(WASM_URL), k);
  const t0 = now();
  const module = await WebAssembly.compile(bytes);
  const t1 = now();
  await glue.default({ module_or_path: module });
  const t2 = now();
  const gate = new glue.Gate(config);
  const t3 = now();
  gate.decideAll(firstRequests);
  const t4 = now();
  new glue.Gate(config).free();
  const t5 = now();
  return { compile: t1 - t0, instantiate: t2 - t1, build: t3 - t2, ready: t3 - t0, first: t4 - t3, buildAgain: t5 - t4 };
}
