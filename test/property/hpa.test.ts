/**
 * The HorizontalPodAutoscaler on a whole simulated cluster (Deployment and ReplicaSet controllers,
 * scheduler, kubelets) with a load-driven metrics client (test/controllers/hpa/load-metrics.ts),
 * for random bounds, initial sizes, loads, tolerances and `behavior`:
 *
 * - every count the HPA sets is within [minReplicas, maxReplicas];
 * - under a constant load the count settles and stops changing;
 * - no scale-down leaves the count below a recommendation made within the scale-down
 *   stabilization window (5 minutes without behavior, the behavior's own otherwise).
 *
 * Replay a failure with FC_SEED=<seed> (and FC_RUNS) as fast-check prints it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior } from '../../src/api/types/horizontal-pod-autoscaler.js';
import type { HorizontalController } from '../../src/controllers/hpa/hpa-controller.js';
import type { SimEvent } from '../../src/cluster/event-log.js';
import { LoadMetrics } from '../controllers/hpa/load-metrics.js';
import { deploymentManifest, tinyCluster } from '../sim/harness.js';

const runs = Number(process.env.FC_RUNS ?? 25);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

const MIN = 60_000;
/** Each pod requests 100m. */
const REQUEST_MILLI = 100;

const policy = fc.record({
  type: fc.constantFrom('Pods' as const, 'Percent' as const),
  value: fc.integer({ min: 1, max: 200 }),
  periodSeconds: fc.integer({ min: 15, max: 60 }),
});

const rules = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 300 }),
    selectPolicy: fc.constantFrom('Max' as const, 'Min' as const),
    policies: fc.array(policy, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const behavior: fc.Arbitrary<HorizontalPodAutoscalerBehavior | undefined> = fc.option(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), { nil: undefined });

const params = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    minReplicas: fc.integer({ min: 1, max: 4 }),
    span: fc.integer({ min: 0, max: 12 }),
    initial: fc.integer({ min: 1, max: 20 }),
    target: fc.integer({ min: 30, max: 90 }),
    /** Total demand in pods' worth of requests (×100m), changing at the given minutes. */
    loads: fc.array(fc.record({ atMinute: fc.integer({ min: 0, max: 30 }), pods: fc.integer({ min: 0, max: 25 }) }), { minLength: 1, maxLength: 4 }),
    behavior,
  })
  .map((p) => ({ ...p, maxReplicas: p.minReplicas + p.span }));

type Params = typeof params extends fc.Arbitrary<infer P> ? P : never;

function hpaManifest(p: Params): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: p.target } } }],
      ...(p.behavior !== undefined ? { behavior: structuredClone(p.behavior) } : {}),
    },
  };
}

/** A cluster of 4 nodes running Deployment web and HPA web under `demand` (millicores at t). */
function run(p: Params, demand: (t: number) => number, minutes: number, onRescale?: (event: SimEvent, controller: HorizontalController) => void) {
  const web = deploymentManifest('web', { replicas: p.initial });
  web.spec.template.spec.containers[0].resources = { requests: { cpu: `${REQUEST_MILLI}m` } };
  const tiny = tinyCluster({ nodes: 4, seed: p.seed, manifests: [web, hpaManifest(p)] });
  new LoadMetrics(tiny.cluster, demand).install();
  const controller = tiny.cluster.controllers.find((r) => r.controller.name === 'horizontal-pod-autoscaler')?.controller as HorizontalController;
  const rescales: SimEvent[] = [];
  tiny.cluster.events.subscribe((event) => {
    if (event.type !== 'HPARescale') return;
    rescales.push(event);
    onRescale?.(event, controller);
  });
  tiny.runTo(minutes * 60);
  return { tiny, rescales, controller };
}

function stepDemand(p: Params): (t: number) => number {
  const steps = [...p.loads].sort((a, b) => a.atMinute - b.atMinute);
  return (t) => {
    let pods = 0;
    for (const s of steps) if (s.atMinute * MIN <= t) pods = s.pods;
    return pods * REQUEST_MILLI;
  };
}

test('the HPA never sets a count outside [minReplicas, maxReplicas]', () => {
  fc.assert(
    fc.property(params, (p) => {
      const { tiny, rescales } = run(p, stepDemand(p), 45);
      for (const r of rescales) {
        const to = Number(r.fields?.to);
        assert.ok(to >= p.minReplicas && to <= p.maxReplicas, `t=${r.t}s: set ${to}, outside [${p.minReplicas}, ${p.maxReplicas}]`);
      }
      const replicas = tiny.deployment().spec.replicas ?? 1;
      assert.ok(replicas >= p.minReplicas && replicas <= p.maxReplicas, `ended at ${replicas}`);
    }),
    { numRuns: runs, seed },
  );
});

test('under a constant load the count settles and stops changing', () => {
  fc.assert(
    fc.property(params, (p) => {
      const load = p.loads[0].pods * REQUEST_MILLI;
      const { tiny, rescales } = run(p, () => load, 60);
      const late = rescales.filter((r) => r.t > 45 * 60);
      assert.deepEqual(late.map((r) => `t=${r.t}: ${r.fields?.from}→${r.fields?.to}`), [], 'no rescale in the last 15 minutes');
      const replicas = tiny.deployment().spec.replicas ?? 1;
      assert.ok(replicas >= p.minReplicas && replicas <= p.maxReplicas);
    }),
    { numRuns: runs, seed },
  );
});

test('no scale-down goes below a recommendation of the scale-down stabilization window', () => {
  fc.assert(
    fc.property(params, (p) => {
      const windowMs = (p.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300) * 1000;
      const violations: string[] = [];
      run(p, stepDemand(p), 45, (event, controller) => {
        const from = Number(event.fields?.from);
        const to = Number(event.fields?.to);
        if (to >= from || event.fields?.reason !== 'All metrics below target') return;
        const now = Math.round(event.t * 1000);
        const recent = (controller.histories.get('default/web')?.recommendations ?? []).filter((r) =>
          // Without behavior the window includes its start; with behavior it does not (upstream's Before/After).
          p.behavior === undefined ? r.timestamp >= now - windowMs : r.timestamp > now - windowMs,
        );
        for (const r of recent) {
          if (Math.min(r.recommendation, p.maxReplicas) > to) violations.push(`t=${event.t}s: ${from}→${to} below the recommendation ${r.recommendation} of t=${r.timestamp / 1000}s`);
        }
      });
      assert.deepEqual(violations, []);
    }),
    { numRuns: runs, seed },
  );
});
