// End-to-end tests of the playground (www/) in headless Chromium, served by the Vite dev
// server as `npm start` serves it. They check what a viewer would see (placeholders, hidden
// modules), that a blocked app is never fetched (counted both in the browser and at the
// server), the URL-hash round trip, the lint of the RFC-112 pitfall, and save screenshots
// in test-artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifactsDir, launchBrowser, startServer, watchErrors } from './helpers.mjs';

const GUEST_TEXT = 'Confluence does not allow access to this content for guest users';
const CONFLUENCE_MACROS = [
  ['com.acme.charts', 'chart-macro'],
  ['io.zen.diagrams', 'diagram'],
  ['com.northwind.forms', 'survey'],
  ['io.pulse.polls', 'poll'],
];
const APP_PREFIXES = ['/apps/acme-charts/', '/apps/zen-diagrams/', '/apps/northwind-forms/', '/apps/page-insights/', '/apps/pulse-polls/'];

let server;
let browser;
let artifacts;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  artifacts = await artifactsDir();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the playground (optionally with a scenario hash) and records every request. */
async function open(hash = '') {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1400 });
  const errors = watchErrors(page);
  const requests = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    requests.push(u.pathname + u.search);
  });
  await page.goto(server.url + hash);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return { page, errors, requests };
}

const slot = (app, module) => `#host-root [data-rg-app="${app}"][data-rg-module="${module}"]`;
const count = (list, prefix) => list.filter((u) => u.startsWith(prefix)).length;

async function attrs(page, app, module) {
  return page.$eval(slot(app, module), (el) => ({
    outcome: el.dataset.rgOutcome,
    reason: el.dataset.rgReason,
    policy: el.dataset.rgPolicy ?? null,
    hidden: el.hidden,
    iframes: el.querySelectorAll('iframe').length,
    placeholder: el.querySelector('.rg-placeholder')?.dataset.reason ?? null,
  }));
}

/** Waits until every rendered module's frame has loaded and reported back to the page. */
async function framesLoaded(page) {
  await page.waitForFunction(
    () => {
      const rendered = [...document.querySelectorAll('#decisions .decision[data-outcome="render"]')];
      return rendered.length > 0 && rendered.every((li) => li.dataset.loaded === 'true');
    },
    null,
    { timeout: 30_000 },
  );
}

/** Every declared module's applied decision, in page order. */
function pageDecisions(page) {
  return page.$$eval('#host-root [data-rg-app]', (els) =>
    els.map((el) => [el.dataset.rgApp, el.dataset.rgModule, el.dataset.rgOutcome, el.dataset.rgReason, el.dataset.rgPolicy ?? null]),
  );
}

async function shot(page, name) {
  const path = join(artifacts, name);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

describe('playground', () => {
  test('a licensed user gets every app; a guest gets the Confluence guest placeholder and nothing is fetched', async () => {
    const { page, errors, requests } = await open();
    await framesLoaded(page);
    for (const [app, module] of CONFLUENCE_MACROS) {
      const a = await attrs(page, app, module);
      assert.equal(a.outcome, 'render', `${app}/${module}`);
      assert.equal(a.iframes, 1, `${app}/${module} has its iframe`);
    }
    // The counting works: the apps were fetched for the licensed user (browser and server).
    assert.ok(count(requests, '/apps/acme-charts/') >= 1);
    assert.ok(count(server.requests, '/apps/acme-charts/') >= 1);

    const seenByPage = requests.length;
    const seenByServer = server.requests.length;
    await page.selectOption('#viewer-type', 'guest');
    await page.evaluate(() => {
      window.__events = [];
      document.getElementById('host-root').addEventListener('rg:decision', (e) => window.__events.push(e.detail.outcome));
    });
    await page.selectOption('#guest-space', 'ENG');

    for (const [app, module] of CONFLUENCE_MACROS) {
      const a = await attrs(page, app, module);
      assert.deepEqual([a.outcome, a.reason, a.placeholder, a.iframes], ['placeholder', 'guest-blocked', 'guest-blocked', 0], `${app}/${module}`);
      const text = await page.textContent(`${slot(app, module)} .rg-placeholder .rg-placeholder__text`);
      assert.equal(text, GUEST_TEXT);
    }
    // Fragments vanish; no iframe at all; guests are never admins, so no "Why?".
    for (const [app, module] of [['com.acme.charts', 'chart-count'], ['com.pageinsights.analytics', 'views'], ['com.northwind.forms', 'responses']]) {
      const a = await attrs(page, app, module);
      assert.equal(a.outcome, 'hide');
      assert.equal(a.hidden, true);
    }
    assert.equal(await page.locator('#host-root iframe').count(), 0);
    assert.equal(await page.locator('#host-root .rg-placeholder').count(), 4);
    assert.equal(await page.locator('#host-root .rg-placeholder__why').count(), 0);
    assert.equal(await page.getAttribute('#host-root .rg-placeholder', 'role'), 'note');
    // One bubbling rg:decision event per module of the last mount.
    const events = await page.evaluate(() => window.__events);
    assert.deepEqual([events.length, events.filter((o) => o === 'placeholder').length], [10, 4]);

    await page.waitForTimeout(750);
    for (const prefix of APP_PREFIXES) {
      assert.equal(count(requests.slice(seenByPage), prefix), 0, `no request to ${prefix} after switching to a guest`);
      assert.equal(count(server.requests.slice(seenByServer), prefix), 0, `no request to ${prefix} reached the server`);
    }
    await shot(page, 'playground-confluence-guest.png');

    // The same guest, in a space that is not theirs: everything hides.
    await page.selectOption('#space', 'FIN');
    const away = await attrs(page, 'com.acme.charts', 'chart-macro');
    assert.deepEqual([away.outcome, away.reason, away.hidden], ['hide', 'outside-guest-space', true]);

    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a policy shows the policy placeholder and the blocked app is never fetched', async () => {
    const { page, errors, requests } = await open();
    await framesLoaded(page);
    assert.ok(count(requests, '/apps/acme-charts/') >= 1, 'acme is fetched before the policy');
    await page.selectOption('#admin', 'site'); // admins see the "Why?" disclosure
    await framesLoaded(page); // the frames this remount created are fetched now, not later

    const seenByPage = requests.length;
    const seenByServer = server.requests.length;
    await page.click('#add-policy');
    // A new policy blocks every app in the current space.
    for (const [app, module] of CONFLUENCE_MACROS) {
      const a = await attrs(page, app, module);
      assert.deepEqual([a.outcome, a.reason, a.policy, a.placeholder], ['placeholder', 'blocked-by-policy', 'policy-1', 'blocked-by-policy'], `${app}/${module}`);
    }
    assert.equal(await page.locator('#host-root iframe').count(), 0);

    // Turn it into an allowlist of every app but Acme Charts (each click mounts again).
    await page.selectOption('#policies .policy-access', 'block-all-except');
    for (const key of ['io.zen.diagrams', 'com.northwind.forms', 'com.pageinsights.analytics', 'io.pulse.polls']) {
      await page.check(`#policies .policy-app[value="${key}"]`);
    }
    const acme = await attrs(page, 'com.acme.charts', 'chart-macro');
    assert.deepEqual([acme.outcome, acme.reason, acme.policy, acme.iframes], ['placeholder', 'blocked-by-policy', 'policy-1', 0]);
    const note = page.locator(`${slot('com.acme.charts', 'chart-macro')} .rg-placeholder`);
    assert.equal(await note.getAttribute('data-policy'), 'policy-1');
    assert.equal(await note.getAttribute('data-reason'), 'blocked-by-policy');
    const text = await note.locator('.rg-placeholder__text').textContent();
    assert.match(text, /organization/i);
    assert.match(text, /Acme Charts/);
    // A fragment of the blocked app hides; the other apps render again.
    assert.equal((await attrs(page, 'com.acme.charts', 'chart-count')).outcome, 'hide');
    assert.equal((await attrs(page, 'io.zen.diagrams', 'diagram')).iframes, 1);
    // The site admin gets the trace, in plain words, with the failing rule 4.
    await note.locator('summary').click();
    const steps = await note.locator('.rg-placeholder__why li').allTextContents();
    assert.ok(steps.some((s) => /rule 4: policy “policy-1”/.test(s)), steps.join('\n'));

    await framesLoaded(page);
    assert.equal(count(requests.slice(seenByPage), '/apps/acme-charts/'), 0, 'acme fetched after the policy');
    assert.equal(count(server.requests.slice(seenByServer), '/apps/acme-charts/'), 0, 'acme reached the server after the policy');
    assert.ok(count(requests.slice(seenByPage), '/apps/zen-diagrams/') >= 1, 'the allowed apps load again');

    // The decisions panel agrees with what mount applied, and explains it.
    const card = page.locator('#decisions .decision[data-app="com.acme.charts"][data-module="chart-macro"]');
    assert.equal(await card.getAttribute('data-reason'), 'blocked-by-policy');
    assert.equal(await page.locator('.decision__mismatch').count(), 0);
    await card.locator('summary').click();
    assert.equal(await card.locator('.trace__step[data-result="fail"][data-rule="4"]').count(), 1);
    await shot(page, 'playground-policy.png');

    // A fresh page opened straight on this scenario never fetches the blocked app.
    const hash = await page.evaluate(() => location.hash);
    const second = await open(hash);
    await framesLoaded(second.page);
    assert.equal((await attrs(second.page, 'com.acme.charts', 'chart-macro')).reason, 'blocked-by-policy');
    assert.equal(count(second.requests, '/apps/acme-charts/'), 0);
    assert.ok(count(second.requests, '/apps/zen-diagrams/') >= 1);
    // Still nothing after a switch to another space the policy does not cover, and back.
    await second.page.selectOption('#space', 'MKT');
    assert.equal((await attrs(second.page, 'com.acme.charts', 'chart-macro')).outcome, 'render');
    await second.page.selectOption('#space', 'ENG');
    await second.page.waitForTimeout(500);
    assert.equal((await attrs(second.page, 'com.acme.charts', 'chart-macro')).iframes, 0);

    assert.deepEqual([...errors, ...second.errors], []);
    await second.page.close();
    await page.close();
  });

  test('the URL hash reproduces the whole scenario in a new page', async () => {
    const { page, errors } = await open();
    await page.selectOption('#space', 'FIN');
    await page.selectOption('#viewer-type', 'guest');
    await page.selectOption('#guest-space', 'FIN');
    await page.selectOption('#guest-mode', 'opt-in');
    await page.selectOption('#locale', 'de');
    await page.selectOption('#why', 'always');
    await page.check('#outline');
    await page.click('#add-policy');
    await page.selectOption('#policies .policy-access', 'block-all-except');
    await page.check('#policies .policy-app[value="io.zen.diagrams"]');
    await page.fill('#policies .policy-name', 'Finance lockdown');
    // Edit the apps: Zen Diagrams' macro now allows guests (opt-in mode lets them in).
    const apps = JSON.parse(await page.inputValue('#apps-editor'));
    apps.find((a) => a.key === 'io.zen.diagrams').manifest.modules.macro[0].allowGuests = true;
    await page.fill('#apps-editor', JSON.stringify(apps, null, 2));
    // Both inputs are debounced: wait until the scenario has taken them.
    await page.waitForFunction(() => window.playground.state.policies[0]?.name === 'Finance lockdown');
    await page.waitForFunction(() => window.playground.state.apps?.find((a) => a.key === 'io.zen.diagrams')?.manifest.modules.macro[0].allowGuests === true);

    const controls = (p) =>
      p.evaluate(() => Object.fromEntries(['#product', '#space', '#viewer-type', '#guest-space', '#admin', '#guest-mode', '#missing-facts', '#locale', '#why', '#preset'].map((s) => [s, document.querySelector(s).value])));
    const snapshot = async (p) => ({
      decisions: await pageDecisions(p),
      placeholders: await p.$$eval('#host-root .rg-placeholder', (els) => els.map((e) => [e.dataset.reason, e.dataset.policy ?? null, e.querySelector('.rg-placeholder__text').textContent])),
      state: await p.evaluate(() => window.playground.state),
    });
    const first = await snapshot(page);
    const firstControls = await controls(page);
    // The scenario does what was set up: the policy blocks all but Zen Diagrams in FIN, whose
    // macro opted guests in (its byline item did not), and the texts are German.
    assert.deepEqual(first.decisions.find((d) => d[1] === 'poll'), ['io.pulse.polls', 'poll', 'placeholder', 'blocked-by-policy', 'policy-1']);
    assert.deepEqual(first.decisions.find((d) => d[1] === 'diagram'), ['io.zen.diagrams', 'diagram', 'render', 'allowed', null]);
    assert.deepEqual(first.decisions.find((d) => d[1] === 'diagram-status'), ['io.zen.diagrams', 'diagram-status', 'hide', 'guest-blocked', null]);
    assert.ok(first.placeholders.some(([, , text]) => /Datensicherheitsrichtlinie/.test(text)));
    assert.equal(await page.locator('#host-root .rg-placeholder__why').count(), first.placeholders.length, 'why: always');

    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#s=[A-Za-z0-9_-]+$/);
    const other = await open(hash);
    assert.deepEqual(await snapshot(other.page), first);
    assert.deepEqual(await controls(other.page), firstControls);
    assert.equal(await other.page.inputValue('#apps-editor'), JSON.stringify(apps, null, 2));
    assert.equal(await other.page.inputValue('#policies .policy-name'), 'Finance lockdown');
    assert.equal(await other.page.isChecked('#outline'), true);
    assert.equal(await other.page.evaluate(() => location.hash), hash);

    // Pasting another scenario into the address bar of an open page restores it too.
    const jiraHash = '#s=' + Buffer.from(JSON.stringify({ product: 'jira', viewer: 'guest', guestSpace: 'ENG' })).toString('base64url');
    await other.page.evaluate((h) => (location.hash = h), jiraHash);
    await other.page.waitForFunction(() => document.querySelector('#product').value === 'jira');
    assert.equal(await other.page.inputValue('#viewer-type'), 'guest');
    assert.equal(await other.page.locator('#host-root[data-gated="true"] .host--jira').count(), 1);

    assert.deepEqual([...errors, ...other.errors], []);
    await other.page.close();
  });

  test('the Jira view with the RFC-112 isJiraGuest pitfall preset shows the lint', async () => {
    const { page, errors, requests } = await open();
    await page.selectOption('#preset', 'jira-isjiraguest-pitfall');
    assert.equal(await page.inputValue('#product'), 'jira');
    assert.equal(await page.locator('#host-root .host--jira').count(), 1);
    assert.equal(await page.textContent('#validation-count'), '1');
    await page.click('#tab-validation');
    const lint = page.locator('#validation .diag[data-code="guest-condition-alone"]');
    assert.equal(await lint.count(), 1);
    assert.equal(await lint.getAttribute('data-severity'), 'warning');
    assert.match(await lint.locator('.diag__path').textContent(), /jira:issuePanel\[0\]\.displayConditions/);
    assert.match(await lint.textContent(), /hidden from every licensed user/);
    // The pitfall itself: the panel hides for the licensed user...
    const licensed = await attrs(page, 'io.guestnotes.notes', 'notes-panel');
    assert.deepEqual([licensed.outcome, licensed.reason, licensed.iframes], ['hide', 'conditions-false', 0]);
    await page.check('#outline');
    await framesLoaded(page);
    await shot(page, 'playground-jira.png');
    assert.equal(count(requests, '/apps/guest-notes/'), 0, 'the hidden panel was never fetched');
    // ...and only a guest gets it (Jira's default guest mode is allow).
    await page.selectOption('#viewer-type', 'guest');
    const guest = await attrs(page, 'io.guestnotes.notes', 'notes-panel');
    assert.deepEqual([guest.outcome, guest.reason, guest.iframes], ['render', 'allowed', 1]);
    // The typical Jira preset has no warning.
    await page.selectOption('#preset', 'jira-site');
    assert.equal(await page.textContent('#validation-count'), '');
    assert.equal(await page.locator('#validation .diag').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a config that does not compile gates nothing and loads nothing', async () => {
    const { page, errors, requests } = await open();
    await framesLoaded(page);
    let seen = requests.length;
    await page.selectOption('#preset', 'confluence-broken');
    assert.equal(await page.getAttribute('#host-root', 'data-gated'), 'false');
    assert.equal(await page.locator('#host-root iframe').count(), 0);
    const codes = await page.$$eval('#validation .diag[data-severity="error"]', (els) => els.map((e) => e.dataset.code));
    assert.deepEqual(codes.sort(), ['duplicate-key', 'invalid-value', 'unknown-field']);
    await page.waitForTimeout(300);
    assert.equal(requests.slice(seen).filter((u) => /^\/apps\/(?!_shared)/.test(u)).length, 0);
    // Invalid JSON in the editor fails closed the same way.
    await page.selectOption('#preset', 'confluence-site');
    await framesLoaded(page);
    seen = requests.length;
    await page.fill('#apps-editor', '[{"key": ');
    await page.waitForFunction(() => document.querySelector('#apps-editor').getAttribute('aria-invalid') === 'true');
    assert.equal(await page.getAttribute('#host-root', 'data-gated'), 'false');
    assert.equal(await page.locator('#validation .diag[data-code="json-syntax"]').count(), 1);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#host-root iframe').count(), 0);
    assert.equal(requests.slice(seen).filter((u) => /^\/apps\/(?!_shared)/.test(u)).length, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the macro browser offers only the macros that would render', async () => {
    const { page, errors } = await open();
    await page.click('#tab-macros');
    const offered = () => page.$$eval('#macro-browser .macro-card', (els) => els.map((e) => e.dataset.module));
    assert.deepEqual(await offered(), ['chart-macro', 'diagram', 'survey', 'poll']);
    await page.click('#add-policy');
    await page.selectOption('#policies .policy-access', 'block-only');
    await page.check('#policies .policy-app[value="com.acme.charts"]');
    assert.deepEqual(await offered(), ['diagram', 'survey', 'poll']);
    assert.match(await page.textContent('#macro-browser .macro-withheld'), /blocked-by-policy/);
    await page.fill('#macro-search', 'poll');
    assert.deepEqual(await offered(), ['poll']);
    await page.fill('#macro-search', '');
    await page.selectOption('#viewer-type', 'guest');
    assert.deepEqual(await offered(), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the bench times decideAll on generated modules', async () => {
    const { page, errors } = await open();
    await page.click('#tab-bench');
    await page.selectOption('#bench-n', '1000');
    await page.click('#bench-run');
    const row = page.locator('#bench-results .bench-row[data-n="1000"]');
    await row.waitFor({ timeout: 30_000 });
    const r = await page.evaluate(() => window.playground.bench[0]);
    assert.equal(r.n, 1000);
    assert.ok(r.ms > 0 && Number.isFinite(r.nsPerDecision));
    assert.equal(r.counts.render + r.counts.placeholder + r.counts.hide + r.counts.pending, 1000);
    assert.match(await page.textContent('#bench-status'), /1,000 decisions in [\d.]+ ms/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
