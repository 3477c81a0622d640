/**
 * Random node joins, removals, labels, taints, cordons and rolling updates: never two pods on a node
 * without surge (terminating ones included), convergence, and a status equal to a full recount.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { getControllerOf, isPodTerminal } from '../../src/api/pod-util.js';
import type { ControllerRevision } from '../../src/api/types/controller-revision.js';
import type { DaemonSet } from '../../src/api/types/daemonset.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { getTargetNodeName, getTemplateGeneration } from '../../src/controllers/daemonset/daemonset-util.js';
import { nodeShouldRunDaemonPod } from '../../src/controllers/daemonset/node-should-run.js';
import { addCounts, nodeStatusCounts, zeroCounts } from '../../src/controllers/daemonset/status.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 100);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

type Step =
  | { kind: 'join'; count: number; slow: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'label'; pick: number; disabled: boolean }
  | { kind: 'taint'; pick: number; effect: 'NoSchedule' | 'NoExecute' | 'none' }
  | { kind: 'cordon'; pick: number }
  | { kind: 'update' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), count: fc.integer({ min: 1, max: 2 }), slow: fc.boolean() }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('label' as const), pick: fc.nat(), disabled: fc.boolean() }),
  fc.record({ kind: fc.constant('taint' as const), pick: fc.nat(), effect: fc.constantFrom('NoSchedule' as const, 'NoExecute' as const, 'none' as const) }),
  fc.record({ kind: fc.constant('cordon' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('update' as const) }),
);

const params = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  nodes: fc.integer({ min: 1, max: 4 }),
  surge: fc.boolean(),
  budget: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom('25%', '50%', '100%')),
  gapSeconds: fc.integer({ min: 1, max: 40 }),
  steps: fc.array(step, { minLength: 1, maxLength: 8 }),
});

type Params = typeof params extends fc.Arbitrary<infer P> ? P : never;

/**
 * With surge, minReadySeconds can stall a rollout as it does upstream: a node's old pod goes once
 * its new pod is available, but nothing wakes the controller then if another pod's requeue was
 * already pending (the work queue keeps the earlier one) — upstream waits for the informer resync,
 * 12 to 24 hours later. So surge runs use 0, and the others exercise minReadySeconds.
 */
const minReadySeconds = (p: Params): number => (p.surge ? 0 : 2);

/** The scenario for `p`; node names are tracked so every action names a node that exists then. */
function scenario(p: Params): string {
  const live = Array.from({ length: p.nodes }, (_, i) => `pool-a-${i}`);
  let next = p.nodes;
  let image = 1;
  const events: string[] = [];
  p.steps.forEach((s, i) => {
    const at = `${30 + i * p.gapSeconds}s`;
    const node = live.length > 0 ? live[('pick' in s ? s.pick : 0) % live.length] : undefined;
    switch (s.kind) {
      case 'join':
        events.push(`    - {at: ${at}, addNodes: {pool: pool-a, count: ${s.count}${s.slow ? ', readyAfter: 20s' : ''}}}`);
        for (let k = 0; k < s.count; k++) live.push(`pool-a-${next++}`);
        return;
      case 'remove':
        if (node === undefined) return;
        events.push(`    - {at: ${at}, removeNode: {node: ${node}}}`);
        live.splice(live.indexOf(node), 1);
        return;
      case 'label':
        if (node !== undefined) events.push(`    - {at: ${at}, patch: {target: node/${node}, merge: {metadata: {labels: {logging: ${s.disabled ? 'disabled' : 'null'}}}}}}`);
        return;
      case 'taint': {
        const taints = s.effect === 'none' ? '[]' : `[{key: maintenance, value: "true", effect: ${s.effect}}]`;
        if (node !== undefined) events.push(`    - {at: ${at}, patch: {target: node/${node}, merge: {spec: {taints: ${taints}}}}}`);
        return;
      }
      case 'cordon':
        if (node !== undefined) events.push(`    - {at: ${at}, cordon: {node: ${node}}}`);
        return;
      case 'update':
        image = image === 3 ? 1 : image + 1;
        events.push(`    - {at: ${at}, setImage: {target: daemonset/agent, image: "agent:${image}"}}`);
    }
  });
  const budget = typeof p.budget === 'string' ? `"${p.budget}"` : String(p.budget);
  const rollingUpdate = p.surge ? `{maxUnavailable: 0, maxSurge: ${budget}}` : `{maxUnavailable: ${budget}}`;
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: daemonset-property}
spec:
  seed: ${p.seed}
  duration: ${30 + p.steps.length * p.gapSeconds + 240}s
  sampleInterval: 30s
  cluster:
    nodePools:
      - {name: pool-a, count: ${p.nodes}, capacity: {cpu: "8", memory: 32Gi}}
  images:
    "*": {pull: {uniform: {min: 1s, max: 6s}}, start: 1s, ready: {uniform: {min: 0s, max: 5s}}, stop: {uniform: {min: 0s, max: 4s}}}
  events:
${events.length > 0 ? events.join('\n') : '    []'}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  minReadySeconds: ${minReadySeconds(p)}
  updateStrategy: {type: RollingUpdate, rollingUpdate: ${rollingUpdate}}
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 5
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: logging, operator: NotIn, values: [disabled]}]}]
      containers:
        - name: agent
          image: "agent:1"
          resources: {requests: {cpu: 50m, memory: 32Mi}}
          readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2}
`;
}

/** The DaemonSet's pods that are not terminal, by target node, from the API server's truth. */
function podsByNode(cluster: SimCluster, ds: DeepReadonly<DaemonSet>): Map<string, DeepReadonly<Pod>[]> {
  const byNode = new Map<string, DeepReadonly<Pod>[]>();
  for (const pod of cluster.api.list<Pod>('Pod')) {
    if (getControllerOf(pod.metadata)?.uid !== ds.metadata.uid || isPodTerminal(pod)) continue;
    const node = getTargetNodeName(pod) ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

test('a DaemonSet never runs two pods on a node without surge, converges, and keeps an exact status', () => {
  fc.assert(
    fc.property(params, (p) => {
      const text = scenario(p);
      let cluster: SimCluster | undefined;
      const violations: string[] = [];
      const limit = p.surge ? 2 : 1;
      runScenario(loadText(text), {
        instrument: (c) => {
          cluster = c;
          c.api.observe((commit) => {
            if (commit.object.kind !== 'Pod' || commit.type === 'DELETED') return;
            const ds = c.api.get<DaemonSet>('DaemonSet', 'default', 'agent');
            const node = getTargetNodeName(commit.object as DeepReadonly<Pod>);
            if (ds === undefined || node === undefined) return;
            // With surge, terminating pods do not count (upstream surges past them: "deleted pods
            // do not count as unavailable so that updates make progress").
            const pods = (podsByNode(c, ds).get(node) ?? []).filter((pod) => !p.surge || pod.metadata.deletionTimestamp === undefined);
            if (pods.length > limit) violations.push(`t=${c.sim.now}ms: ${pods.length} pods on ${node}`);
          });
        },
      });
      assert.deepEqual(violations, [], `seed ${p.seed}\n${text}`);
      const c = cluster as SimCluster;
      const ds = c.api.get<DaemonSet>('DaemonSet', 'default', 'agent') as DeepReadonly<DaemonSet>;
      const revisions = [...c.api.list<ControllerRevision>('ControllerRevision')].sort((a, b) => b.revision - a.revision);
      const hash = revisions[0].metadata.labels?.['controller-revision-hash'] ?? '';
      const byNode = podsByNode(c, ds);
      const totals = zeroCounts();
      for (const node of c.api.list<Node>('Node')) {
        const decision = nodeShouldRunDaemonPod(node, ds);
        const pods = byNode.get(node.metadata.name) ?? [];
        addCounts(totals, nodeStatusCounts(decision.shouldRun, pods, { minReadySeconds: minReadySeconds(p), hash, templateGeneration: getTemplateGeneration(ds), now: c.sim.now }), 1);
        if (decision.shouldRun) {
          assert.equal(pods.length, 1, `one pod on eligible ${node.metadata.name}\n${text}`);
          assert.equal(pods[0].metadata.labels?.['controller-revision-hash'], hash, `${node.metadata.name} runs the final template\n${text}`);
        }
      }
      const s = ds.status;
      assert.deepEqual(
        [s?.desiredNumberScheduled, s?.currentNumberScheduled, s?.numberMisscheduled, s?.numberReady, s?.numberAvailable, s?.updatedNumberScheduled],
        [totals.desired, totals.current, totals.misscheduled, totals.ready, totals.available, totals.updated],
        `status matches a full recount\n${text}`,
      );
    }),
    { numRuns: runs, seed, includeErrorInReport: true },
  );
});
