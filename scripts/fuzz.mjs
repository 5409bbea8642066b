#!/usr/bin/env node
// Runs the cargo-fuzz (libFuzzer) targets of fuzz/ one after another, each for a bounded time.
//
//   node scripts/fuzz.mjs                      every target, 60 s each
//   node scripts/fuzz.mjs --seconds 300        every target, 5 min each
//   node scripts/fuzz.mjs --target decide      one target (repeat --target for several)
//   node scripts/fuzz.mjs --sanitizer address  AddressSanitizer (default: none; see below)
//   node scripts/fuzz.mjs --build-only         build the targets, run nothing
//
// Installs cargo-fuzz when it is missing (`cargo install cargo-fuzz --locked`). cargo-fuzz
// needs nightly compiler flags (-Zsanitizer..., -Cpasses=sancov-module); on a stable
// toolchain this script sets RUSTC_BOOTSTRAP=1, which lets stable rustc accept them (a
// nightly toolchain works the same). The default sanitizer is `none`: render-gate is
// `#![forbid(unsafe_code)]`, so ASan finds little more and halves the speed; panics,
// overflow checks (-a) and the targets' invariants are what fuzzing checks here.
//
// Each target fuzzes with fuzz/corpus/<target>/ (the committed seeds, read only) plus a
// scratch corpus fuzz/corpus-tmp/<target>/ (git-ignored) where libFuzzer keeps what it
// finds, and the dictionary fuzz/render-gate.dict. Logs go to fuzz/corpus-tmp/<target>.log.
// A crash (panic = failed invariant) is written to fuzz/artifacts/<target>/ by cargo-fuzz;
// reproduce it with `cargo fuzz run <target> <file>` and minimise it with
// `cargo fuzz tmin <target> <file>` (both with RUSTC_BOOTSTRAP=1 on stable).
//
// Prints a summary (executions, time, speed, new coverage units, crashes) and writes it to
// fuzz/corpus-tmp/summary.json; exits 1 if any target crashed.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, ensureCargoPath } from './setup.mjs';

const TARGETS = ['config', 'connect_conditions', 'forge_conditions', 'decide'];
const FUZZ = join(ROOT, 'fuzz');
const TMP = join(FUZZ, 'corpus-tmp');

function usage(msg) {
  if (msg) console.error(`fuzz: ${msg}`);
  console.error('usage: node scripts/fuzz.mjs [--seconds N] [--target NAME]... [--sanitizer none|address] [--build-only]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { seconds: 60, targets: [], sanitizer: 'none', buildOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--seconds') {
      opts.seconds = Number(value());
      if (!Number.isInteger(opts.seconds) || opts.seconds < 1) usage('--seconds takes a whole number of seconds');
    } else if (a === '--target') {
      const t = value();
      if (!TARGETS.includes(t)) usage(`unknown target ${t}; targets: ${TARGETS.join(', ')}`);
      opts.targets.push(t);
    } else if (a === '--sanitizer') {
      opts.sanitizer = value();
      if (!['none', 'address', 'leak'].includes(opts.sanitizer)) usage('--sanitizer is none, address or leak');
    } else if (a === '--build-only') {
      opts.buildOnly = true;
    } else if (a === '--help' || a === '-h') {
      usage();
    } else {
      usage(`unknown argument ${a}`);
    }
  }
  if (!opts.targets.length) opts.targets = [...TARGETS];
  return opts;
}

function sh(cmd, args, env) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`\`${[cmd, ...args].join(' ')}\` failed (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`})`);
}

function ensureCargoFuzz(env) {
  const r = spawnSync('cargo', ['fuzz', '--version'], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!r.error && r.status === 0) return r.stdout.trim();
  console.log('fuzz: cargo-fuzz is missing, installing it');
  sh('cargo', ['install', 'cargo-fuzz', '--locked'], env);
  return 'cargo-fuzz (just installed)';
}

/** The environment cargo-fuzz needs: RUSTC_BOOTSTRAP=1 unless rustc is a nightly already. */
function fuzzEnv() {
  const env = { ...process.env };
  const v = spawnSync('rustc', ['--version'], { cwd: ROOT, encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error('rustc not found: install Rust (rustup) first');
  if (!/nightly|dev/.test(v.stdout)) env.RUSTC_BOOTSTRAP = '1';
  return { env, rustc: v.stdout.trim() };
}

const artifacts = (target) => {
  const dir = join(FUZZ, 'artifacts', target);
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
};

/** Runs one target for `seconds`; resolves to its stats. */
function fuzzOne(target, opts, env) {
  const scratch = join(TMP, target);
  mkdirSync(scratch, { recursive: true });
  const logPath = join(TMP, `${target}.log`);
  const log = createWriteStream(logPath);
  const before = new Set(artifacts(target));
  const args = [
    'fuzz', 'run', '--sanitizer', opts.sanitizer, '--debug-assertions', target,
    relative(ROOT, scratch), relative(ROOT, join(FUZZ, 'corpus', target)),
    '--',
    `-max_total_time=${opts.seconds}`,
    '-max_len=32768',
    '-timeout=10',
    '-rss_limit_mb=2048',
    `-dict=${relative(ROOT, join(FUZZ, 'render-gate.dict'))}`,
    '-print_final_stats=1',
  ];
  console.log(`\n=== ${target}: ${opts.seconds} s\n$ cargo ${args.join(' ')}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('cargo', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // libFuzzer should stop by itself; this only guards against a hang in the harness.
    const guard = setTimeout(() => child.kill('SIGKILL'), (opts.seconds + 300) * 1000);
    let text = '';
    let partial = '';
    const onData = (chunk) => {
      const s = chunk.toString();
      log.write(s);
      text += s;
      if (text.length > 4_000_000) text = text.slice(-2_000_000);
      partial += s;
      const lines = partial.split('\n');
      partial = lines.pop();
      for (const line of lines) {
        if (/^#\d+\s+(INITED|pulse|DONE)|^Done \d+ runs|ERROR|SUMMARY|panicked|Test unit written|^stat::/.test(line)) console.log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      log.end();
      const stat = (name) => {
        const m = text.match(new RegExp(`stat::${name}:\\s*(\\d+)`));
        return m ? Number(m[1]) : null;
      };
      const done = text.match(/Done (\d+) runs in (\d+) second/);
      const found = artifacts(target).filter((f) => !before.has(f));
      resolve({
        target,
        ok: code === 0 && !found.length,
        exitCode: code,
        signal,
        seconds: Math.round((Date.now() - t0) / 1000),
        executions: stat('number_of_executed_units') ?? (done ? Number(done[1]) : null),
        execPerSec: stat('average_exec_per_sec'),
        newUnits: stat('new_units_added'),
        peakRssMb: stat('peak_rss_mb'),
        corpusFiles: readdirSync(scratch).length,
        crashes: found.map((f) => relative(ROOT, f)),
        log: relative(ROOT, logPath),
      });
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureCargoPath();
  const { env, rustc } = fuzzEnv();
  const cargoFuzz = ensureCargoFuzz(env);
  console.log(`fuzz: ${cargoFuzz}; ${rustc}${env.RUSTC_BOOTSTRAP ? ' (RUSTC_BOOTSTRAP=1)' : ''}; sanitizer ${opts.sanitizer}`);
  sh('cargo', ['fuzz', 'build', '--sanitizer', opts.sanitizer, '--debug-assertions'], env);
  if (opts.buildOnly) return 0;
  mkdirSync(TMP, { recursive: true });
  const results = [];
  for (const t of opts.targets) results.push(await fuzzOne(t, opts, env));
  console.log('\ntarget               seconds  executions   exec/s  new units  crashes');
  for (const r of results) {
    console.log(
      `${r.target.padEnd(20)} ${String(r.seconds).padStart(7)} ${String(r.executions ?? '?').padStart(11)} ${String(r.execPerSec ?? '?').padStart(8)} ${String(r.newUnits ?? '?').padStart(10)}  ${r.ok ? 0 : r.crashes.length || `exit ${r.exitCode ?? r.signal}`}`,
    );
    for (const c of r.crashes) console.log(`  crash: ${c}  (reproduce: cargo fuzz run ${r.target} ${c})`);
  }
  writeFileSync(join(TMP, 'summary.json'), JSON.stringify({ date: new Date().toISOString(), rustc, sanitizer: opts.sanitizer, results }, null, 2) + '\n');
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\nfuzz: ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`fuzz failed: ${e.message}`);
    process.exit(1);
  },
);
