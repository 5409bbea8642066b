// The benchmark inside headless Chromium: bench/run.mjs serves bench/browser.html (with an
// import map for the npm packages) and calls window.__bench(id, opts) in a fresh page per
// contender. Wasm bytes are fetched before any timer starts (fetch is excluded).
import { benchContender } from './harness.mjs';

const env = {
  readBytes: async (url) => {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  },
};

window.__bench = async (id, opts) => {
  if (opts.pkgBase) env.pkgBase = new URL(opts.pkgBase, location.href).href;
  const result = await benchContender(id, env, { ...opts, log: (m) => console.log(`[bench] ${m}`) });
  result.crossOriginIsolated = globalThis.crossOriginIsolated === true;
  return result;
};
window.__benchReady = true;
