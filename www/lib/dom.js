// Tiny DOM helpers: every text goes in as text, never as markup.

/**
 * `h('div', { class: 'x', dataset: { a: '1' }, onclick }, child, 'text')`.
 * Attributes with `null`/`undefined`/`false` values are left out; `true` sets an empty one.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Inline code-ish rendering of engine messages that quote input in backticks. */
export function richText(text) {
  const parts = String(text ?? '').split('`');
  return parts.map((p, i) => (i % 2 ? h('code', {}, p) : p));
}
