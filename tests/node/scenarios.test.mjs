// Runs the data-driven scenarios in tests/scenarios/*.json and lint cases in tests/lints/*.json
// against the built wasm package (pkg/, made by `npm run build`).
//
// Scenario file: { description, configs: { name: config },
//   cases: [ { name, config: name, request, expect: { outcome, reason, layer?, policy?,
//              missing? (compared sorted), messageContains? } } ] }
// Lint file: { description?, cases: [ { name, config, expect: { errors?: [code], warnings?: [code] } } ] }
//   (codes compared as sorted multisets; an absent list means none)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const at = (rel) => new URL(rel, new URL('../../', import.meta.url));

const wasmPath = at('pkg/render_gate_bg.wasm');
if (!existsSync(wasmPath)) {
  throw new Error(`${fileURLToPath(wasmPath)} is missing: run \`npm run build\` first (root ${ROOT})`);
}
const { initSync, Gate, validate } = await import(at('pkg/render_gate.js').href);
initSync({ module: readFileSync(wasmPath) });

/** JSON files of a tests/ subfolder, sorted, as [fileName, parsed]. */
function jsonFiles(dir) {
  const url = at(`tests/${dir}/`);
  if (!existsSync(url)) return [];
  return readdirSync(url)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = readFileSync(new URL(f, url), 'utf8');
      try {
        return [f, JSON.parse(text)];
      } catch (e) {
        return [f, { parseError: e.message }];
      }
    });
}

/** Values from wasm may come back as Maps (serde-wasm-bindgen's default); make them plain. */
function plain(v) {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const sorted = (xs) => [...xs].sort();
const show = (v) => JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ');

for (const [file, scenario] of jsonFiles('scenarios')) {
  if (scenario.parseError || !Array.isArray(scenario.cases)) {
    test(`${file}: is a valid scenario file`, () => {
      assert.fail(scenario.parseError ?? 'expected { description, configs, cases: [...] }');
    });
    continue;
  }

  // Compile each named config once; a config that fails to compile fails each case using it.
  const gates = new Map();
  for (const [name, config] of Object.entries(scenario.configs ?? {})) {
    try {
      gates.set(name, { gate: new Gate(config) });
    } catch (error) {
      gates.set(name, { error });
    }
  }

  for (const c of scenario.cases) {
    test(`${file}: ${c.name}`, () => {
      const compiled = gates.get(c.config);
      assert.ok(compiled, `case names config "${c.config}", which is not in "configs"`);
      if (compiled.error) assert.fail(`config "${c.config}" did not compile: ${compiled.error.message ?? compiled.error}`);

      const decision = plain(compiled.gate.decide(c.request));
      const want = c.expect ?? {};
      const ctx = `decision: ${show(decision)}`;

      assert.equal(decision.outcome, want.outcome, `outcome; ${ctx}`);
      assert.equal(decision.reason, want.reason, `reason; ${ctx}`);
      if ('layer' in want) assert.equal(decision.layer, want.layer, `layer; ${ctx}`);
      if ('policy' in want) assert.equal(decision.policy, want.policy, `policy; ${ctx}`);
      if ('missing' in want) {
        assert.ok(Array.isArray(decision.missing), `missing should be an array; ${ctx}`);
        assert.deepEqual(sorted(decision.missing), sorted(want.missing), `missing; ${ctx}`);
      }
      if ('messageContains' in want) {
        assert.equal(typeof decision.message, 'string', `message should be a string; ${ctx}`);
        assert.ok(
          decision.message.includes(want.messageContains),
          `message should contain ${JSON.stringify(want.messageContains)}; ${ctx}`,
        );
      }
    });
  }
}

for (const [file, lints] of jsonFiles('lints')) {
  if (lints.parseError || !Array.isArray(lints.cases)) {
    test(`${file}: is a valid lint file`, () => {
      assert.fail(lints.parseError ?? 'expected { cases: [...] }');
    });
    continue;
  }

  for (const c of lints.cases) {
    test(`${file}: ${c.name}`, () => {
      const result = plain(validate(c.config));
      const ctx = `validate: ${show(result)}`;
      assert.ok(Array.isArray(result?.errors) && Array.isArray(result?.warnings), `expected { errors, warnings }; ${ctx}`);
      const codes = (ds) => sorted(ds.map((d) => d.code));
      assert.deepEqual(codes(result.errors), sorted(c.expect?.errors ?? []), `error codes; ${ctx}`);
      assert.deepEqual(codes(result.warnings), sorted(c.expect?.warnings ?? []), `warning codes; ${ctx}`);
    });
  }
}
