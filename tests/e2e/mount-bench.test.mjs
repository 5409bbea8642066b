// The DOM-mount benchmark page (www/mount-bench.html): 1,000 declared modules, gate.mount
// timed for two viewers (median of 5 runs, gate.reset in between). The test asserts only
// correctness (counts); the time is printed and saved to test-artifacts/mount-1000.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactsDir, launchBrowser, startServer, watchErrors } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('gate.mount on a page of 1,000 modules: counts, and the time it took', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}mount-bench.html?n=1000&runs=5`);
  await page.waitForFunction(() => window.__mountBench?.done === true, null, { timeout: 300_000, polling: 500 });
  const report = await page.evaluate(() => window.__mountBench);

  const byViewer = Object.fromEntries(report.results.map((r) => [r.viewer, r]));
  assert.deepEqual(byViewer.licensed.summary, { total: 1000, render: 500, placeholder: 100, hide: 400, pending: 0 });
  assert.deepEqual(byViewer.guest.summary, { total: 1000, render: 0, placeholder: 300, hide: 700, pending: 0 });
  for (const r of report.results) {
    assert.equal(r.mountRunsMs.length, 5);
    assert.ok(r.mountRunsMs.every((ms) => Number.isFinite(ms) && ms >= 0));
  }

  // The page left mounted for the licensed user holds exactly what the summary says.
  const dom = await page.evaluate(() => {
    const els = [...document.querySelectorAll('#modules [data-rg-app]')];
    return {
      total: els.length,
      iframes: document.querySelectorAll('#modules iframe[data-rg-added]').length,
      placeholders: document.querySelectorAll('#modules .rg-placeholder[data-reason="blocked-by-policy"][data-policy="fin-policy"]').length,
      hidden: els.filter((e) => e.hidden).length,
      reasons: els.reduce((acc, e) => ((acc[e.dataset.rgReason] = (acc[e.dataset.rgReason] ?? 0) + 1), acc), {}),
    };
  });
  assert.deepEqual(dom, {
    total: 1000,
    iframes: 500,
    placeholders: 100,
    hidden: 400,
    reasons: { allowed: 500, 'blocked-by-policy': 200, 'conditions-false': 100, 'missing-facts': 100, 'module-not-found': 100 },
  });

  const out = join(await artifactsDir(), 'mount-1000.json');
  await writeFile(out, JSON.stringify(report, null, 2) + '\n');
  const fmt = (r) => `${r.viewer}: median ${r.medianMountMs.toFixed(1)} ms (mount + layout ${r.medianMountWithLayoutMs.toFixed(1)} ms, decideAll alone ${r.medianDecideAllMs.toFixed(1)} ms${r.medianPlainIframesMs == null ? '' : `, the same ${r.iframes} iframes by plain DOM ${r.medianPlainIframesMs.toFixed(1)} ms`})`;
  console.log(`gate.mount, 1,000 modules, 5 runs: ${report.results.map(fmt).join('; ')}. Saved to ${out}`);

  assert.deepEqual(errors, []);
  await page.close();
});
