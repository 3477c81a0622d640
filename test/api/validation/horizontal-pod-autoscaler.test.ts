/**
 * HorizontalPodAutoscaler validation (pkg/apis/autoscaling/validation/validation.go at 1.35): a
 * realistic manifest with every metric source and a behavior passes; each mistake is reported at
 * upstream's path with its message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultHorizontalPodAutoscaler } from '../../../src/api/defaults/horizontal-pod-autoscaler.js';
import { formatFieldError } from '../../../src/api/field-errors.js';
import type { HorizontalPodAutoscaler } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import { validateHorizontalPodAutoscaler } from '../../../src/api/validation/horizontal-pod-autoscaler.js';
import { validators } from '../../../src/api/validation/index.js';

function realistic(patch: (h: HorizontalPodAutoscaler) => void = () => {}): HorizontalPodAutoscaler {
  const h: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
        { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } },
        { type: 'External', external: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '0.05' },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      },
    },
  };
  patch(h);
  defaultHorizontalPodAutoscaler(h);
  return h;
}

const errors = (h: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): string[] => validateHorizontalPodAutoscaler(h, old).map(formatFieldError);

describe('validateHorizontalPodAutoscaler', () => {
  it('is the API server’s HorizontalPodAutoscaler validator', () => assert.equal(validators.HorizontalPodAutoscaler, validateHorizontalPodAutoscaler));

  it('accepts a realistic HPA with all five metric sources and a behavior', () => assert.deepEqual(errors(realistic()), []));

  const cases: [string, (h: HorizontalPodAutoscaler) => void, string][] = [
    ['minReplicas 0 without HPAScaleToZero', (h) => (h.spec.minReplicas = 0), 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
    ['maxReplicas 0', (h) => (h.spec.maxReplicas = 0), 'spec.maxReplicas: Invalid value: 0: must be greater than 0'],
    ['maxReplicas below minReplicas', (h) => (h.spec.maxReplicas = 1), 'spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`'],
    ['a target without a kind', (h) => (h.spec.scaleTargetRef.kind = ''), 'spec.scaleTargetRef.kind: Required value'],
    ['a target name with a slash', (h) => (h.spec.scaleTargetRef.name = 'a/b'), "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'"],
    ['an unknown metric type', (h) => ((h.spec.metrics![0] as { type: string }).type = 'Resources'), 'spec.metrics[0].type: Unsupported value: "Resources": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
    ['a metric with two sources', (h) => (h.spec.metrics![2].resource = { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } }), 'spec.metrics[2].resource: Forbidden: must populate the given metric source only'],
    ['a type without its source', (h) => (h.spec.metrics![0] = { type: 'Pods' }), 'spec.metrics[0].pods: Required value: must populate information for the given metric source'],
    ['utilization 0', (h) => (h.spec.metrics![0].resource!.target.averageUtilization = 0), 'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0'],
    ['a resource target with both forms', (h) => (h.spec.metrics![0].resource!.target.averageValue = '200m'), 'spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization'],
    ['a bad target type', (h) => ((h.spec.metrics![0].resource!.target as { type: string }).type = 'Percent'), 'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue'],
    ['a negative value', (h) => (h.spec.metrics![3].object!.target.value = '-1'), 'spec.metrics[3].object.target.value: Invalid value: "-1": must be positive'],
    ['a pods metric without averageValue', (h) => (h.spec.metrics![2].pods!.target = { type: 'Value', value: '1' }), 'spec.metrics[2].pods.target.averageValue: Required value: must specify a positive target averageValue'],
    ['an external target with both', (h) => (h.spec.metrics![4].external!.target.value = '1'), 'spec.metrics[4].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target'],
    ['a container resource without a container', (h) => (h.spec.metrics![1].containerResource!.container = ''), 'spec.metrics[1].containerResource.container: Required value: must specify a container'],
    ['a non-standard container resource', (h) => (h.spec.metrics![1].containerResource!.name = 'gpus'), 'spec.metrics[1].containerResource.name: Invalid value: "gpus": must be a standard resource for containers'],
    ['a metric without a name', (h) => (h.spec.metrics![2].pods!.metric.name = ''), 'spec.metrics[2].pods.metric.name: Required value: must specify a metric name'],
    ['a negative stabilization window', (h) => (h.spec.behavior!.scaleUp!.stabilizationWindowSeconds = -1), 'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero'],
    ['a window over an hour', (h) => (h.spec.behavior!.scaleDown!.stabilizationWindowSeconds = 3601), 'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600'],
    ['an unknown selectPolicy', (h) => ((h.spec.behavior!.scaleUp as { selectPolicy: string }).selectPolicy = 'Maximum'), 'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Maximum": supported values: "Disabled", "Max", "Min"'],
    ['no policies', (h) => (h.spec.behavior!.scaleDown!.policies = []), 'spec.behavior.scaleDown.policies: Required value: must specify at least one Policy'],
    ['a policy period over 30 minutes', (h) => (h.spec.behavior!.scaleDown!.policies![0].periodSeconds = 1801), 'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800'],
    ['a policy value of 0', (h) => (h.spec.behavior!.scaleUp!.policies![0].value = 0), 'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero'],
    ['an unknown policy type', (h) => ((h.spec.behavior!.scaleUp!.policies![0] as { type: string }).type = 'Replicas'), 'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Replicas": supported values: "Percent", "Pods"'],
    ['a negative tolerance', (h) => (h.spec.behavior!.scaleUp!.tolerance = '-0.1'), 'spec.behavior.scaleUp.tolerance: Invalid value: "-0.1": must be greater than or equal to 0'],
  ];
  for (const [what, patch, message] of cases) {
    it(`refuses ${what}`, () => assert.ok(errors(realistic(patch)).includes(message), `expected "${message}" among ${JSON.stringify(errors(realistic(patch)))}`));
  }

  it('reports an empty metric type as required and unsupported, as upstream', () => {
    const got = errors(realistic((h) => (h.spec.metrics = [{ type: '' as 'Pods' }])));
    assert.equal(got.filter((e) => e === 'spec.metrics[0].type: Required value: must specify a metric source type').length, 1);
    assert.equal(got.filter((e) => e.startsWith('spec.metrics[0].type: Unsupported value: ""')).length, 2);
  });

  it('keeps minReplicas 0 on update when the stored HPA already had it (scale-to-zero objects stay editable)', () => {
    const zero = realistic((h) => {
      h.spec.minReplicas = 0;
    });
    assert.ok(errors(zero).includes('spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'));
    assert.ok(!errors(zero, zero).some((e) => e.startsWith('spec.minReplicas')));
  });

  it('requires an Object or External metric to scale to zero', () => {
    const zero = realistic((h) => {
      h.spec.minReplicas = 0;
      h.spec.metrics = [h.spec.metrics![0]];
    });
    assert.ok(errors(zero, zero).includes('spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas'));
  });
});
