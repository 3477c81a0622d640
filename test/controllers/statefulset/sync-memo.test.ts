/**
 * A Parallel StatefulSet syncs from what its last sync saw (sync-memo.ts) and processes only the
 * pods that changed; upstream's sync looks at every pod. For random sets and histories — scaling,
 * template changes, partitions, failing pods, claim retention policies, minReadySeconds, deletion,
 * pods orphaned (adopted again), taken by another controller or relabelled (released) — the two
 * must make exactly the same writes at the same instants: every commit of a run with the memo is
 * compared with a run of the same history where every sync takes the full pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { WatchEvent } from '../../../src/cluster/api-server.js';
import type { Pod } from '../../../src/api/types/pod.js';
import type { StatefulSet } from '../../../src/api/types/statefulset.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector/garbage-collector.js';
import { StatefulSetController } from '../../../src/controllers/statefulset/statefulset-controller.js';
import { volumeBinder } from '../../../src/controllers/volume-binder/volume-binder.js';
import { canonicalJson } from '../../../src/util/objects.js';
import { isApiError } from '../../../src/errors.js';
import { fakeKubelet, newWorkloadCluster, setPodStatus, updateSpec } from '../workload-harness.js';
import { newStatefulSet } from './builders.js';

const runs = Number(process.env.FC_RUNS ?? 40);
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;

type Action =
  | { readonly at: number; readonly kind: 'scale'; readonly replicas: number }
  | { readonly at: number; readonly kind: 'image'; readonly image: string }
  | { readonly at: number; readonly kind: 'partition'; readonly partition: number }
  | { readonly at: number; readonly kind: 'fail' | 'orphan' | 'steal' | 'relabel'; readonly ordinal: number }
  | { readonly at: number; readonly kind: 'delete' };

interface History {
  readonly replicas: number;
  readonly claims: boolean;
  readonly whenScaled: 'Retain' | 'Delete';
  readonly whenDeleted: 'Retain' | 'Delete';
  readonly minReadySeconds: number;
  readonly maxUnavailable: number;
  readonly onDelete: boolean;
  readonly readyMs: number;
  readonly stopMs: number;
  readonly actions: readonly Action[];
}

/** Another controller's reference, put on a pod of the set behind its back. */
const THIEF = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'thief', uid: 'thief-uid', controller: true };

const at = fc.integer({ min: 1, max: 240 }).map((s) => s * 1000);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ at, kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ at, kind: fc.constant('image' as const), image: fc.constantFrom('db:1', 'db:2', 'db:3') }),
  fc.record({ at, kind: fc.constant('partition' as const), partition: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ at, kind: fc.constantFrom('fail' as const, 'orphan' as const, 'steal' as const, 'relabel' as const), ordinal: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ at, kind: fc.constant('delete' as const) }),
);
const history: fc.Arbitrary<History> = fc.record({
  replicas: fc.integer({ min: 0, max: 8 }),
  claims: fc.boolean(),
  whenScaled: fc.constantFrom('Retain' as const, 'Delete' as const),
  whenDeleted: fc.constantFrom('Retain' as const, 'Delete' as const),
  minReadySeconds: fc.constantFrom(0, 0, 2, 5),
  maxUnavailable: fc.integer({ min: 1, max: 3 }),
  onDelete: fc.boolean(),
  readyMs: fc.integer({ min: 0, max: 6000 }),
  stopMs: fc.integer({ min: 0, max: 3000 }),
  actions: fc.array(action, { maxLength: 8 }),
});

/** Every commit of the run, in order, with its instant and the whole object. */
function commits(h: History, incremental: boolean): string[] {
  const cluster = newWorkloadCluster({ controllers: [(ctx, queue) => new StatefulSetController(ctx, queue, incremental), volumeBinder, garbageCollector] });
  fakeKubelet(cluster, { node: 'n1', readyAfterMs: h.readyMs, terminateAfterMs: h.stopMs });
  const log: string[] = [];
  cluster.api.observe((commit: WatchEvent) => log.push(`${cluster.sim.now} ${commit.type} ${canonicalJson(commit.object)}`));
  const set = newStatefulSet('db', {
    replicas: h.replicas,
    podManagementPolicy: 'Parallel',
    type: h.onDelete ? 'OnDelete' : 'RollingUpdate',
    maxUnavailable: h.onDelete ? undefined : h.maxUnavailable,
    minReadySeconds: h.minReadySeconds,
    claims: h.claims ? ['data'] : undefined,
    whenScaled: h.whenScaled,
    whenDeleted: h.whenDeleted,
  });
  cluster.api.create(set);
  for (const a of h.actions) {
    cluster.sim.schedule(a.at, () => {
      const pod = 'ordinal' in a ? cluster.api.get<Pod>('Pod', 'default', `db-${a.ordinal}`) : undefined;
      if (!('ordinal' in a) && cluster.api.get('StatefulSet', 'default', 'db') === undefined) return;
      try {
        if (a.kind === 'scale') updateSpec<StatefulSet>(cluster.api, 'StatefulSet', 'db', (s) => void (s.spec.replicas = a.replicas));
        else if (a.kind === 'image') updateSpec<StatefulSet>(cluster.api, 'StatefulSet', 'db', (s) => void (s.spec.template.spec.containers[0].image = a.image));
        else if (a.kind === 'partition') {
          updateSpec<StatefulSet>(cluster.api, 'StatefulSet', 'db', (s) => {
            if (s.spec.updateStrategy?.rollingUpdate) s.spec.updateStrategy.rollingUpdate.partition = a.partition;
          });
        } else if ('ordinal' in a) {
          if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return;
          if (a.kind === 'fail') setPodStatus(cluster, pod.metadata.name, 'Failed', false);
          else if (a.kind === 'orphan') cluster.api.update<Pod>({ ...(pod as Pod), metadata: { ...(pod.metadata as Pod['metadata']), ownerReferences: [] } });
          else if (a.kind === 'steal') cluster.api.update<Pod>({ ...(pod as Pod), metadata: { ...(pod.metadata as Pod['metadata']), ownerReferences: [THIEF] } });
          else cluster.api.update<Pod>({ ...(pod as Pod), metadata: { ...(pod.metadata as Pod['metadata']), labels: { ...pod.metadata.labels, app: 'other' } } });
        } else {
          cluster.api.delete('StatefulSet', 'default', 'db');
        }
      } catch (error) {
        // The set may be gone, or being deleted: the API server refuses, alike in both runs.
        if (!isApiError(error)) throw error;
      }
    });
  }
  cluster.sim.run({ until: 300_000 });
  return log;
}

describe('Parallel StatefulSet syncs from their memo', () => {
  it('make the same writes at the same instants as full syncs', () => {
    fc.assert(
      fc.property(history, (h) => {
        const full = commits(h, false);
        const memo = commits(h, true);
        assert.ok(full.length > 0);
        // The first difference, not the whole logs, keeps a failure readable.
        const first = full.findIndex((line, i) => memo[i] !== line);
        assert.equal(first === -1 && memo.length === full.length, true, `first difference at commit ${first}:\n full: ${full[first]}\n memo: ${memo[first]}`);
      }),
      { numRuns: runs, seed },
    );
  });

  it('a larger set rolled one pod at a time: the same writes', () => {
    // 60 replicas rolled one at a time: many syncs, each with a pod or two changed.
    const h: History = {
      replicas: 60, claims: true, whenScaled: 'Delete', whenDeleted: 'Retain', minReadySeconds: 2, maxUnavailable: 1, onDelete: false,
      readyMs: 1500, stopMs: 500, actions: [{ at: 30_000, kind: 'image', image: 'db:2' }, { at: 200_000, kind: 'scale', replicas: 40 }],
    };
    const full = commits(h, false);
    assert.ok(full.length > 500, `${full.length} commits`);
    assert.deepEqual(commits(h, true), full);
  });
});
