// Small helpers shared by the Node and the browser side of the benchmark (no imports).
import { REASONS } from './model.mjs';

export const now = () => performance.now();

/** Median, p95 (nearest rank), min and max of a list of numbers. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1], n: s.length };
}

const OUTCOME_CODE = { render: 'R', placeholder: 'P', hide: 'H', pending: 'D' };
const CODE_OUTCOME = { R: 'render', P: 'placeholder', H: 'hide', D: 'pending' };

/**
 * Two characters per decision: the outcome and the reason (its rank in REASONS), so that a
 * whole page's answers compare as one string. `reason` may be a code or a rank.
 */
export function codesOf(pageResults) {
  let out = '';
  for (const results of pageResults) {
    for (const d of results) {
      const rank = typeof d.reason === 'number' ? d.reason : REASONS.indexOf(d.reason);
      out += (OUTCOME_CODE[d.outcome] ?? '?') + String.fromCharCode(97 + (rank < 0 ? 25 : rank));
    }
  }
  return out;
}

export function decodeCode(c) {
  const rank = c.charCodeAt(1) - 97;
  return `${CODE_OUTCOME[c[0]] ?? c[0]}/${REASONS[rank] ?? '?'}`;
}

/** The first `max` decisions where `got` differs from `ref`, with their requests. */
export function mismatches(ref, got, pages, max = 5) {
  const reqs = pages.flatMap((p) => p.requests.map((r) => ({ page: p.name, request: r })));
  const out = [];
  let count = 0;
  const n = Math.max(ref.length, got.length) / 2;
  for (let i = 0; i < n; i++) {
    const a = ref.slice(2 * i, 2 * i + 2);
    const b = got.slice(2 * i, 2 * i + 2);
    if (a !== b) {
      count++;
      if (out.length < max) out.push({ index: i, expected: decodeCode(a), got: b ? decodeCode(b) : 'nothing', ...reqs[i] });
    }
  }
  return { count, first: out };
}

/**
 * The same module bytes plus a custom section holding `nonce`, so that an engine that
 * caches compiled modules by their bytes cannot hand back an earlier compile (cold start).
 */
export function withNonce(bytes, nonce) {
  const name = new TextEncoder().encode('bench-nonce');
  const payload = new TextEncoder().encode(`${nonce}:${Math.random()}`);
  const body = [...leb(name.length), ...name, ...payload];
  const section = new Uint8Array([0, ...leb(body.length), ...body]);
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes, 0);
  out.set(section, bytes.length);
  return out;
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** A cold start of a pure-JS contender: build from the config, a first small page, a second build. */
export async function jsColdStart(prepare, config, firstRequests) {
  const t0 = now();
  const runner = prepare({}, config);
  const t1 = now();
  runner.run(firstRequests);
  const t2 = now();
  prepare({}, config);
  const t3 = now();
  return { compile: null, instantiate: null, build: t1 - t0, ready: t1 - t0, first: t2 - t1, buildAgain: t3 - t2 };
}
