/**
 * HorizontalPodAutoscaler defaults (pkg/apis/autoscaling/v2/defaults.go): minReplicas 1, CPU at
 * 80 % without metrics, a partial behavior completed field by field from
 * GenerateHPAScaleUpRules / GenerateHPAScaleDownRules (scale-down's window left to the
 * controller), no behavior left absent, and idempotence on a frozen, already-defaulted object.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaulters } from '../../../src/api/defaults/index.js';
import { defaultHorizontalPodAutoscaler, generateHPAScaleDownRules, generateHPAScaleUpRules } from '../../../src/api/defaults/horizontal-pod-autoscaler.js';
import type { HorizontalPodAutoscaler } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import { deepFreeze } from '../../../src/util/objects.js';

function hpa(edit?: (h: HorizontalPodAutoscaler) => void): HorizontalPodAutoscaler {
  const h: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10 },
  };
  edit?.(h);
  return h;
}

describe('defaultHorizontalPodAutoscaler', () => {
  it('is the API server’s HorizontalPodAutoscaler defaulter', () => assert.equal(defaulters.HorizontalPodAutoscaler, defaultHorizontalPodAutoscaler));

  it('defaults minReplicas 1 and one CPU metric at 80 % of request, and no behavior', () => {
    const h = hpa();
    defaultHorizontalPodAutoscaler(h);
    assert.equal(h.spec.minReplicas, 1);
    assert.deepEqual(h.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal(h.spec.behavior, undefined);
  });

  it('keeps given metrics and minReplicas; an empty metrics list gets the CPU default', () => {
    const given = hpa((h) => {
      h.spec.minReplicas = 3;
      h.spec.metrics = [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }];
    });
    defaultHorizontalPodAutoscaler(given);
    assert.equal(given.spec.minReplicas, 3);
    assert.equal(given.spec.metrics?.[0].type, 'Pods');
    const empty = hpa((h) => (h.spec.metrics = []));
    defaultHorizontalPodAutoscaler(empty);
    assert.equal(empty.spec.metrics?.[0].resource?.name, 'cpu');
  });

  it('completes a behavior that sets only scale-down: scale-up gets 4 pods or 100 % per 15 s, window 0, Max', () => {
    const h = hpa((x) => (x.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } }));
    defaultHorizontalPodAutoscaler(h);
    assert.deepEqual(h.spec.behavior?.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    assert.deepEqual(h.spec.behavior?.scaleDown, { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  it('leaves scale-down’s stabilization window unset (the controller’s flag applies)', () => {
    const h = hpa((x) => (x.spec.behavior = { scaleUp: { selectPolicy: 'Min' } }));
    defaultHorizontalPodAutoscaler(h);
    assert.equal(h.spec.behavior?.scaleDown?.stabilizationWindowSeconds, undefined);
    assert.equal(h.spec.behavior?.scaleUp?.selectPolicy, 'Min');
    assert.equal(h.spec.behavior?.scaleUp?.policies?.length, 2, 'policies from the defaults');
  });

  it('takes each field the user set over the default’s, including policies and tolerance', () => {
    const up = generateHPAScaleUpRules({ policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], tolerance: '0.05' });
    assert.deepEqual(up, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], tolerance: '0.05' });
    const down = generateHPAScaleDownRules({ selectPolicy: 'Disabled' });
    assert.deepEqual(down, { selectPolicy: 'Disabled', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  it('leaves an already-defaulted, frozen object untouched', () => {
    const h = hpa((x) => (x.spec.behavior = {}));
    defaultHorizontalPodAutoscaler(h);
    const frozen = deepFreeze(structuredClone(h));
    assert.doesNotThrow(() => defaultHorizontalPodAutoscaler(frozen));
    assert.deepEqual(frozen, h);
  });
});
