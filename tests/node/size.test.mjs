// Size budget: the shipped wasm, gzipped, must stay under WASM_GZIP_BUDGET_BYTES.
//
// To update the budget (after the wasm shrank, or for a deliberate, reviewed growth): build
// (`npm run build`), print the current size with
//   node -e "console.log(require('zlib').gzipSync(require('fs').readFileSync('pkg/render_gate_bg.wasm'), { level: 9 }).length)"
// and set WASM_GZIP_BUDGET_BYTES to that number + 10%, rounded up to the next 100. The
// size is node:zlib's gzip at level 9 (the `gzip -9` CLI can differ by a few hundred bytes).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Gzipped (level 9) size budget of pkg/render_gate_bg.wasm, in bytes. 2026-12-06: 69,141 + 10%, rounded up (raised from 73,800 on purpose the same day: reading shared objects straight from their tokens cost about 1.8 KB and saves about 12% of decideAll). */
const WASM_GZIP_BUDGET_BYTES = 76_100;

const wasmPath = fileURLToPath(new URL('../../pkg/render_gate_bg.wasm', import.meta.url));

test('the gzipped wasm stays within its size budget', () => {
  assert.ok(existsSync(wasmPath), `${wasmPath} is missing: run \`npm run build\` first`);
  const raw = readFileSync(wasmPath);
  const gzip = gzipSync(raw, { level: 9 }).length;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  assert.ok(
    gzip <= WASM_GZIP_BUDGET_BYTES,
    `pkg/render_gate_bg.wasm is ${gzip} bytes gzipped (${kib(gzip)}; ${raw.length} raw), over the budget of ` +
      `${WASM_GZIP_BUDGET_BYTES} bytes (${kib(WASM_GZIP_BUDGET_BYTES)}) by ${gzip - WASM_GZIP_BUDGET_BYTES} bytes: ` +
      'shrink the wasm, or raise WASM_GZIP_BUDGET_BYTES in tests/node/size.test.mjs on purpose',
  );
});
