// The mock host pages: a Confluence page and a Jira issue view. Every app module of the
// config is declared where that module type lives in the product, as render-gate markup
// (`data-rg-app`, `data-rg-module`, `data-rg-src`...). Nothing here loads an app: only
// `gate.mount` does, by creating the iframe of a module that may render.
import { h } from './dom.js';
import { moduleSrc } from './presets.js';
import { SPACES } from './state.js';

const CONFLUENCE_REGIONS = {
  toolbar: ['webItems', 'webSections', 'dialogs', 'confluence:contentAction', 'confluence:contextMenu'],
  banner: ['confluence:pageBanner'],
  byline: ['contentBylineItems', 'confluence:contentBylineItem'],
  body: ['dynamicContentMacros', 'staticContentMacros', 'macro', 'customContent', 'confluence:customContent'],
  panels: ['webPanels'],
};

const JIRA_REGIONS = {
  actions: ['jira:issueAction', 'webItems', 'webSections', 'dialogs'],
  main: ['jira:issuePanel', 'jiraIssueContents', 'customContent', 'jira:customContent'],
  activity: ['jira:issueActivity', 'jiraIssueTabPanels'],
  context: ['jira:issueGlance', 'jiraIssueGlances', 'jira:issueContext', 'webPanels', 'jira:customField'],
};

export function regionOf(product, type) {
  const table = product === 'jira' ? JIRA_REGIONS : CONFLUENCE_REGIONS;
  for (const [region, types] of Object.entries(table)) if (types.includes(type)) return region;
  return 'other';
}

const PAGES = {
  ENG: {
    title: 'Q3 engineering review',
    parent: 'Team reviews',
    paragraphs: [
      'This quarter the platform team shipped the new deployment pipeline and cut the median build time by a third. The numbers below come straight from the release dashboard.',
      'The architecture of the checkout service changed the most: the payment adapter now runs as its own service behind the gateway.',
      'Before the planning meeting, please answer the short survey so that we can rank next quarter\u2019s candidates.',
      'Vote for the theme of the next hack week; the poll closes on Friday.',
      'Open questions and owners are tracked in the project board. Ping the #platform channel with anything missing from this page.',
    ],
    issue: { type: 'Bug', summary: 'Checkout fails when the cart holds a gift card', priority: 'High', status: 'In progress' },
  },
  FIN: {
    title: 'FY26 budget planning',
    parent: 'Planning',
    paragraphs: [
      'Budget requests for next year are due by the end of the month. The chart shows spend against plan for each cost centre.',
      'The approval flow has one new step: requests over the threshold go to the finance committee first.',
      'Tell us how the new request form worked for you.',
      'Which review cadence suits your team best?',
      'Questions go to the finance operations team.',
    ],
    issue: { type: 'Task', summary: 'Reconcile Q3 vendor invoices', priority: 'Medium', status: 'To do' },
  },
  MKT: {
    title: 'Launch plan: Aurora',
    parent: 'Launches',
    paragraphs: [
      'Aurora launches in six weeks. Sign-ups since the teaser campaign are charted below.',
      'The launch runs in three waves: press, partners, then the public announcement.',
      'Rate the draft messaging before the review on Thursday.',
      'Pick the hero image for the landing page.',
      'The full asset list lives in the shared drive.',
    ],
    issue: { type: 'Story', summary: 'Landing page for the Aurora launch', priority: 'Medium', status: 'In review' },
  },
};

const spaceName = (key) => SPACES.find((s) => s.key === key)?.name ?? key;

function viewerLabel(state) {
  const names = { licensed: 'Licensed user', guest: 'Guest', anonymous: 'Anonymous visitor', customer: 'Portal customer', unlicensed: 'Unlicensed user' };
  let label = names[state.viewer] ?? state.viewer;
  if (state.viewer === 'guest') label += ` of ${state.guestSpace}`;
  if (['licensed', 'unlicensed'].includes(state.viewer) && state.admin !== 'none') label += ` \u00b7 ${state.admin} admin`;
  return label;
}

function initials(state) {
  return { licensed: 'LU', guest: 'GU', anonymous: '?', customer: 'CU', unlicensed: 'UU' }[state.viewer] ?? '?';
}

/** One module slot, declared for render-gate and not loaded. */
function slot(mod, cx) {
  const attrs = {
    class: `rg-slot rg-slot--${cx.region}`,
    'data-rg-app': mod.app,
    'data-rg-module': mod.key,
    'data-rg-src': moduleSrc(mod.app, mod.type, mod.key),
    'data-rg-title': `${mod.title} (${mod.appName})`,
    'data-rg-context': JSON.stringify(cx.context),
    dataset: { type: mod.type, region: cx.region },
  };
  if (cx.facts && Object.keys(cx.facts).length) attrs['data-rg-facts'] = JSON.stringify(cx.facts);
  const el = h('div', attrs);
  if (cx.region === 'other') el.append(h('p', { class: 'rg-slot__caption' }, `${mod.title} \u00b7 ${mod.type}`));
  return el;
}

function slotsFor(modules, region, cx) {
  return modules.filter((m) => m.region === region).map((m) => slot(m, { ...cx, region }));
}

function otherSection(modules, cx, note) {
  const slots = slotsFor(modules, 'other', cx);
  if (!slots.length) return null;
  return h(
    'section',
    { class: 'host-other', 'aria-label': 'Modules shown elsewhere in the product' },
    h('h4', { class: 'host-other__title' }, 'Elsewhere in the product'),
    h('p', { class: 'host-other__note' }, note),
    h('div', { class: 'host-other__grid' }, slots),
  );
}

function topbar(product, state) {
  const isJira = product === 'jira';
  return h(
    'div',
    { class: 'host-topbar' },
    h('span', { class: 'host-logo', 'aria-hidden': 'true' }, isJira ? '\u25c6' : '\u2248'),
    h('span', { class: 'host-product' }, isJira ? 'Jira' : 'Confluence'),
    h('span', { class: 'host-nav' }, isJira ? 'Your work \u00b7 Projects \u00b7 Filters \u00b7 Dashboards' : 'Home \u00b7 Recent \u00b7 Spaces \u00b7 Apps'),
    h('span', { class: 'host-search', 'aria-hidden': 'true' }, 'Search'),
    h(
      'span',
      { class: 'host-user', title: `Viewing as: ${viewerLabel(state)}` },
      h('span', { class: `host-avatar host-avatar--${state.viewer}`, 'aria-hidden': 'true' }, initials(state)),
      h('span', { class: 'host-user__label' }, viewerLabel(state)),
    ),
  );
}

/** The mock Confluence page for `state.space`, with every module placed. */
function confluencePage(state, modules, facts) {
  const page = PAGES[state.space] ?? PAGES.ENG;
  const cx = { context: { contentType: 'page' }, facts };
  const macros = slotsFor(modules, 'body', cx);
  const body = [];
  page.paragraphs.forEach((p, i) => {
    body.push(h('p', {}, p));
    if (macros[i]) body.push(macros[i]);
  });
  body.push(...macros.slice(page.paragraphs.length));
  const bylineItems = slotsFor(modules, 'byline', cx);
  const panels = slotsFor(modules, 'panels', cx);

  return h(
    'div',
    { class: 'host host--confluence', 'data-product': 'confluence' },
    topbar('confluence', state),
    h(
      'div',
      { class: 'cf-layout' },
      h(
        'nav',
        { class: 'cf-sidebar', 'aria-label': 'Space navigation (mock)' },
        h('p', { class: 'cf-space' }, h('span', { class: 'cf-space__icon', 'aria-hidden': 'true' }, state.space.slice(0, 1)), spaceName(state.space)),
        h('ul', { class: 'cf-tree' }, h('li', {}, 'Overview'), h('li', {}, page.parent), h('li', { class: 'is-current', 'aria-current': 'page' }, page.title), h('li', {}, 'Meeting notes'), h('li', {}, 'How-to articles')),
      ),
      h(
        'article',
        { class: 'cf-page', 'aria-labelledby': 'cf-page-title' },
        h('div', { class: 'cf-banner' }, slotsFor(modules, 'banner', cx)),
        h(
          'div',
          { class: 'cf-page__top' },
          h('p', { class: 'cf-breadcrumbs' }, `${spaceName(state.space)} / ${page.parent}`),
          h(
            'div',
            { class: 'cf-toolbar', role: 'group', 'aria-label': 'Page actions (mock)' },
            h('span', { class: 'host-btn' }, 'Edit'),
            h('span', { class: 'host-btn' }, 'Share'),
            slotsFor(modules, 'toolbar', cx),
            h('span', { class: 'host-btn host-btn--icon', 'aria-hidden': 'true' }, '\u22ef'),
          ),
        ),
        h('h3', { id: 'cf-page-title', class: 'cf-title' }, page.title),
        h(
          'div',
          { class: 'cf-byline' },
          h('span', { class: 'host-avatar host-avatar--author', 'aria-hidden': 'true' }, 'DW'),
          h('span', {}, 'By Dana Whitfield'),
          h('span', { class: 'cf-byline__sep', 'aria-hidden': 'true' }, '\u00b7'),
          h('span', {}, 'Last updated 3 hours ago'),
          bylineItems.length ? h('span', { class: 'cf-byline__sep cf-byline__sep--items', 'aria-hidden': 'true' }, '\u00b7') : null,
          bylineItems,
        ),
        h('div', { class: 'cf-body' }, body),
        otherSection(modules, cx, 'Pages, admin screens and background modules of these apps, gated here so that you can see their decisions.'),
      ),
      h('aside', { class: 'cf-panels', 'aria-label': 'Page panels (mock)' }, h('h4', { class: 'cf-panels__title' }, 'Page details'), h('p', { class: 'cf-panels__meta' }, 'Owned by Dana Whitfield \u00b7 5 min read'), panels),
    ),
  );
}

/** The mock Jira issue view for `state.space` (a project key). */
function jiraPage(state, modules, facts) {
  const { issue } = PAGES[state.space] ?? PAGES.ENG;
  const issueKey = `${state.space}-42`;
  const cx = { context: { issueType: issue.type, issueKey, projectType: 'software' }, facts };
  const field = (name, value) => h('div', { class: 'jr-field' }, h('dt', {}, name), h('dd', {}, value));
  return h(
    'div',
    { class: 'host host--jira', 'data-product': 'jira' },
    topbar('jira', state),
    h(
      'div',
      { class: 'jr-layout' },
      h(
        'article',
        { class: 'jr-main', 'aria-labelledby': 'jr-summary' },
        h('p', { class: 'jr-breadcrumbs' }, `Projects / ${spaceName(state.space)} / `, h('span', { class: `jr-type jr-type--${issue.type.toLowerCase()}` }, issue.type), ` ${issueKey}`),
        h('h3', { id: 'jr-summary', class: 'jr-summary' }, issue.summary),
        h(
          'div',
          { class: 'jr-actions', role: 'group', 'aria-label': 'Issue actions (mock)' },
          h('span', { class: 'host-btn' }, 'Attach'),
          h('span', { class: 'host-btn' }, 'Add a child issue'),
          h('span', { class: 'host-btn' }, 'Link issue'),
          slotsFor(modules, 'actions', cx),
        ),
        h('h4', { class: 'jr-heading' }, 'Description'),
        h('p', { class: 'jr-description' }, PAGES[state.space]?.paragraphs[0] ?? ''),
        h('div', { class: 'jr-panels' }, slotsFor(modules, 'main', cx)),
        h('h4', { class: 'jr-heading' }, 'Activity'),
        h('div', { class: 'jr-tabs', 'aria-hidden': 'true' }, h('span', { class: 'is-current' }, 'Comments'), h('span', {}, 'History'), h('span', {}, 'Work log')),
        h('div', { class: 'jr-activity' }, h('p', { class: 'jr-comment' }, h('strong', {}, 'Sam Ortiz'), ' \u00b7 I can reproduce it on staging with any gift card.'), slotsFor(modules, 'activity', cx)),
        otherSection(modules, cx, 'Project pages, global pages, admin screens and background modules of these apps.'),
      ),
      h(
        'aside',
        { class: 'jr-side', 'aria-label': 'Issue details (mock)' },
        h('p', { class: 'jr-status' }, h('span', { class: 'host-btn host-btn--primary' }, `${issue.status} \u25be`)),
        h('div', { class: 'jr-context' }, slotsFor(modules, 'context', cx)),
        h(
          'section',
          { class: 'jr-details', 'aria-label': 'Details' },
          h('h4', { class: 'jr-heading' }, 'Details'),
          h('dl', {}, field('Assignee', 'Sam Ortiz'), field('Reporter', 'Dana Whitfield'), field('Priority', issue.priority), field('Labels', 'checkout, payments')),
        ),
      ),
    ),
  );
}

/** The mock page for the state, with `modules` (from `modulesOf`) placed by type. */
export function buildHostPage(state, modules, facts) {
  const placed = modules.map((m) => ({ ...m, region: regionOf(state.product, m.type) }));
  return state.product === 'jira' ? jiraPage(state, placed, facts) : confluencePage(state, placed, facts);
}
