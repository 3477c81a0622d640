/**
 * Random node failures (stopped or partitioned, by node or zone, healed or not) under workloads
 * with random tolerationSeconds: no pod is ever evicted before its toleration of the node's taint
 * has expired, a pod that tolerates the taint forever is never evicted, and a node that heals in
 * time (before grace period + monitor period + 300 s) never loses a pod.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Node } from '../../src/api/types/node.js';
import type { Pod } from '../../src/api/types/pod.js';
import { toleratesTaint } from '../../src/api/taints.js';
import { runScenario } from '../../src/sim/run.js';
import { loadText } from '../helpers/scenarios.js';

const runs = Number(process.env.FC_RUNS ?? 40);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

const fault = fc.record({
  atSeconds: fc.integer({ min: 30, max: 400 }),
  target: fc.oneof(fc.record({ node: fc.integer({ min: 0, max: 5 }) }), fc.record({ zone: fc.constantFrom('a', 'b') })),
  mode: fc.constantFrom('stopped', 'partitioned'),
  /** Seconds until it heals; none: it stays down. */
  healAfter: fc.option(fc.integer({ min: 5, max: 700 }), { nil: undefined }),
});

const params = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  replicas: fc.integer({ min: 2, max: 8 }),
  /** The workload's unreachable / not-ready toleration: seconds, forever (null) or the default (undefined). */
  toleration: fc.option(fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constant(null)), { nil: undefined }),
  faults: fc.array(fault, { minLength: 1, maxLength: 3 }),
});

type Params = typeof params extends fc.Arbitrary<infer P> ? P : never;

/** Nodes a-0 … a-2 in zone a, b-0 … b-2 in zone b; faults that would overlap on a node are dropped. */
function scenarioText(p: Params): string {
  const down = new Map<string, [number, number]>();
  const nodesOf = (t: Params['faults'][number]['target']) => ('node' in t ? [`${t.node < 3 ? 'a' : 'b'}-${t.node % 3}`] : [0, 1, 2].map((i) => `${t.zone}-${i}`));
  const events: string[] = [];
  for (const f of [...p.faults].sort((x, y) => x.atSeconds - y.atSeconds)) {
    const nodes = nodesOf(f.target);
    const end = f.healAfter === undefined ? Infinity : f.atSeconds + f.healAfter;
    if (nodes.some((n) => { const w = down.get(n); return w !== undefined && f.atSeconds <= w[1] && end >= w[0]; })) continue;
    for (const n of nodes) down.set(n, [f.atSeconds, end]);
    const selector = 'node' in f.target ? `node: ${nodes[0]}` : `zone: ${f.target.zone}`;
    events.push(`    - at: ${f.atSeconds}s\n      failNode: {${selector}, mode: ${f.mode}}`);
    if (f.healAfter !== undefined) events.push(`    - at: ${end}s\n      recoverNode: {${selector}}`);
  }
  const toleration = p.toleration === undefined ? '' : `
      tolerations:
        - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute${p.toleration === null ? '' : `, tolerationSeconds: ${p.toleration}`}}
        - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute${p.toleration === null ? '' : `, tolerationSeconds: ${p.toleration}`}}`;
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: node-failures-property}
spec:
  seed: ${p.seed}
  duration: 25m
  sampleInterval: 1m
  cluster:
    nodePools:
      - {name: a, count: 3, zone: a}
      - {name: b, count: 3, zone: b}
      - {name: c, count: 1, zone: c}
  images:
    app:v1: {pull: 1s, start: 1s, ready: 1s}
  events:
${events.join('\n')}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: ${p.replicas}
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:${toleration}
      containers: [{name: app, image: app:v1, resources: {requests: {cpu: 100m}}}]
`;
}

/**
 * When the node's first NoExecute taint went on, and the shortest tolerationSeconds among the
 * first toleration matching each of them (ms; 0 for an untolerated taint, Infinity: forever).
 */
function tolerated(pod: DeepReadonly<Pod>, node: DeepReadonly<Node>): { since: number; forMs: number } {
  let since = Infinity;
  let forMs = Infinity;
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect !== 'NoExecute') continue;
    since = Math.min(since, taint.timeAdded ?? Infinity);
    const match = (pod.spec.tolerations ?? []).find((t) => toleratesTaint(t, taint));
    forMs = Math.min(forMs, match === undefined ? 0 : match.tolerationSeconds === undefined ? Infinity : Math.max(0, match.tolerationSeconds) * 1000);
  }
  return { since, forMs };
}

test('no pod is evicted before its toleration of the node\'s taint expires; a healed node never loses pods', () => {
  fc.assert(
    fc.property(params, (p) => {
      const text = scenarioText(p);
      const violations: string[] = [];
      const result = runScenario(loadText(text), {
        instrument: (c) => {
          c.events.subscribe((event) => {
            if (event.type !== 'PodEvicted') return;
            const pod = c.api.get<Pod>('Pod', event.namespace, event.name);
            const node = c.api.get<Node>('Node', undefined, event.node ?? '');
            if (pod === undefined || node === undefined) return;
            const { since, forMs } = tolerated(pod, node);
            if (forMs === Infinity) violations.push(`${event.name} evicted at ${event.t}s though it tolerates the taints forever`);
            // The toleration clock starts with the node's first NoExecute taint (`since`).
            if (event.t * 1000 < since + forMs && forMs > 0) violations.push(`${event.name} evicted at ${event.t}s, before ${(since + forMs) / 1000}s`);
          });
        },
      });
      const lines = result.eventLines.map((l) => JSON.parse(l) as { t: number; type: string; name: string; node?: string; action?: string; target?: string; result?: string });
      // A node failed at F and recovered at R < F + 50 s (grace) + 5 s (monitor period) + 300 s
      // (default toleration, the shortest the workload may have when it keeps the default) keeps its pods.
      if (p.toleration === undefined || p.toleration === null) {
        const failedAt = new Map<string, number>();
        for (const l of lines) {
          if (l.type !== 'Action') continue;
          const nodes = (l.result ?? '').split(',').filter((n) => n !== '');
          if (l.action === 'failNode') for (const n of nodes) failedAt.set(n, l.t);
          if (l.action !== 'recoverNode') continue;
          for (const n of nodes) {
            const from = failedAt.get(n);
            if (from === undefined || l.t - from >= 345) continue;
            const lost = lines.filter((x) => (x.type === 'PodEvicted' || x.type === 'PodTerminating') && x.node === n && x.t >= from && x.t <= l.t);
            if (lost.length > 0) violations.push(`node ${n} down ${from}s–${l.t}s lost ${lost.map((x) => x.name).join(', ')}`);
          }
        }
      }
      assert.deepEqual(violations, [], `seed ${p.seed}\n${text}`);
    }),
    { numRuns: runs, seed, includeErrorInReport: true },
  );
});
