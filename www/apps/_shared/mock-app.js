// The content of a mock app frame. Each app folder's module.html sets data-app and
// data-name on <body>; the query string says which module (type, key) is shown. The frame
// tells the playground its height and that it loaded (like Connect's AP.resize).
const params = new URLSearchParams(location.search);
const type = params.get('type') ?? '';
const key = params.get('key') ?? '';
const { app: slug = 'custom', accent } = document.body.dataset;
// The shared folder of apps typed into the editor says which app it stands for.
const name = (slug === 'custom' && params.get('app')) || document.body.dataset.name || 'App';
if (accent) document.body.style.setProperty('--accent', accent);

const SHAPES = {
  byline: ['contentBylineItems', 'confluence:contentBylineItem'],
  item: ['webItems', 'webSections', 'dialogs', 'jira:issueAction', 'confluence:contentAction', 'confluence:contextMenu'],
  glance: ['jira:issueGlance', 'jiraIssueGlances', 'jira:issueContext', 'jira:customField'],
};
const shape = Object.keys(SHAPES).find((s) => SHAPES[s].includes(type)) ?? 'content';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const card = (title, body) => `<div class="app"><p class="app__title">${esc(title)}<span class="app__by">${esc(name)}</span></p>${body}</div>`;
const bars = (rows) => `<div class="bars">${rows.map(([label, pct]) => `<div class="bar"><span>${esc(label)}</span><i style="width:${pct}%"></i><span>${pct}%</span></div>`).join('')}</div>`;

function chart() {
  const values = [34, 52, 41, 68, 59, 77];
  const w = 360, hgt = 110, bw = 40;
  const rects = values.map((v, i) => `<rect x="${20 + i * 56}" y="${hgt - v}" width="${bw}" height="${v}" rx="3" fill="var(--accent)" opacity="${0.55 + i * 0.08}"/>`).join('');
  return `<svg viewBox="0 0 ${w} ${hgt + 16}" role="img" aria-label="Bar chart"><line x1="10" y1="${hgt}" x2="${w - 10}" y2="${hgt}" stroke="#dcdfe4"/>${rects}${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'].map((m, i) => `<text x="${40 + i * 56}" y="${hgt + 13}" font-size="10" text-anchor="middle" fill="#626f86">${m}</text>`).join('')}</svg>`;
}

function diagram() {
  const box = (x, label) => `<rect x="${x}" y="20" width="90" height="40" rx="8" fill="white" stroke="var(--accent)" stroke-width="2"/><text x="${x + 45}" y="45" font-size="12" text-anchor="middle" fill="#172b4d">${label}</text>`;
  const arrow = (x) => `<line x1="${x}" y1="40" x2="${x + 26}" y2="40" stroke="#8590a2" stroke-width="2" marker-end="url(#a)"/>`;
  return `<svg viewBox="0 0 380 80" role="img" aria-label="Flow diagram"><defs><marker id="a" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#8590a2"/></marker></defs>${box(10, 'Request')}${arrow(104)}${box(140, 'Gateway')}${arrow(234)}${box(270, 'Payments')}</svg>`;
}

const CONTENT = {
  'acme-charts': { content: () => card('Deploys per month', chart()), byline: () => '<span class="pill">\u25a5 3 charts</span>' },
  'zen-diagrams': { content: () => card('Checkout architecture', diagram()), byline: () => '<span class="pill">\u2713 Diagrams up to date</span>' },
  'northwind-forms': {
    content: () => card('How useful was this review?', '<div class="options"><label><input type="radio" name="q"> Very</label><label><input type="radio" name="q"> Somewhat</label><label><input type="radio" name="q"> Not really</label></div><span class="button" style="width:auto;padding:0 12px">Submit</span>'),
    panel: () => card('Survey responses', `<p class="muted" style="margin:0 0 6px">42 responses</p>${bars([['Very', 64], ['Somewhat', 29], ['Not really', 7]])}`),
  },
  'page-insights': {
    byline: () => '<span class="pill">\u25c9 128 views</span>',
    panel: () => card('Reader insights', `<p style="margin:0 0 6px"><strong>128</strong> views \u00b7 <strong>31</strong> readers</p>${bars([['Engineering', 71], ['Product', 18], ['Design', 11]])}`),
    item: () => '<span class="button">Export with insights</span>',
  },
  'pulse-polls': { content: () => card('Hack week theme', bars([['Developer tools', 46], ['Accessibility', 33], ['Performance', 21]])) },
  'chrono-time': {
    glance: () => '<div class="glance"><span>Time logged</span><strong>3h 20m</strong></div>',
    item: () => '<span class="button">Log time</span>',
    content: () => card('Work log', '<table><tr><td>Sam Ortiz</td><td>2h</td><td class="muted">Reproduced on staging</td></tr><tr><td>Dana Whitfield</td><td>1h 20m</td><td class="muted">Triage</td></tr></table>'),
  },
  'acme-insights': {
    glance: () => '<div class="glance"><span>Risk score</span><strong>Low</strong></div>',
    panel: () => card('Risk details', bars([['Impact', 30], ['Likelihood', 20]])),
    item: () => '<span class="button">Export risk report</span>',
  },
  'guest-notes': { content: () => card('Shared notes', '<ul class="list"><li>Customer confirmed the gift card flow on Monday.</li><li>Partner QA can verify on staging.</li></ul>') },
  'release-radar': {
    glance: () => '<div class="glance"><span>Release</span><strong>2.4.0 \u00b7 Oct 28</strong></div>',
    content: () => card('Bug impact', '<p style="margin:0"><strong>312</strong> users affected \u00b7 <strong>4</strong> support tickets</p>'),
  },
};

function render() {
  const byApp = CONTENT[slug] ?? {};
  const make = byApp[shape] ?? byApp[shape === 'content' ? 'panel' : 'content'] ?? byApp.panel ?? null;
  if (make) return make();
  const label = `${key} \u00b7 ${type}`;
  if (shape === 'byline') return `<span class="pill">${esc(label)}</span>`;
  if (shape === 'item') return `<span class="button">${esc(key)}</span>`;
  if (shape === 'glance') return `<div class="glance"><span>${esc(name)}</span><strong>${esc(key)}</strong></div>`;
  return card(key, `<p class="muted" style="margin:0">Module <code>${esc(key)}</code> (${esc(type)}) of ${esc(name)}.</p>`);
}

document.getElementById('app').innerHTML = render();

// The content's own size (the document's would never be smaller than the iframe).
const root = document.getElementById('app');
const report = () => {
  const box = (root.firstElementChild ?? root).getBoundingClientRect();
  parent.postMessage(
    { source: 'rg-demo-app', kind: 'size', app: slug, type, key, height: Math.ceil(root.getBoundingClientRect().height), width: Math.ceil(box.width) },
    location.origin,
  );
};
new ResizeObserver(report).observe(root);
report();
