// App presets for the playground's editor: the `apps` part of a render-gate config
// (Connect descriptors and Forge manifests), plus where each app's mock pages live.
//
// Every app gets its own path prefix under /apps/ so that a test (or you, in the network
// panel) can tell whether anything of that app was fetched.

/** App key -> folder under www/apps/ (each holds module.html). */
export const APP_DIRS = {
  'com.acme.charts': 'acme-charts',
  'io.zen.diagrams': 'zen-diagrams',
  'com.northwind.forms': 'northwind-forms',
  'com.pageinsights.analytics': 'page-insights',
  'io.pulse.polls': 'pulse-polls',
  'io.chrono.time': 'chrono-time',
  'com.acme.insights': 'acme-insights',
  'io.guestnotes.notes': 'guest-notes',
  'com.radar.releases': 'release-radar',
};

/** Apps typed into the editor that have no folder of their own share this one. */
export const CUSTOM_APP_DIR = 'custom';

/** The path prefix every request of an app starts with. */
export function appPrefix(appKey) {
  return `/apps/${APP_DIRS[appKey] ?? CUSTOM_APP_DIR}/`;
}

/** The URL of the mock page a module's iframe loads. */
export function moduleSrc(appKey, moduleType, moduleKey) {
  const q = new URLSearchParams({ type: moduleType, key: moduleKey });
  if (!APP_DIRS[appKey]) q.set('app', appKey);
  return `${appPrefix(appKey)}module.html?${q}`;
}

// ---------------------------------------------------------------------------------------
// Confluence apps

const acmeCharts = (extra = {}) => ({
  key: 'com.acme.charts',
  name: 'Acme Charts',
  framework: 'connect',
  ...extra.app,
  descriptor: {
    name: 'Acme Charts',
    baseUrl: 'https://charts.acme.example',
    modules: {
      dynamicContentMacros: [{ key: 'chart-macro', name: { value: 'Chart' }, url: '/macro?page={page.id}', ...extra.macro }],
      contentBylineItems: [{ key: 'chart-count', name: { value: '3 charts' }, conditions: [{ condition: 'user_is_logged_in' }] }],
    },
  },
});

const zenDiagrams = (extra = {}) => ({
  key: 'io.zen.diagrams',
  name: 'Zen Diagrams',
  framework: 'forge',
  ...extra.app,
  manifest: {
    modules: {
      macro: [{ key: 'diagram', title: 'Diagram', resource: 'main', ...extra.macro }],
      'confluence:contentBylineItem': [{ key: 'diagram-status', title: 'Diagrams up to date', resource: 'byline' }],
    },
  },
});

const northwindForms = (extra = {}) => ({
  key: 'com.northwind.forms',
  name: 'Northwind Forms',
  framework: 'connect',
  ...extra.app,
  descriptor: {
    name: 'Northwind Forms',
    modules: {
      staticContentMacros: [{ key: 'survey', name: { value: 'Survey' }, url: '/survey' }],
      webPanels: [
        {
          key: 'responses',
          location: 'atl.general',
          name: { value: 'Survey responses' },
          url: '/responses',
          conditions: extra.panelConditions ?? [{ condition: 'user_is_logged_in' }],
        },
      ],
    },
  },
});

const pageInsights = (extra = {}) => ({
  key: 'com.pageinsights.analytics',
  name: 'Page Insights',
  framework: 'connect',
  ...extra.app,
  descriptor: {
    name: 'Page Insights',
    modules: {
      contentBylineItems: [{ key: 'views', name: { value: '128 views' } }],
      webPanels: [
        {
          key: 'insights',
          location: 'atl.general',
          name: { value: 'Reader insights (space admins)' },
          conditions: extra.panelConditions ?? [{ condition: 'user_is_space_admin' }],
        },
      ],
      webItems: [{ key: 'export-pdf', location: 'system.content.action', name: { value: 'Export with insights' } }],
    },
  },
});

const pulsePolls = (extra = {}) => ({
  key: 'io.pulse.polls',
  name: 'Pulse Polls',
  framework: 'forge',
  ...extra.app,
  manifest: {
    modules: {
      macro: [{ key: 'poll', title: 'Poll', resource: 'poll', unlicensedAccess: ['anonymous'], ...extra.macro }],
    },
  },
});

// ---------------------------------------------------------------------------------------
// Jira apps

const chronoTime = (extra = {}) => ({
  key: 'io.chrono.time',
  name: 'Chrono Time Tracking',
  framework: 'forge',
  ...extra.app,
  manifest: {
    modules: {
      'jira:issueGlance': [{ key: 'time-glance', title: 'Time logged', label: '3h 20m' }],
      'jira:issueAction': [{ key: 'log-time', title: 'Log time' }],
      'jira:issueActivity': [{ key: 'worklog', title: 'Work log' }],
    },
  },
});

const acmeInsights = (extra = {}) => ({
  key: 'com.acme.insights',
  name: 'Acme Insights for Jira',
  framework: 'connect',
  ...extra.app,
  descriptor: {
    name: 'Acme Insights',
    modules: {
      jiraIssueGlances: [{ key: 'risk-glance', name: { value: 'Risk score' }, content: { type: 'label', label: { value: 'Low' } } }],
      webPanels: [
        {
          key: 'risk-panel',
          location: 'atl.jira.view.issue.right.context',
          name: { value: 'Risk details' },
          conditions: [{ condition: 'user_is_logged_in' }],
        },
      ],
      webItems: [{ key: 'export-item', location: 'operations-top-level', name: { value: 'Export risk report' } }],
    },
  },
});

const guestNotes = (displayConditions) => ({
  key: 'io.guestnotes.notes',
  name: 'Guest Notes',
  framework: 'forge',
  manifest: {
    modules: {
      'jira:issuePanel': [
        displayConditions === undefined
          ? { key: 'notes-panel', title: 'Shared notes' }
          : { key: 'notes-panel', title: 'Shared notes', displayConditions },
      ],
    },
  },
});

const releaseRadar = () => ({
  key: 'com.radar.releases',
  name: 'Release Radar',
  framework: 'forge',
  manifest: {
    modules: {
      'jira:issueContext': [{ key: 'release-context', title: 'Release' }],
      'jira:issuePanel': [{ key: 'bug-impact', title: 'Bug impact', displayConditions: { issueType: 'Bug' } }],
    },
  },
});

/**
 * Presets: `apps` is the editor's content. `hint` says what to look at.
 * Ids are stable: they travel in shared links.
 */
export const PRESETS = [
  {
    id: 'confluence-site',
    product: 'confluence',
    label: 'Typical Confluence site',
    hint: 'Five apps: Connect and Forge macros, byline items, web panels and a web item. View it as a guest to see RFC-9 at work.',
    apps: [acmeCharts(), zenDiagrams(), northwindForms(), pageInsights(), pulsePolls()],
  },
  {
    id: 'confluence-guest-opt-in',
    product: 'confluence',
    label: 'Apps that opt guests in or out',
    hint: 'Acme Charts allows guests on its macro, Zen Diagrams allows guests app-wide, Northwind Forms blocks them. Set the guest mode to opt-in or allow and view as a guest.',
    apps: [
      acmeCharts({ macro: { allowGuests: true } }),
      zenDiagrams({ app: { guestAccess: 'allow' } }),
      northwindForms({ app: { guestAccess: 'block' } }),
      pageInsights(),
      pulsePolls(),
    ],
  },
  {
    id: 'confluence-conditions',
    product: 'confluence',
    label: 'Conditions and host facts',
    hint: 'Page Insights waits for a host fact (`insights_enabled`): supply it under "Host facts". Northwind\'s panel has an always-true tree, and Acme\'s macro declares conditions Confluence ignores. Try "pending" for missing facts.',
    apps: [
      acmeCharts({ macro: { conditions: [{ condition: 'user_is_logged_in' }] } }),
      zenDiagrams(),
      northwindForms({
        panelConditions: [{ or: [{ condition: 'user_is_admin' }, { condition: 'user_is_admin', invert: true }] }],
      }),
      pageInsights({ panelConditions: [{ condition: 'insights_enabled' }, { condition: 'user_is_logged_in' }] }),
      pulsePolls(),
    ],
  },
  {
    id: 'confluence-broken',
    product: 'confluence',
    label: 'Broken descriptor (validation errors)',
    hint: 'A typo in a framework, an unknown field and a duplicate module key: the config does not compile, so the page loads nothing at all (fail closed).',
    apps: [
      { ...acmeCharts(), framework: 'conect' },
      { ...zenDiagrams(), guestaccess: 'allow' },
      {
        key: 'com.northwind.forms',
        name: 'Northwind Forms',
        framework: 'connect',
        descriptor: { modules: { staticContentMacros: [{ key: 'survey' }, { key: 'survey' }] } },
      },
    ],
  },
  {
    id: 'jira-site',
    product: 'jira',
    label: 'Typical Jira site',
    hint: 'Issue glances, panels, an activity tab, a context panel, actions and web items from four apps. Release Radar\'s "Bug impact" panel only shows on bugs.',
    apps: [chronoTime(), acmeInsights(), guestNotes(), releaseRadar()],
  },
  {
    id: 'jira-isjiraguest-pitfall',
    product: 'jira',
    label: 'RFC-112 pitfall: isJiraGuest alone',
    hint: 'Guest Notes wanted guests to see its issue panel too, so it declared `isJiraGuest` as its only display condition: now every licensed user loses the panel. The guest-condition-alone warning catches it; the fix is an `or` with `isLicensed`, or `invert: true` to block guests.',
    apps: [chronoTime(), acmeInsights(), guestNotes([{ condition: 'isJiraGuest' }]), releaseRadar()],
  },
  {
    id: 'jira-guests-blocked',
    product: 'jira',
    label: 'Apps that keep guests out',
    hint: 'Guest Notes hides its panel from guests with an inverted `isJiraGuest`; Chrono blocks guests app-wide (`guestAccess: "block"`). View it as a guest of the project.',
    apps: [
      chronoTime({ app: { guestAccess: 'block' } }),
      acmeInsights(),
      guestNotes([{ condition: 'isJiraGuest', invert: true }]),
      releaseRadar(),
    ],
  },
];

export const DEFAULT_PRESET = { confluence: 'confluence-site', jira: 'jira-site' };

export function presetById(id) {
  return PRESETS.find((p) => p.id === id);
}
