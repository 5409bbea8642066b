#!/usr/bin/env node
// The three ways bench/contenders/cedar.mjs can lay out the rules, side by side in Node, on
// the same workload (each checked against the hand-written evaluator first):
//   node bench/cedar-variants.mjs [N]        (default N = 2,000)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cedar from './contenders/cedar.mjs';
import * as plain from './contenders/plain.mjs';
import { codesOf, mismatches, now, stats } from './util.mjs';
import { makeWorkload } from './workload.mjs';

const n = Number(process.argv[2] ?? 2000);
const env = { readBytes: async (url) => new Uint8Array(readFileSync(fileURLToPath(url))) };
const lib = await cedar.load(env);
const w = makeWorkload({ n, seed: 20260401 });
const reference = codesOf(w.pages.map((p) => plain.prepare({}, p.config).run(p.requests)));

for (const shard of ['specialized', 'module', 'none']) {
  const runners = w.pages.map((p) => cedar.prepare(lib, p.config, { shard }));
  const run = () => runners.map((r, i) => r.run(w.pages[i].requests));
  const mm = mismatches(reference, codesOf(run()), w.pages);
  if (mm.count) throw new Error(`cedar shard=${shard}: ${mm.count} decisions differ: ${JSON.stringify(mm.first[0])}`);
  const samples = [];
  for (let k = 0; k < 3; k++) {
    const t0 = now();
    run();
    samples.push(((now() - t0) * 1000) / n);
  }
  console.log(`cedar shard=${shard.padEnd(12)} ${stats(samples).median.toFixed(1)} us/decision (median of 3 pages of ${n})`);
}
