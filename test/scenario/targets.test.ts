import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTarget, parseSelector, parseSelectorString, parseTarget } from '../../src/scenario/targets.js';
import { assertScenarioError, locatorIn } from './assert-scenario-error.js';

const { at } = locatorIn('spec:\n  target: x\n', ['spec', 'target']);

describe('parseTarget', () => {
  it('accepts what kubectl accepts before the slash: kind, singular, plural, short name, any case', () => {
    const web = { kind: 'Deployment', name: 'web', namespace: 'default' };
    for (const text of ['deploy/web', 'Deployment/web', 'deployment/web', 'deployments/web', 'DEPLOY/web']) assert.deepEqual(parseTarget(text, undefined, at), web, text);
    assert.deepEqual(parseTarget('rs/x', undefined, at), { kind: 'ReplicaSet', name: 'x', namespace: 'default' });
    assert.deepEqual(parseTarget('po/p-1', 'team', at), { kind: 'Pod', name: 'p-1', namespace: 'team' });
    assert.deepEqual(parseTarget('svc/web', undefined, at), { kind: 'Service', name: 'web', namespace: 'default' });
  });

  it('gives cluster-scoped kinds no namespace, whatever is passed', () => {
    assert.deepEqual(parseTarget('node/n', undefined, at), { kind: 'Node', name: 'n', namespace: '' });
    assert.deepEqual(parseTarget('no/pool-a-1', 'team', at), { kind: 'Node', name: 'pool-a-1', namespace: '' });
  });

  it('restricts kinds when the action does, naming the ones it takes', () => {
    assertScenarioError(() => parseTarget('node/n', undefined, at, ['Deployment', 'ReplicaSet']), {
      line: 2, column: 11, message: /this action does not apply to Nodes/, hint: /it takes deployment\/<name> or replicaset\/<name>/,
    });
  });

  it('refuses what is not kind/name, at the value', () => {
    for (const text of ['web', 'deployment/', '/web', 'a/b/c']) {
      assertScenarioError(() => parseTarget(text, undefined, at), { line: 2, column: 11, message: /is not a target/, hint: /<kind>\/<name>/ });
    }
    assertScenarioError(() => parseTarget(3, undefined, at), { line: 2, column: 11, message: /expected a target such as "deployment\/web", got 3/ });
  });

  it('refuses an unknown kind with the nearest one', () => {
    assertScenarioError(() => parseTarget('statefulsett/db', undefined, at), { message: /unknown kind "statefulsett"/ });
    assertScenarioError(() => parseTarget('deploymnt/web', undefined, at), { message: /unknown kind "deploymnt"/, hint: /did you mean "deployment"\?/ });
  });

  it('formats targets as kubectl does, with -n outside the default namespace', () => {
    assert.equal(formatTarget({ kind: 'Deployment', name: 'web', namespace: 'default' }), 'deployment/web');
    assert.equal(formatTarget({ kind: 'Deployment', name: 'web', namespace: 'team' }), 'deployment/web -n team');
    assert.equal(formatTarget({ kind: 'Node', name: 'n', namespace: '' }), 'node/n');
  });
});

describe('parseSelectorString', () => {
  it('reads equality, inequality, set-based, existence and non-existence terms', () => {
    assert.deepEqual(parseSelectorString('app=web,tier!=db', at), {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    });
    assert.deepEqual(parseSelectorString('env in (a,b)', at), { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] });
    assert.deepEqual(parseSelectorString('env notin (a, b)', at), { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }] });
    assert.deepEqual(parseSelectorString('!canary', at), { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] });
    assert.deepEqual(parseSelectorString('canary', at), { matchExpressions: [{ key: 'canary', operator: 'Exists' }] });
  });

  it('accepts ==, spaces, prefixed keys, and commas inside a set', () => {
    assert.deepEqual(parseSelectorString(' app == web , app.kubernetes.io/name=web,env in (a,b),x', at), {
      matchLabels: { app: 'web', 'app.kubernetes.io/name': 'web' },
      matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }],
    });
  });

  it('refuses what kubectl refuses, showing the syntax', () => {
    for (const text of ['', 'app=web,,x', 'a=b=c', 'a in b', 'a in (b', '=x', 'a b']) {
      assertScenarioError(() => parseSelectorString(text, at), { line: 2, column: 11, message: /cannot parse/, hint: /"app=web,tier!=db", "env in \(prod,qa\)", "canary", "!canary"/ });
    }
    assertScenarioError(() => parseSelectorString('!app=web', at), { message: /"!" only negates a bare key/ });
  });
});

describe('parseSelector', () => {
  it('takes kubectl text, a LabelSelector mapping, or a plain label map', () => {
    assert.deepEqual(parseSelector('app=web', at), { matchLabels: { app: 'web' } });
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] };
    assert.deepEqual(parseSelector(selector, at), selector);
    assert.deepEqual(parseSelector({ app: 'web', tier: 'db' }, at), { matchLabels: { app: 'web', tier: 'db' } });
  });

  it('refuses other shapes and stray keys next to matchLabels', () => {
    assertScenarioError(() => parseSelector(['app=web'], at), { message: /expected a selector such as "app=web"/ });
    assertScenarioError(() => parseSelector({ matchLabels: {}, matchLabel: {} }, at), { message: /unknown key "matchLabel"/, hint: /did you mean "matchLabels"\?/ });
    assertScenarioError(() => parseSelector({ replicas: 3 }, at), { message: /expected a label value \(a string\), got 3/ });
  });
});
