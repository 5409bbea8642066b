// Minimal demo of the render-gate engine: one Confluence config, two viewers.
import init, { Gate } from '../pkg/render_gate.js';

const config = {
  product: 'confluence',
  apps: [
    {
      key: 'com.acme.charts',
      name: 'Acme Charts',
      framework: 'connect',
      descriptor: {
        modules: {
          dynamicContentMacros: [{ key: 'chart-macro' }],
        },
      },
    },
  ],
};

const requests = [
  {
    title: 'Guest of space ENG',
    request: { viewer: { type: 'guest', guestSpace: 'ENG' }, app: 'com.acme.charts', module: 'chart-macro', space: 'ENG' },
  },
  {
    title: 'Licensed user',
    request: { viewer: { type: 'licensed' }, app: 'com.acme.charts', module: 'chart-macro', space: 'ENG' },
  },
];

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function renderDecision(gate, { title, request }, index) {
  const decision = gate.decide(request);
  const headingId = `decision-${index}`;
  const slot = el('div', { className: 'placeholder-slot' });
  if (decision.outcome === 'placeholder') {
    // The engine escapes everything it puts into this HTML.
    slot.innerHTML = gate.placeholderHtml(decision);
  } else {
    slot.textContent = decision.outcome === 'render' ? 'The macro renders here.' : `Nothing is shown (${decision.outcome}).`;
  }
  const section = el(
    'section',
    {},
    el('h2', { id: headingId }, `${title}: ${decision.outcome}`),
    el('h3', {}, 'Request'),
    el('pre', {}, JSON.stringify(request, null, 2)),
    el('h3', {}, 'Decision'),
    el('pre', {}, JSON.stringify(decision, null, 2)),
    el('h3', {}, 'What the page shows'),
    slot,
  );
  section.setAttribute('aria-labelledby', headingId);
  return section;
}

async function main() {
  const status = document.getElementById('status');
  try {
    await init();
    const gate = new Gate(config);
    document.getElementById('decisions').append(...requests.map((r, i) => renderDecision(gate, r, i)));
    status.textContent = 'Engine loaded.';
  } catch (err) {
    status.dataset.error = '';
    status.textContent = `Could not run the engine: ${err.message}`;
    console.error(err);
  }
}

main();
