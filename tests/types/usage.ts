// Type-checked with `tsc --noEmit -p tests/types`: the generated .d.ts must describe the
// API precisely enough for this to compile, and the @ts-expect-error lines must fail.
import init, { Gate, validate } from '../../pkg/render_gate.js';
import type { Decision, DecisionRequest, GateConfig, ValidationResult, MacroRef, ReasonCode } from '../../pkg/render_gate.js';

export async function demo(): Promise<string> {
  await init();
  const config: GateConfig = {
    product: 'jira',
    guestMode: 'opt-in',
    onMissingFacts: 'pending',
    locale: 'de',
    messages: { de: { 'guest-blocked': '{product} erlaubt das nicht' } },
    apps: [{
      key: 'com.acme.sync', name: 'Acme Sync', framework: 'forge',
      manifest: { modules: { 'jira:issuePanel': [{ key: 'panel', displayConditions: { or: [{ isJiraGuest: true }, { isLoggedIn: true }] }, unlicensedAccess: ['anonymous'] }] } },
    }],
    policies: [{ id: 'p1', name: 'Finance', spaces: ['FIN'], appAccess: 'block-only', apps: ['com.acme.sync'] }],
  };
  const report: ValidationResult = validate(config);
  const gate = new Gate(config);
  const request: DecisionRequest = {
    viewer: { type: 'guest', guestSpace: 'ENG', permissions: [] },
    app: 'com.acme.sync', module: 'panel', space: 'ENG',
    context: { issueType: 'Bug', properties: { issue: { flag: true } } },
    facts: { feature_flag: true }, explain: true,
  };
  const one: Decision = gate.decide(request);
  const all: Decision[] = gate.decideAll([request, request]);
  const reason: ReasonCode = one.reason;
  const macros: MacroRef[] = gate.discoverableMacros({ type: 'licensed' }, 'ENG');
  const steps = one.trace?.steps.map((s) => `${s.rule}:${s.result}`) ?? [];
  // @ts-expect-error: unknown product
  const bad: GateConfig = { product: 'trello', apps: [] };
  // @ts-expect-error: viewer type is a closed set
  gate.decide({ viewer: { type: 'admin' }, app: 'a', module: 'm' });
  // @ts-expect-error: outcome is a closed set
  const o: Decision['outcome'] = 'maybe';
  void bad; void o;
  return [report.errors.length, all.length, reason, macros.length, steps.join(','), gate.placeholderHtml(one), gate.warnings.length].join(' ');
}
