/**
 * kubectl actions on StatefulSets, DaemonSets, Jobs and CronJobs through the ActionExecutor
 * (scale, set image, rollout undo via ControllerRevisions, killPod through one or two controller
 * levels), plus planRevisionRollback on its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision } from '../../src/api/types/controller-revision.js';
import type { CronJob } from '../../src/api/types/cronjob.js';
import type { DaemonSet } from '../../src/api/types/daemonset.js';
import type { Job } from '../../src/api/types/job.js';
import type { DeepReadonly, KubeObject } from '../../src/api/types/meta.js';
import type { Pod, PodTemplateSpec } from '../../src/api/types/pod.js';
import type { StatefulSet } from '../../src/api/types/statefulset.js';
import { getControllerOf } from '../../src/api/pod-util.js';
import { revisionData } from '../../src/controllers/history/controller-history.js';
import { planRevisionRollback } from '../../src/sim/kubectl.js';
import { type EventLine, type Tiny, target, tinyCluster } from './harness.js';

const podTemplate = (app: string, image = 'app:1', extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'main', image }], ...extra },
});

const statefulSet = (name = 'db', replicas = 2): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
  spec: { replicas, serviceName: name, selector: { matchLabels: { app: name } }, template: podTemplate(name) },
} as KubeObject);

const daemonSet = (name = 'agent'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: name } }, template: podTemplate(name) },
} as KubeObject);

const job = (name = 'work', parallelism = 2): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
  spec: { parallelism, completions: parallelism, template: podTemplate(name, 'app:1', { restartPolicy: 'Never' }) },
} as KubeObject);

const cronJob = (name = 'tick'): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
  spec: { schedule: '* * * * *', jobTemplate: { spec: { template: podTemplate(name, 'app:1', { restartPolicy: 'Never' }) } } },
} as KubeObject);

const STS = target('StatefulSet', 'db');
const DS = target('DaemonSet', 'agent');

function outcomes(h: Tiny): Omit<EventLine, 't'>[] {
  return h.events().filter((e) => e.type === 'Action' || e.type === 'ActionFailed').map(({ t: _t, ...rest }) => rest);
}
const last = (h: Tiny) => outcomes(h).at(-1);

/** Live pods whose controller is the named object, by name. */
function podsOf(h: Tiny, kind: string, name: string): DeepReadonly<Pod>[] {
  return h.livePods().filter((p) => {
    const ref = getControllerOf(p.metadata);
    return ref?.kind === kind && ref.name === name;
  }).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}
const imagesOf = (pods: readonly DeepReadonly<Pod>[]) => pods.map((p) => p.spec.containers[0].image);

function revisions(h: Tiny, owner: string): [number, string][] {
  return [...h.cluster.api.list<ControllerRevision>('ControllerRevision')]
    .filter((r) => getControllerOf(r.metadata)?.name === owner)
    .map((r): [number, string] => [r.revision, (r.data as { spec: { template: PodTemplateSpec } }).spec.template.spec.containers[0].image ?? ''])
    .sort((a, b) => a[0] - b[0]);
}

const templateImage = (h: Tiny, kind: string, name: string) => (h.get<StatefulSet>(kind, name)?.spec.template.spec.containers[0].image);

describe('scale a StatefulSet', () => {
  it('sets spec.replicas; the controller adds the next ordinals, then removes the highest', () => {
    const h = tinyCluster({ manifests: [statefulSet('db', 2)] });
    h.runTo(20);
    h.act({ type: 'scale', target: STS, replicas: 4 });
    assert.equal(h.get<StatefulSet>('StatefulSet', 'db')?.spec.replicas, 4);
    assert.deepEqual(last(h), { type: 'Action', kind: 'StatefulSet', namespace: 'default', name: 'db', action: 'scale', target: 'statefulset/db', replicas: 4 });
    h.runTo(60);
    assert.deepEqual(podsOf(h, 'StatefulSet', 'db').map((p) => p.metadata.name), ['db-0', 'db-1', 'db-2', 'db-3']);
    h.act({ type: 'scale', target: STS, replicas: 1 });
    h.runTo(120);
    assert.deepEqual(podsOf(h, 'StatefulSet', 'db').map((p) => p.metadata.name), ['db-0']);
  });

  it('a StatefulSet deleted meanwhile fails the action', () => {
    const h = tinyCluster({ manifests: [statefulSet('db', 1)] });
    h.runTo(5);
    h.cluster.api.delete('StatefulSet', 'default', 'db');
    h.act({ type: 'scale', target: STS, replicas: 3 });
    assert.deepEqual(last(h), { type: 'ActionFailed', kind: 'StatefulSet', namespace: 'default', name: 'db', action: 'scale', target: 'statefulset/db', replicas: 3, message: 'statefulset/db not found' });
  });
});

describe('set image', () => {
  it('on a StatefulSet: the template changes and every pod is replaced, highest ordinal first', () => {
    const h = tinyCluster({ manifests: [statefulSet('db', 2)] });
    h.runTo(20);
    h.act({ type: 'setImage', target: STS, image: 'app:2' });
    assert.equal(templateImage(h, 'StatefulSet', 'db'), 'app:2');
    assert.deepEqual(last(h), { type: 'Action', kind: 'StatefulSet', namespace: 'default', name: 'db', action: 'setImage', target: 'statefulset/db', image: 'app:2' });
    h.runTo(80);
    assert.deepEqual(imagesOf(podsOf(h, 'StatefulSet', 'db')), ['app:2', 'app:2']);
    const terminating = h.events('PodTerminating').filter((e) => e.owner === 'StatefulSet/db').map((e) => e.name);
    assert.deepEqual(terminating, ['db-1', 'db-0']);
  });

  it('on a DaemonSet: every node\'s pod is replaced', () => {
    const h = tinyCluster({ nodes: 3, manifests: [daemonSet()] });
    h.runTo(20);
    assert.equal(podsOf(h, 'DaemonSet', 'agent').length, 3);
    h.act({ type: 'setImage', target: DS, image: 'app:2' });
    assert.equal(templateImage(h, 'DaemonSet', 'agent'), 'app:2');
    h.runTo(90);
    const pods = podsOf(h, 'DaemonSet', 'agent');
    assert.deepEqual(imagesOf(pods), ['app:2', 'app:2', 'app:2']);
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['pool-a-0', 'pool-a-1', 'pool-a-2']);
  });

  it('a container that does not exist fails the action and changes nothing', () => {
    const h = tinyCluster({ manifests: [daemonSet()] });
    h.runTo(5);
    h.act({ type: 'setImage', target: DS, image: 'app:2', container: 'sidecar' });
    assert.equal(last(h)?.type, 'ActionFailed');
    assert.equal(last(h)?.message, 'unable to find container named "sidecar"');
    assert.equal(templateImage(h, 'DaemonSet', 'agent'), 'app:1');
  });

  it('on a CronJob: the Job template changes; the next Job runs the new image, a running one keeps its own', () => {
    const h = tinyCluster({ manifests: [cronJob()] });
    h.runTo(70); // the 00:01 Job was made at 60.1 s
    assert.deepEqual(imagesOf(h.livePods({ app: 'tick' })), ['app:1']);
    h.act({ type: 'setImage', target: target('CronJob', 'tick'), image: 'app:2' });
    assert.deepEqual(last(h), { type: 'Action', kind: 'CronJob', namespace: 'default', name: 'tick', action: 'setImage', target: 'cronjob/tick', image: 'app:2' });
    assert.equal(h.get<CronJob>('CronJob', 'tick')?.spec.jobTemplate.spec.template.spec.containers[0].image, 'app:2');
    h.runTo(130);
    const byJob = new Map(h.livePods({ app: 'tick' }).map((p) => [getControllerOf(p.metadata)?.name, p.spec.containers[0].image]));
    assert.equal(byJob.get('tick-29453761'), 'app:1');
    assert.equal(byJob.get('tick-29453762'), 'app:2');
  });

  it('on a Job: the API server refuses (the template is immutable); ActionFailed and a run warning, the Job unchanged', () => {
    const h = tinyCluster({ manifests: [job()] });
    h.runTo(5);
    h.act({ type: 'setImage', target: target('Job', 'work'), image: 'app:2' });
    const failed = last(h);
    assert.equal(failed?.type, 'ActionFailed');
    assert.equal(failed?.action, 'setImage');
    assert.match(String(failed?.message), /^Job "work" is invalid: spec\.template: Invalid value: .*: field is immutable$/);
    assert.equal(h.get<Job>('Job', 'work')?.spec.template.spec.containers[0].image, 'app:1');
    assert.equal(h.executor.warnings.length, 1);
    assert.match(h.executor.warnings[0].message, /^setImage job\/work failed: Job "work" is invalid/);
  });
});

describe('rollout undo of a StatefulSet or DaemonSet', () => {
  /** A settled `kind` whose template went app:1 → app:2 (→ app:3 with `third`), each rolled out. */
  function history(kind: 'StatefulSet' | 'DaemonSet', third = false): Tiny {
    const h = tinyCluster({ manifests: [kind === 'StatefulSet' ? statefulSet() : daemonSet()] });
    const t = kind === 'StatefulSet' ? STS : DS;
    h.runTo(20);
    h.act({ type: 'setImage', target: t, image: 'app:2' });
    h.runTo(80);
    if (third) {
      h.act({ type: 'setImage', target: t, image: 'app:3' });
      h.runTo(140);
    }
    return h;
  }

  for (const kind of ['StatefulSet', 'DaemonSet'] as const) {
    const t = kind === 'StatefulSet' ? STS : DS;
    const name = t.name;
    const label = `${kind.toLowerCase()}/${name}`;

    it(`${kind}: with one revision there is nothing to go back to`, () => {
      const h = tinyCluster({ manifests: [kind === 'StatefulSet' ? statefulSet() : daemonSet()] });
      h.runTo(20);
      assert.deepEqual(revisions(h, name), [[1, 'app:1']]);
      h.act({ type: 'rolloutUndo', target: t });
      assert.deepEqual(last(h), { type: 'ActionFailed', kind, namespace: 'default', name, action: 'rolloutUndo', target: label, message: 'no last revision to roll back to' });
      assert.equal(templateImage(h, kind, name), 'app:1');
    });

    it(`${kind}: undo goes back to the previous template, whose revision the controller renumbers`, () => {
      const h = history(kind);
      assert.deepEqual(revisions(h, name), [[1, 'app:1'], [2, 'app:2']]);
      h.act({ type: 'rolloutUndo', target: t });
      assert.deepEqual(last(h), { type: 'Action', kind, namespace: 'default', name, action: 'rolloutUndo', target: label, result: 'rolled back to revision 1' });
      assert.equal(templateImage(h, kind, name), 'app:1');
      h.runTo(140);
      assert.deepEqual(revisions(h, name), [[2, 'app:2'], [3, 'app:1']]);
      assert.deepEqual(imagesOf(podsOf(h, kind, name)), ['app:1', 'app:1']);
      // A second undo goes back to app:2 (now the second-highest revision).
      h.act({ type: 'rolloutUndo', target: t });
      assert.equal(last(h)?.result, 'rolled back to revision 2');
      assert.equal(templateImage(h, kind, name), 'app:2');
    });

    it(`${kind}: toRevision picks that revision; one that does not exist fails; the current one is skipped`, () => {
      const h = history(kind, true);
      assert.deepEqual(revisions(h, name), [[1, 'app:1'], [2, 'app:2'], [3, 'app:3']]);
      h.act({ type: 'rolloutUndo', target: t, toRevision: 9 });
      assert.deepEqual(last(h), { type: 'ActionFailed', kind, namespace: 'default', name, action: 'rolloutUndo', target: label, toRevision: 9, message: 'unable to find specified revision 9 in history' });
      h.act({ type: 'rolloutUndo', target: t, toRevision: 3 });
      assert.equal(last(h)?.type, 'Action');
      assert.equal(last(h)?.result, 'skipped rollback (current template already matches revision 3)');
      assert.equal(h.get<KubeObject & { metadata: { generation?: number } }>(kind, name)?.metadata.generation, 3, 'a skipped undo writes nothing');
      h.act({ type: 'rolloutUndo', target: t, toRevision: 1 });
      assert.equal(last(h)?.result, 'rolled back to revision 1');
      assert.equal(templateImage(h, kind, name), 'app:1');
      assert.equal(h.executor.warnings.length, 1, 'only the missing revision is a warning');
    });
  }

  it('only the target\'s own revisions count', () => {
    const h = tinyCluster({ manifests: [daemonSet('agent'), daemonSet('other')] });
    h.runTo(20);
    h.act({ type: 'setImage', target: target('DaemonSet', 'other'), image: 'app:2' });
    h.runTo(60);
    h.act({ type: 'rolloutUndo', target: DS });
    assert.equal(last(h)?.message, 'no last revision to roll back to');
  });
});

describe('killPod on workload targets', () => {
  function all(): Tiny {
    const h = tinyCluster({ manifests: [statefulSet('db', 2), daemonSet('agent'), job('work', 2), cronJob('tick')] });
    h.runTo(70);
    return h;
  }
  const killed = (h: Tiny) => h.events('PodKilled').map((e) => [e.name, e.owner]);

  it('statefulset/db: one of its own pods', () => {
    const h = all();
    h.act({ type: 'killPod', target: STS, namespace: 'default', count: 1, exitCode: 1 });
    const [[pod, owner]] = killed(h);
    assert.equal(owner, 'StatefulSet/db');
    assert.match(String(pod), /^db-[01]$/);
    assert.equal(last(h)?.result, pod);
  });

  it('daemonset/agent with count 5: every one of its pods (2), and no other', () => {
    const h = all();
    h.act({ type: 'killPod', target: DS, namespace: 'default', count: 5, exitCode: 1 });
    const k = killed(h);
    assert.equal(k.length, 2);
    assert.ok(k.every(([, owner]) => owner === 'DaemonSet/agent'));
    assert.deepEqual(String(last(h)?.result).split(',').sort(), k.map(([pod]) => String(pod)).sort());
  });

  it('job/work: its pods', () => {
    const h = all();
    h.act({ type: 'killPod', target: target('Job', 'work'), namespace: 'default', count: 2, exitCode: 3 });
    assert.deepEqual(killed(h).map(([, owner]) => owner), ['Job/work', 'Job/work']);
    assert.ok(h.events('PodKilled').every((e) => e.exitCode === 3));
  });

  it('cronjob/tick: the pods of its Jobs, found through the Job (two controller levels)', () => {
    const h = all();
    const [runPod, ...others] = podsOf(h, 'Job', 'tick-29453761');
    assert.ok(runPod !== undefined && others.length === 0, 'precondition: the 00:01 run has one pod');
    h.act({ type: 'killPod', target: target('CronJob', 'tick'), namespace: 'default', count: 3, exitCode: 1 });
    assert.deepEqual(killed(h), [[runPod.metadata.name, 'Job/tick-29453761']]);
    assert.equal(last(h)?.result, runPod.metadata.name);
  });

  it('a CronJob that has not run yet has no pod to kill', () => {
    const h = tinyCluster({ manifests: [cronJob('tick')] });
    h.runTo(30);
    h.act({ type: 'killPod', target: target('CronJob', 'tick'), namespace: 'default', count: 1, exitCode: 1 });
    assert.deepEqual(last(h), { type: 'ActionFailed', kind: 'CronJob', namespace: 'default', name: 'tick', action: 'killPod', target: 'cronjob/tick', count: 1, exitCode: 1, message: 'no running pod matches' });
  });

  it('the same seed kills the same pod', () => {
    const pick = () => {
      const h = all();
      h.act({ type: 'killPod', target: DS, namespace: 'default', count: 1, exitCode: 1 });
      return killed(h);
    };
    assert.deepEqual(pick(), pick());
  });
});

describe('planRevisionRollback', () => {
  const owner = (image: string) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', uid: 'u' }, spec: { template: podTemplate('agent', image) } }) as unknown as DeepReadonly<DaemonSet>;
  const rev = (revision: number, image: string) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `agent-${revision}` }, data: revisionData(podTemplate('agent', image)), revision }) as DeepReadonly<ControllerRevision>;

  it('revision 0 is the second-highest number, whatever the list order', () => {
    const plan = planRevisionRollback(owner('app:5'), [rev(5, 'app:5'), rev(2, 'app:2'), rev(4, 'app:4'), rev(3, 'app:3')], 0);
    assert.equal(plan.kind, 'rollback');
    assert.equal(plan.kind === 'rollback' && plan.revision, 4);
    assert.deepEqual(plan.kind === 'rollback' && plan.template, podTemplate('agent', 'app:4'), 'the template without the $patch marker');
  });

  it('no revision or a single one: nothing to roll back to, unless a revision is named', () => {
    assert.deepEqual(planRevisionRollback(owner('app:1'), [], 0), { kind: 'error', message: 'no last revision to roll back to' });
    assert.deepEqual(planRevisionRollback(owner('app:1'), [rev(1, 'app:1')], 0), { kind: 'error', message: 'no last revision to roll back to' });
    assert.deepEqual(planRevisionRollback(owner('app:1'), [rev(1, 'app:1')], 1), { kind: 'skipped', revision: 1 });
    assert.deepEqual(planRevisionRollback(owner('app:1'), [], 2), { kind: 'error', message: 'unable to find specified revision 2 in history' });
  });

  it('a named revision: rolled back to, or skipped when the template already matches', () => {
    const history = [rev(1, 'app:1'), rev(2, 'app:2')];
    const plan = planRevisionRollback(owner('app:2'), history, 1);
    assert.equal(plan.kind === 'rollback' && plan.template.spec.containers[0].image, 'app:1');
    assert.deepEqual(planRevisionRollback(owner('app:2'), history, 2), { kind: 'skipped', revision: 2 });
    assert.deepEqual(planRevisionRollback(owner('app:2'), history, 7), { kind: 'error', message: 'unable to find specified revision 7 in history' });
  });
});
