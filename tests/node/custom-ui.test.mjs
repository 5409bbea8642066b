// render-gate/custom-ui: an app gates its own sub-views from the context it receives.
import test from 'node:test';
import assert from 'node:assert/strict';
import './helpers.mjs'; // initSync: the entry's init() then has nothing left to do
import { gateForConnect, gateForForge } from '../../js/custom-ui.js';

const jiraApp = {
  product: 'jira',
  apps: [{
    key: 'com.acme.sync', name: 'Acme Sync', framework: 'forge',
    manifest: { modules: {
      'jira:issuePanel': [{ key: 'panel' }],
      'jira:issueAction': [{ key: 'export', allowGuests: false }],
    } },
  }],
};

const forgeContext = (user) => ({
  accountId: 'u1', accountType: 'licensed', locale: 'en-US', cloudId: 'c', moduleKey: 'panel',
  extension: { type: 'jira:issuePanel', project: { key: 'ENG', id: '1' }, issue: { key: 'ENG-1' } },
  ...(user ? { user } : {}),
});

test('a Jira guest sees the panel but not the action the app keeps from guests', async () => {
  const ui = await gateForForge(jiraApp, forgeContext({ isJiraGuest: true }));
  assert.equal(ui.host.viewer.type, 'guest');
  assert.equal(ui.host.space, 'ENG');
  assert.equal(ui.canRender('panel'), true);
  assert.equal(ui.canRender('export'), false);
  assert.equal(ui.decide('export').reason, 'guest-blocked');
});

test('a licensed user sees both', async () => {
  const ui = await gateForForge(jiraApp, forgeContext({ isJiraGuest: false }));
  assert.equal(ui.canRender('export'), true);
});

test('a context that cannot tell who is looking fails closed with a clear error', async () => {
  await assert.rejects(gateForForge(jiraApp, forgeContext(undefined)), /isJiraGuest/);
  await assert.rejects(gateForForge(jiraApp, null), /context must be an object/);
  await assert.rejects(gateForConnect(jiraApp, { jira: { project: { key: 'ENG' } } }), /cannot tell whether the viewer is a guest/);
});

test('Connect: Confluence external collaborators get the product placeholder', async () => {
  const config = {
    product: 'confluence',
    apps: [{ key: 'com.acme.charts', name: 'Acme Charts', framework: 'connect',
      descriptor: { modules: { dynamicContentMacros: [{ key: 'chart' }] } } }],
  };
  const ui = await gateForConnect(config, { confluence: { space: { key: 'DOCS' } }, user: { external_collaborator: true } });
  assert.equal(ui.canRender('chart'), false);
  assert.match(ui.placeholderHtml('chart'), /Confluence does not allow access to this content for guest users/);
  const several = { ...config, apps: [...config.apps, { ...config.apps[0], key: 'other' }] };
  await assert.rejects(gateForConnect(several, { user: { external_collaborator: false } }), /options\.app/);
});
