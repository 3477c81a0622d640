/**
 * The `autoscaler` expectation as the loader reads it: the HPA target (short name `hpa`), the
 * bounds and comparisons, and each mistake at its line and column.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScenarioError } from './assert-scenario-error.js';
import { deployment, load, loading, scenario } from './scenario-files.js';

const hpa = (namespace = 'default') =>
  `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: ${namespace}}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n`;
const expect = (line: string, namespace?: string) => scenario(`  duration: 10m\n  expect:\n    - ${line}\n`, [deployment('web', 1), hpa(namespace)]);

describe('autoscaler expectation', () => {
  it('reads target, after, reaches, within, bounds and comparisons', () => {
    const s = load(expect('autoscaler: {target: hpa/web, after: 1m, reaches: 8, within: 5m, minReplicas: 2, maxReplicas: 10, directionChanges: "<= 2", rescales: "> 0"}'));
    assert.deepEqual(s.expectations[0].expectation, {
      type: 'autoscaler',
      target: { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'default' },
      afterMs: 60_000,
      reaches: 8,
      withinMs: 300_000,
      minReplicas: 2,
      maxReplicas: 10,
      directionChanges: { op: '<=', value: 2 },
      rescales: { op: '>', value: 0 },
    });
    assert.equal(s.expectations[0].label, 'autoscaler horizontalpodautoscaler/web');
  });

  it('takes a bare number as "at most", and "=" as "=="', () => {
    const s = load(expect('autoscaler: {target: horizontalpodautoscaler/web, namespace: shop, directionChanges: 0, rescales: "= 3"}', 'shop'));
    const e = s.expectations[0].expectation as { directionChanges: unknown; rescales: unknown; target: { namespace: string } };
    assert.deepEqual([e.directionChanges, e.rescales, e.target.namespace], [{ op: '<=', value: 0 }, { op: '==', value: 3 }, 'shop']);
  });

  it('refuses a target that is not an HPA, an empty expectation, within without reaches, a bad comparison', () => {
    assertScenarioError(loading(expect('autoscaler: {target: deployment/web, maxReplicas: 3}')), { line: 7, column: 28, message: /this action does not apply to Deployments/, hint: /horizontalpodautoscaler\/<name>/ });
    assertScenarioError(loading(expect('autoscaler: {target: hpa/web}')), { line: 7, column: 7, message: /needs "reaches", "minReplicas", "maxReplicas", "directionChanges" or "rescales"/ });
    assertScenarioError(loading(expect('autoscaler: {target: hpa/web, within: 5m, maxReplicas: 3}')), { line: 7, message: /"within" times "reaches"/ });
    assertScenarioError(loading(expect('autoscaler: {target: hpa/web, directionChanges: "at most 2"}')), { line: 7, message: /expected a comparison such as "<= 2"/ });
    assertScenarioError(loading(expect('autoscaler: {target: hpa/web, minReplicas: 5, maxReplicas: 3}')), { line: 7, message: /"maxReplicas" must not be below "minReplicas"/ });
    assertScenarioError(loading(expect('autoscaler: {target: hpa/web, reach: 3}')), { line: 7, message: /unknown key "reach"/, hint: /reaches/ });
  });
});

describe('hpa targets', () => {
  it('hpa/web names a HorizontalPodAutoscaler in actions too', () => {
    const s = load(scenario('  duration: 10m\n  events:\n    - at: 1m\n      patch: {target: hpa/web, merge: {spec: {maxReplicas: 20}}}\n', [deployment('web', 1), hpa()]));
    assert.deepEqual((s.events[0].action as { target: unknown }).target, { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'default' });
  });
});
