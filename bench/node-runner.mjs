#!/usr/bin/env node
// One contender in a fresh Node process (started by bench/run.mjs with --expose-gc):
//   node --expose-gc bench/node-runner.mjs <contender-id> <options.json>
// Prints progress on stderr and the result as JSON on the last line of stdout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchContender } from './harness.mjs';

const [id, optsFile] = process.argv.slice(2);
const opts = JSON.parse(readFileSync(optsFile, 'utf8'));
if (opts.referenceFile) opts.reference = JSON.parse(readFileSync(opts.referenceFile, 'utf8'));
opts.log = (msg) => process.stderr.write(`  [node] ${msg}\n`);

const env = {
  readBytes: async (url) => new Uint8Array(readFileSync(fileURLToPath(url))),
  pkgBase: opts.pkgBase,
};

const result = await benchContender(id, env, opts);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
