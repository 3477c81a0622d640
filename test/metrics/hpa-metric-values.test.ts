/** hpaMetricValues: one timeline row per readable metric of an HPA's status, named by what it measures. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HorizontalPodAutoscaler } from '../../src/api/types/horizontal-pod-autoscaler.js';
import { hpaMetricValues } from '../../src/metrics/hpa-metric-values.js';

const hpa = (currentMetrics: NonNullable<HorizontalPodAutoscaler['status']>['currentMetrics']): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
  status: { desiredReplicas: 2, currentMetrics },
});

describe('hpaMetricValues', () => {
  it('names every source and writes quantities as decimals', () => {
    const rows = hpaMetricValues(
      hpa([
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 73, averageValue: '365m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '256Mi' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'proxy', current: { averageUtilization: 40, averageValue: '40m' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '20500m' } } },
        { type: 'Object', object: { metric: { name: 'hits' }, current: { value: '2k' } } },
        { type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '3' } } },
        { type: '' },
      ]),
    );
    assert.deepEqual(rows, [
      ['cpu/utilization', 73],
      ['memory/averageValue', 268435456],
      ['proxy/cpu/utilization', 40],
      ['pods/qps/averageValue', 20.5],
      ['object/hits/value', 2000],
      ['external/queue/averageValue', 3],
    ]);
  });

  it('no status, no rows', () => assert.deepEqual(hpaMetricValues({ ...hpa(undefined), status: undefined }), []));
});
