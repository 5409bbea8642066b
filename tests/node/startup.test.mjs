// The built package keeps what its cold start relies on: V8's compile hint as the first line
// of the glue and of batch.js (see COMPILE_HINT in scripts/build.mjs), so that their functions
// compile while the scripts load rather than one by one during the first `new Gate`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMPILE_HINT } from '../../scripts/build.mjs';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));

test('the glue and batch.js start with the compile hint', () => {
  const snippets = join(pkg, 'snippets');
  const batch = readdirSync(snippets).map((d) => join(snippets, d, 'src', 'wasm', 'batch.js'));
  assert.equal(batch.length, 1, `one snippet directory expected under ${snippets}`);
  for (const file of [join(pkg, 'render_gate.js'), ...batch]) {
    const first = readFileSync(file, 'utf8').split('\n', 1)[0];
    assert.equal(first, COMPILE_HINT, `${file} must start with ${COMPILE_HINT}`);
  }
});
